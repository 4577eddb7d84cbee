-module(ets_oset_walk).
-export([main/0]).

%% ETS ordered_set: fill with 200,000 keys in scattered order, then walk it
%% with first/next. Best of three.

-define(N, 200000).
-define(RUNS, 3).

main() ->
    {Best, Check} = bench_time:best(?RUNS, fun run/0),
    io:format("CHECK ~w~n", [Check]),
    io:format("RESULT ets_oset_walk ~b~n", [Best]).

run() ->
    T = ets:new(bench, [ordered_set]),
    [ets:insert(T, {(K * 7919) rem 1000003, K}) || K <- lists:seq(1, ?N)],
    {Count, Last} = walk(T, ets:first(T), 0, none),
    ets:delete(T),
    {Count, Last}.

walk(_T, '$end_of_table', N, Last) -> {N, Last};
walk(T, K, N, _) -> walk(T, ets:next(T, K), N + 1, K).
