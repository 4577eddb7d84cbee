-module(ets_bag_select).
-export([main/0]).

%% ETS bag of 100,000 objects (10 per key): select with a guard, ten times
%% with different bounds. Best of three.

-define(N, 100000).
-define(RUNS, 3).

main() ->
    T = ets:new(bench, [bag]),
    [ets:insert(T, {K rem 10000, K, K * 3}) || K <- lists:seq(1, ?N)],
    {Best, Check} = bench_time:best(?RUNS, fun() -> run(T) end),
    io:format("CHECK ~w~n", [Check]),
    io:format("RESULT ets_bag_select ~b~n", [Best]).

run(T) ->
    lists:sum([length(ets:select(T, [{{'_', '$1', '$2'}, [{'<', '$1', B}, {'>', '$2', 300}], ['$1']}]))
               || B <- lists:seq(10000, 100000, 10000)]).
