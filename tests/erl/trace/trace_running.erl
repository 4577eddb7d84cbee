%% running and exiting trace: in/out with the current function, in_exiting,
%% out_exiting, out_exited.
-module(trace_running).
-export([main/0, waiter/0, work/1]).

collect(Names) ->
    receive
        M when element(1, M) =:= trace -> [norm(M, Names) | collect(Names)]
    after 100 -> []
    end.

norm(T, Names) when is_tuple(T) -> list_to_tuple(norm(tuple_to_list(T), Names));
norm(L, Names) when is_list(L) -> [norm(E, Names) || E <- L];
norm(P, Names) when is_pid(P) ->
    case lists:keyfind(P, 1, Names) of {P, N} -> N; false -> other_pid end;
norm(X, _) -> X.

waiter() ->
    receive
        go -> waiter();
        stop -> ok
    end.

work(0) -> ok;
work(N) -> work(N - 1).

traced_spawn(Fun, Flags) ->
    erlang:trace(new, true, Flags),
    P = spawn(Fun),
    erlang:trace(new, false, Flags),
    P.

main() ->
    W = spawn(?MODULE, waiter, []),
    timer:sleep(10),
    io:format("~p~n", [erlang:trace(W, true, [running])]),
    W ! go,
    timer:sleep(10),
    W ! go,
    timer:sleep(10),
    W ! stop,
    timer:sleep(50),
    [io:format("~p~n", [M]) || M <- collect([{W, waiter}])],
    %% a fun process first scheduled (traced from its start: flags for new processes)
    F = traced_spawn(fun() -> receive go -> ok end end, [running]),
    timer:sleep(10),
    F ! go,
    timer:sleep(50),
    [io:format("~p~n", [M]) || M <- collect([{F, funproc}])],
    %% exiting: exit/1 and kill
    E = spawn(fun() -> receive go -> exit(bye) end end),
    erlang:trace(E, true, [exiting]),
    E ! go,
    timer:sleep(50),
    [io:format("~p~n", [M]) || M <- collect([{E, exiter}])],
    K = traced_spawn(fun() -> receive go -> ok end end, [exiting, running]),
    timer:sleep(10),
    exit(K, kill),
    timer:sleep(50),
    [io:format("~p~n", [M]) || M <- collect([{K, killed}])],
    N = traced_spawn(fun() -> receive go -> ok end end, [exiting, running]),
    timer:sleep(10),
    N ! go,
    timer:sleep(50),
    [io:format("~p~n", [M]) || M <- collect([{N, normal}])],
    ok.
