-module(ets_counters).
-export([main/0]).

%% update_counter from four processes on a public write_concurrency table,
%% each on 16 keys of its own: 200,000 updates each. Best of three.

-define(PROCS, 4).
-define(OPS, 200000).
-define(RUNS, 3).

main() ->
    {Best, Check} = bench_time:best(?RUNS, fun run/0),
    io:format("CHECK ~w~n", [Check]),
    io:format("RESULT ets_counters ~b~n", [Best]).

run() ->
    T = ets:new(bench, [public, set, {write_concurrency, true}]),
    Self = self(),
    Pids = [spawn(fun() -> count(T, P, ?OPS), Self ! {done, self()} end) || P <- lists:seq(1, ?PROCS)],
    [receive {done, P} -> ok end || P <- Pids],
    Total = lists:sum([V || {_, V} <- ets:tab2list(T)]),
    ets:delete(T),
    Total.

count(_T, _P, 0) -> ok;
count(T, P, N) ->
    ets:update_counter(T, {P, N band 15}, 1, {k, 0}),
    count(T, P, N - 1).
