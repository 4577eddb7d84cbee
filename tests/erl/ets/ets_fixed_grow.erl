%% A fixed hash table that grows a lot during a first/next walk: each
%% original key is seen exactly once while the walker deletes what it saw
%% and inserts several new keys per step; after unfixing, every key is
%% still found and slot/2 covers the table exactly.
-module(ets_fixed_grow).
-export([main/0]).

main() ->
    [run(Type, Opts) || Type <- [set, bag, duplicate_bag], Opts <- [[], [{write_concurrency, true}]]],
    ok.

run(Type, Opts) ->
    T = ets:new(t, [Type, public | Opts]),
    ets:insert(T, [{K, K} || K <- lists:seq(1, 500)]),
    true = ets:safe_fixtable(T, true),
    Seen = walk(T, ets:first(T), []),
    Originals = lists:sort([K || K <- Seen, K =< 500]),
    true = ets:safe_fixtable(T, false),
    Size = ets:info(T, size),
    AllFound = lists:all(fun(K) -> ets:member(T, K) end, [K + 100000 * J || K <- lists:seq(1, 500), J <- [1, 2, 3]]),
    Slots = lists:append(slots(T, 0)),
    io:format("~p ~p: originals once ~p, size ~p, new keys found ~p, slots cover ~p~n",
              [Type, Opts, Originals =:= lists:seq(1, 500), Size, AllFound,
               lists:sort(Slots) =:= lists:sort(ets:tab2list(T))]),
    %% more growth after unfixing, then deletes of everything
    ets:insert(T, [{K, x} || K <- lists:seq(600, 5000)]),
    [ets:delete(T, K) || {K, _} <- ets:tab2list(T)],
    io:format("  emptied ~p ~p~n", [ets:info(T, size), ets:first(T)]),
    ets:delete(T).

walk(_T, '$end_of_table', Acc) -> Acc;
walk(T, K, Acc) when K =< 500 ->
    ets:delete(T, K),
    ets:insert(T, [{K + 100000 * J, J} || J <- [1, 2, 3]]),
    walk(T, ets:next(T, K), [K | Acc]);
walk(T, K, Acc) -> walk(T, ets:next(T, K), [K | Acc]).

slots(T, I) ->
    case ets:slot(T, I) of
        '$end_of_table' -> [];
        L -> [L | slots(T, I + 1)]
    end.
