-module(proc_monitors).
-export([main/0]).

main() ->
    {P, R} = spawn_monitor(fun() -> exit(done) end),
    receive {'DOWN', R, process, P, Why} -> io:format("down: ~p~n", [Why]) end,
    Q = spawn(fun() -> receive go -> ok end end),
    Ref = monitor(process, Q),
    Q ! go,
    receive {'DOWN', Ref, process, Q, W2} -> io:format("down normal: ~p~n", [W2]) end,
    Dead = spawn(fun() -> ok end),
    wait_dead(Dead),
    Ref2 = monitor(process, Dead),
    receive {'DOWN', Ref2, process, Dead, W3} -> io:format("noproc: ~p~n", [W3]) end,
    S = spawn(fun() -> receive go -> exit(late) end end),
    Ref3 = monitor(process, S),
    io:format("demonitor: ~p~n", [demonitor(Ref3)]),
    S ! go,
    receive {'DOWN', Ref3, _, _, _} -> io:format("got down after demonitor~n")
    after 50 -> io:format("no down after demonitor~n") end,
    S2 = spawn(fun() -> exit(flushed) end),
    Ref4 = monitor(process, S2),
    receive after 30 -> ok end,
    io:format("demonitor flush: ~p~n", [demonitor(Ref4, [flush])]),
    receive {'DOWN', Ref4, _, _, _} -> io:format("flush failed~n") after 0 -> io:format("flushed~n") end,
    io:format("demonitor info: ~p~n", [demonitor(make_ref(), [info])]),
    %% monitors by registered name
    N = spawn(fun() -> receive go -> exit(by_name) end end),
    register(named_proc, N),
    Ref5 = monitor(process, named_proc),
    named_proc ! go,
    receive {'DOWN', Ref5, process, Item, W5} -> io:format("by name: ~p ~p~n", [Item, W5]) end,
    Ref6 = monitor(process, no_such_name),
    receive {'DOWN', Ref6, process, Item6, W6} -> io:format("no name: ~p ~p~n", [Item6, W6]) end,
    Late = late_downs(500, 0),
    receive after 100 -> ok end,
    Stray = length([x || {'DOWN', _, _, _, _} <- element(2, process_info(self(), messages))]),
    io:format("downs after demonitor: ~p~n", [Late + Stray]),
    %% The crash below has the logger report it while init:stop shuts the
    %% default handler down: OTP then prints the report, nothing, or
    %% {removed_failing_handler,default} (seen once in CI), as the race goes.
    logger:set_primary_config(level, none),
    io:format("error reason: ~p~n",
              [begin
                   {EP, ER} = spawn_monitor(fun() -> error(oops) end),
                   receive {'DOWN', ER, process, EP, {oops, _Stack}} -> oops_with_stack end
               end]).

%% demonitor with flush racing with the target's exit: afterwards no 'DOWN'
%% for that monitor is in the queue or arrives later (OTP's guarantee).
late_downs(0, Late) -> Late;
late_downs(N, Late) ->
    P = spawn(fun() -> ok end),
    R = monitor(process, P),
    demonitor(R, [flush]),
    receive {'DOWN', R, _, _, _} -> late_downs(N - 1, Late + 1) after 0 -> late_downs(N - 1, Late) end.

wait_dead(P) ->
    case is_process_alive(P) of
        true -> receive after 1 -> wait_dead(P) end;
        false -> ok
    end.
