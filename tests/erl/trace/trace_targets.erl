%% erlang:trace/3 targets, return values and badarg rules; trace_info/2 for
%% processes and new; the tracer option; trace(P, false, [all]).
-module(trace_targets).
-export([main/0]).

try_(F) -> try F() catch C:R -> {C, R} end.

show(L, V) -> io:format("~p: ~p~n", [L, V]).

sorted({flags, F}) -> {flags, lists:sort(F)};
sorted(X) -> X.

quiet() ->
    case whereis(logger) of
        undefined -> ok;
        _ -> logger:set_primary_config(level, none)
    end.

idle() -> receive stop -> ok end.

main() ->
    Self = self(),
    P = spawn(fun idle/0),
    show(pid, erlang:trace(P, true, [send])),
    show(info_flags, erlang:trace_info(P, flags)),
    show(info_tracer, erlang:trace_info(P, tracer) =:= {tracer, Self}),
    show(info_all, try_(fun() -> erlang:trace_info(P, all) end)),
    show(info_bogus, try_(fun() -> erlang:trace_info(P, bogus) end)),
    show(off_all, erlang:trace(P, false, [all])),
    show(after_off, {erlang:trace_info(P, flags), erlang:trace_info(P, tracer)}),
    show(all_flag, erlang:trace(P, true, [all])),
    show(all_flags, sorted(erlang:trace_info(P, flags))),
    erlang:trace(P, false, [all]),
    %% bad arguments
    show(bad_how, try_(fun() -> erlang:trace(P, maybe, [send]) end)),
    show(bad_flag, try_(fun() -> erlang:trace(P, true, [bogus]) end)),
    show(bad_list, try_(fun() -> erlang:trace(P, true, send) end)),
    show(improper, try_(fun() -> erlang:trace(P, true, [send | x]) end)),
    show(tag_not_flag, try_(fun() -> erlang:trace(P, true, [send_to_non_existing_process]) end)),
    show(bad_spec, try_(fun() -> erlang:trace(bogus, true, [send]) end)),
    show(bad_tracer, try_(fun() -> erlang:trace(P, true, [send, {tracer, x}]) end)),
    Dead = spawn(fun() -> ok end),
    timer:sleep(10),
    show(dead, try_(fun() -> erlang:trace(Dead, true, [send]) end)),
    show(dead_info, erlang:trace_info(Dead, flags)),
    show(cpu_pid, try_(fun() -> erlang:trace(P, true, [cpu_timestamp]) end)),
    show(empty, erlang:trace(P, true, [])),
    show(empty_info, erlang:trace_info(P, flags)),
    %% another tracer
    T2 = spawn(fun idle/0),
    show(tracer_opt, erlang:trace(P, true, [send, {tracer, T2}])),
    show(tracer_is, erlang:trace_info(P, tracer) =:= {tracer, T2}),
    %% OTP logs "** can only have one tracer per process" (with a time) when its
    %% logger gets to it: silenced for the rest of the test
    quiet(),
    show(second_tracer, try_(fun() -> erlang:trace(P, true, ['receive']) end)),
    show(same_tracer, erlang:trace(P, true, ['receive', {tracer, T2}])),
    show(flags_now, sorted(erlang:trace_info(P, flags))),
    %% the tracer dies: flags are cleared
    exit(T2, kill),
    timer:sleep(20),
    P ! wake,
    timer:sleep(20),
    show(tracer_dead, {erlang:trace_info(P, flags), erlang:trace_info(P, tracer)}),
    %% collective targets count processes (and ports for port flags)
    NP = length(processes()),
    show(all_procs, erlang:trace(all, true, [procs]) =:= NP),
    erlang:trace(all, false, [procs]),
    show(existing_procs, erlang:trace(existing, true, [procs]) =:= length(processes())),
    erlang:trace(existing, false, [procs]),
    show(processes, erlang:trace(processes, true, [procs]) =:= length(processes())),
    erlang:trace(processes, false, [procs]),
    show(existing_processes, erlang:trace(existing_processes, true, [procs]) =:= length(processes())),
    erlang:trace(existing_processes, false, [procs]),
    show(new, erlang:trace(new, true, [send])),
    show(new_info, erlang:trace_info(new, flags)),
    show(new_tracer, erlang:trace_info(new, tracer) =:= {tracer, Self}),
    N1 = spawn(fun idle/0),
    show(new_child, erlang:trace_info(N1, flags)),
    show(new_off, erlang:trace(new, false, [send])),
    show(new_info_off, {erlang:trace_info(new, flags), erlang:trace_info(new, tracer)}),
    show(new_processes, erlang:trace(new_processes, true, [procs])),
    erlang:trace(new_processes, false, [procs]),
    show(new_ports, erlang:trace(new_ports, true, [send])),
    erlang:trace(new_ports, false, [send]),
    show(cpu_all, erlang:trace(all, true, [cpu_timestamp])),
    erlang:trace(all, false, [cpu_timestamp]),
    show(all_off_count, erlang:trace(all, false, [procs]) =:= length(processes())),
    exit(N1, kill), exit(P, kill),
    ok.
