-module(ets_oset_ops).
-export([main/0]).

%% ETS ordered_set with 500,000 keys: insert in scattered order, look every
%% key up, walk with first/next, then select ranges through a partially
%% bound key ({Group, '_'} with 1,000 keys per group) and a guard range.
%% Best of three; each phase's time goes to stderr for the curious.

-define(N, 500000).
-define(RUNS, 3).

main() ->
    {Best, Check} = bench_time:best(?RUNS, fun run/0),
    io:format("CHECK ~w~n", [Check]),
    io:format("RESULT ets_oset_ops ~b~n", [Best]).

run() ->
    T = ets:new(bench, [ordered_set]),
    Keys = [(K * 7919) rem 1000003 || K <- lists:seq(1, ?N)],
    T0 = now_us(),
    [ets:insert(T, {{K div 1000, K}, K}) || K <- Keys],
    T1 = now_us(),
    Found = lists:foldl(fun(K, A) -> A + length(ets:lookup(T, {K div 1000, K})) end, 0, Keys),
    T2 = now_us(),
    Walked = walk(T, ets:first(T), 0),
    T3 = now_us(),
    Groups = lists:sum([length(ets:select(T, [{{{G, '_'}, '$1'}, [], ['$1']}])) || G <- lists:seq(1, 1000, 7)]),
    Guarded = length(ets:select(T, [{{{'$1', '_'}, '$2'}, [{'<', '$1', 100}], ['$2']}])),
    T4 = now_us(),
    ets:delete(T),
    io:format(standard_error, "insert ~b lookup ~b next ~b select ~b~n", [T1 - T0, T2 - T1, T3 - T2, T4 - T3]),
    {Found, Walked, Groups, Guarded}.

walk(_T, '$end_of_table', N) -> N;
walk(T, K, N) -> walk(T, ets:next(T, K), N + 1).

now_us() -> erlang:monotonic_time(microsecond).
