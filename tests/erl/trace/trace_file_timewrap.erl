%% dbg's trace port to files wrapped by time ({time, Ms} as the wrap size):
%% trace_file_drv switches to the next file every Ms milliseconds whether
%% or not anything was written, removes the oldest once Count files were
%% switched from, and dbg:trace_client reads the files back in order.
-module(trace_file_timewrap).
-export([main/0]).

main() ->
    Dir = "timewrap_" ++ os:getpid(),
    ok = file:make_dir(Dir),
    Base = filename:join(Dir, "t"),
    Port = (dbg:trace_port(file, {Base, wrap, ".trc", {time, 40}, 100}))(),
    Self = self(),
    P = spawn(fun() -> receive go -> [Self ! {n, I} || I <- lists:seq(1, 20)] end end),
    1 = erlang:trace(P, true, [send, {tracer, Port}]),
    P ! go,
    [receive {n, I} -> ok end || I <- lists:seq(1, 20)],
    erlang:trace_delivered(P),
    receive {trace_delivered, _, _} -> ok end,
    timer:sleep(400),
    port_close(Port),
    {ok, Files} = file:list_dir(Dir),
    io:format("several files ~p~n", [length(Files) >= 3]),
    io:format("all named ~p~n", [lists:all(fun(F) -> lists:prefix("t", F) andalso lists:suffix(".trc", F) end, Files)]),
    Got = read_back({Base, wrap, ".trc", {time, 40}, 100}),
    io:format("read ~p~n", [[M || {trace, _, send, M, _} <- Got]]),
    %% few files kept: after Count switches each one removes the oldest
    Base2 = filename:join(Dir, "k"),
    Port2 = (dbg:trace_port(file, {Base2, wrap, ".trc", {time, 20}, 2}))(),
    timer:sleep(300),
    port_close(Port2),
    {ok, Files2} = file:list_dir(Dir),
    io:format("kept ~p~n", [length([F || "k" ++ _ = F <- Files2])]),
    [file:delete(filename:join(Dir, F)) || F <- element(2, file:list_dir(Dir))],
    file:del_dir(Dir).

read_back(Spec) ->
    Self = self(),
    Pid = dbg:trace_client(file, Spec, {fun(end_of_trace, Acc) -> Self ! {done, lists:reverse(Acc)}, Acc;
                                           (M, Acc) -> [M | Acc] end, []}),
    receive {done, L} -> L after 5000 -> exit(Pid, kill), timeout end.
