%% dbg's trace port to wrapping files (trace_file_drv with "w"): sends traced
%% to a port, the files left behind, and dbg:trace_client reading them back;
%% then port_command framing and port_control flush on a plain trace file.
-module(trace_file_wrap).
-export([main/0]).

main() ->
    Dir = "wrap_" ++ os:getpid(),
    ok = file:make_dir(Dir),
    Base = filename:join(Dir, "t"),
    Port = (dbg:trace_port(file, {Base, wrap, ".trc", 300, 3}))(),
    Self = self(),
    P = spawn(fun() -> receive go -> [Self ! {n, I} || I <- lists:seq(1, 40)] end end),
    1 = erlang:trace(P, true, [send, {tracer, Port}]),
    P ! go,
    [receive {n, I} -> ok end || I <- lists:seq(1, 40)],
    erlang:trace_delivered(P),
    receive {trace_delivered, _, _} -> ok end,
    io:format("flush ~p~n", [erlang:port_control(Port, $f, "")]),
    port_close(Port),
    {ok, Files} = file:list_dir(Dir),
    io:format("files ~p~n", [lists:sort(Files)]),
    Got = read_back({Base, wrap, ".trc", 300, 3}),
    io:format("read ~p~n", [[M || {trace, _, send, M, _} <- Got]]),
    Plain = filename:join(Dir, "plain"),
    Port2 = (dbg:trace_port(file, Plain))(),
    true = port_command(Port2, term_to_binary(hello)),
    port_close(Port2),
    {ok, Bin} = file:read_file(Plain),
    io:format("plain ~p~n", [Bin]),
    [file:delete(filename:join(Dir, F)) || F <- element(2, file:list_dir(Dir))],
    file:del_dir(Dir).

read_back(Spec) ->
    Self = self(),
    Pid = dbg:trace_client(file, Spec, {fun(end_of_trace, Acc) -> Self ! {done, lists:reverse(Acc)}, Acc;
                                           (M, Acc) -> [M | Acc] end, []}),
    receive {done, L} -> L after 5000 -> exit(Pid, kill), timeout end.
