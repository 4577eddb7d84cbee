-module(atomics_counters).
-export([main/0]).

%% Shared counters: 4 processes each bump one atomics array (add, add_get,
%% compare_exchange) and one write_concurrency counters array 200,000
%% times, then 2,000 small arrays are made and dropped (magic references
%% freed by the collector). Runs three times and reports the best time.

-define(PROCS, 4).
-define(N, 200000).
-define(RUNS, 3).

main() ->
    {Best, Check} = bench_time:best(?RUNS, fun run/0),
    io:format("CHECK ~w~n", [Check]),
    io:format("RESULT atomics_counters ~b~n", [Best]).

run() ->
    A = atomics:new(4, []),
    C = counters:new(4, [write_concurrency]),
    Self = self(),
    Pids = [spawn_link(fun() -> work(A, C, ?N), Self ! {done, self()} end) || _ <- lists:seq(1, ?PROCS)],
    [receive {done, P} -> ok end || P <- Pids],
    Made = churn(2000, 0),
    {[atomics:get(A, I) || I <- [1, 2, 3]], counters:get(C, 1), Made}.

work(_, _, 0) -> ok;
work(A, C, K) ->
    atomics:add(A, 1, 1),
    atomics:add_get(A, 2, 2),
    cas(A),
    counters:add(C, 1, 1),
    work(A, C, K - 1).

cas(A) ->
    Old = atomics:get(A, 3),
    case atomics:compare_exchange(A, 3, Old, Old + 1) of
        ok -> ok;
        _ -> cas(A)
    end.

churn(0, Sum) -> Sum;
churn(K, Sum) ->
    R = atomics:new(64, []),
    atomics:put(R, 64, K),
    churn(K - 1, Sum + atomics:get(R, 64)).
