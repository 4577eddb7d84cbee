-module(otp_alias).
-export([main/0]).

%% erlang:monitor/3 with {alias, _} and {tag, _}, alias/0,1, unalias/1 and
%% messages sent to active and inactive aliases.
flush() -> receive M -> [M | flush()] after 50 -> [] end.

echo() -> receive {To, Msg} -> To ! Msg, echo(); stop -> ok end.

main() ->
    A = alias(),
    A ! one,
    erlang:send(A, two),
    io:format("explicit ~p~n", [flush()]),
    io:format("unalias ~p ~p~n", [unalias(A), unalias(A)]),
    A ! three,
    io:format("inactive ~p~n", [flush()]),
    R = alias([reply]),
    R ! first,
    R ! second,
    io:format("reply ~p ~p~n", [flush(), unalias(R)]),
    E = spawn(fun echo/0),
    M = monitor(process, E, [{alias, demonitor}]),
    E ! {M, via_alias},
    io:format("demonitor alias ~p~n", [flush()]),
    true = demonitor(M),
    E ! {M, after_demonitor},
    io:format("after demonitor ~p ~p~n", [flush(), unalias(M)]),
    M2 = monitor(process, E, [{alias, reply_demonitor}]),
    E ! {M2, r1},
    E ! {M2, r2},
    io:format("reply_demonitor ~p ~p~n", [flush(), demonitor(M2, [info])]),
    M3 = monitor(process, E, [{alias, explicit_unalias}, {tag, {my, tag}}]),
    E ! stop,
    receive {{my, tag}, M3, process, E, Why} -> io:format("tagged down ~p~n", [Why]) end,
    E2 = spawn(fun echo/0),
    E2 ! {M3, still_active},
    io:format("explicit after down ~p ~p~n", [flush(), unalias(M3)]),
    M4 = monitor(process, E2, [{tag, gone}]),
    exit(E2, kill),
    receive {gone, M4, process, E2, K} -> io:format("tag atom ~p~n", [K]) end,
    M5 = monitor(process, E2, [{alias, demonitor}, {tag, noproc_tag}]),
    receive {noproc_tag, M5, process, E2, NP} -> io:format("noproc ~p ~p~n", [NP, unalias(M5)]) end,
    {P, M6} = spawn_opt(fun() -> receive go -> exit(went) end end, [{monitor, [{tag, spawned}]}]),
    P ! go,
    receive {spawned, M6, process, P, W} -> io:format("spawn_opt tag ~p~n", [W]) end,
    M7 = monitor(process, self(), [{alias, demonitor}]),
    M7 ! to_self,
    io:format("self alias ~p~n", [flush()]),
    demonitor(M7, [flush]),
    io:format("flush tagged ~p~n", [flush_tagged()]),
    [io:format("badarg ~p~n", [element(1, element(2, catch erlang:monitor(process, self(), O)))])
     || O <- [[{alias, foo}], [foo], [{tag}], x]],
    io:format("unalias badarg ~p~n", [element(1, element(2, catch unalias(x)))]),
    io:format("alias badarg ~p~n", [element(1, element(2, catch alias([foo])))]),
    ok.

flush_tagged() ->
    E = spawn(fun() -> ok end),
    M = monitor(process, E, [{tag, t}]),
    receive after 30 -> ok end,
    demonitor(M, [flush]),
    flush().
