-module(ets_read_all).
-export([main/0]).

%% A read-mostly table (read_concurrency) of 10,000 keys read by one process
%% per scheduler, 300,000 lookups each, while one writer updates a key now
%% and then. Best of three.

-define(KEYS, 10000).
-define(OPS, 300000).
-define(RUNS, 3).

main() ->
    T = ets:new(bench, [public, set, {read_concurrency, true}]),
    [ets:insert(T, {K, K}) || K <- lists:seq(1, ?KEYS)],
    {Best, Check} = bench_time:best(?RUNS, fun() -> run(T) end),
    io:format("CHECK ~w~n", [Check]),
    io:format("RESULT ets_read_all ~b~n", [Best]).

run(T) ->
    Self = self(),
    N = erlang:system_info(schedulers),
    Pids = [spawn(fun() -> Self ! {done, self(), read(T, I, ?OPS, 0)} end) || I <- lists:seq(1, N)],
    ets:insert(T, {1, 1}),
    lists:sum([receive {done, P, S} -> S end || P <- Pids]) div N.

read(_T, _I, 0, Acc) -> Acc;
read(T, I, N, Acc) ->
    [{_, V}] = ets:lookup(T, 1 + (N * 7 + I) rem ?KEYS),
    read(T, I, N - 1, Acc + V).
