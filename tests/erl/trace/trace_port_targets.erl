%% erlang:trace/3 on ports and on the collective targets that include ports:
%% return values (processes and ports counted as OTP counts them), flags on a
%% port, trace_info/2 for ports, badarg rules.
-module(trace_port_targets).
-export([main/0]).

show(L, V) -> io:format("~p: ~p~n", [L, V]).

try_(F) -> try F() catch C:R -> {C, R} end.

main() ->
    Self = self(),
    Port = open_port({spawn, "cat"}, []),
    show(port, erlang:trace(Port, true, [send, 'receive'])),
    show(port_flags, erlang:trace_info(Port, flags)),
    show(port_tracer, erlang:trace_info(Port, tracer) =:= {tracer, Self}),
    show(port_proc_flags, erlang:trace(Port, true, [procs, call])),
    show(port_flags2, erlang:trace_info(Port, flags)),
    show(port_off, erlang:trace(Port, false, [all])),
    show(port_flags3, {erlang:trace_info(Port, flags), erlang:trace_info(Port, tracer)}),
    show(port_bad_item, try_(fun() -> erlang:trace_info(Port, all) end)),
    NPorts = length(erlang:ports()),
    NProcs = length(processes()),
    show(ports, erlang:trace(ports, true, [send]) =:= NPorts),
    show(ports_info, erlang:trace_info(Port, flags)),
    erlang:trace(ports, false, [send]),
    show(existing_ports, erlang:trace(existing_ports, true, [ports]) =:= NPorts),
    erlang:trace(existing_ports, false, [ports]),
    show(new_ports, erlang:trace(new_ports, true, [send])),
    show(new_ports_info, erlang:trace_info(new_ports, flags)),
    Port2 = open_port({spawn, "cat"}, []),
    show(new_port_flags, erlang:trace_info(Port2, flags)),
    show(new_port_tracer, erlang:trace_info(Port2, tracer) =:= {tracer, Self}),
    erlang:trace(new_ports, false, [send]),
    show(new_ports_off, erlang:trace_info(new_ports, flags)),
    port_close(Port2),
    %% port flags count ports, process flags processes
    show(all_send, erlang:trace(all, true, [send]) =:= NPorts + length(processes())),
    erlang:trace(all, false, [send]),
    show(all_ports_flag, erlang:trace(all, true, [ports]) =:= NPorts),
    erlang:trace(all, false, [ports]),
    show(existing_call, erlang:trace(existing, true, [call]) =:= length(processes())),
    erlang:trace(existing, false, [call]),
    show(processes_send, erlang:trace(processes, true, [send]) =:= length(processes())),
    erlang:trace(processes, false, [send]),
    show(ports_call, erlang:trace(ports, true, [call]) =:= NPorts),
    erlang:trace(ports, false, [call]),
    _ = NProcs,
    port_close(Port),
    show(closed, try_(fun() -> erlang:trace(Port, true, [send]) end)),
    show(closed_info, erlang:trace_info(Port, flags)),
    ok.
