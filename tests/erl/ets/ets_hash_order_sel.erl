%% OTP's order for what walks a hash table in steps or changes it while
%% walking: select/match with a limit and their continuations,
%% select_delete and select_replace, safe_fixtable walks over deletes and
%% inserts, delete_all_objects, and digraph (which keeps its graph in sets).
-module(ets_hash_order_sel).
-export([main/0]).

walk(T) -> walk(T, ets:first(T)).
walk(_, '$end_of_table') -> [];
walk(T, K) -> [K | walk(T, ets:next(T, K))].

chunks('$end_of_table') -> [];
chunks({L, C}) -> [L | chunks(ets:select(C))].

mchunks('$end_of_table') -> [];
mchunks({L, C}) -> [L | mchunks(ets:match(C))].

main() ->
    lists:foreach(fun(Opts) -> limited(Opts) end, [[set], [bag], [set, {write_concurrency, true}]]),
    deletes(),
    fixed(),
    digraphs(),
    ok.

limited(Opts) ->
    T = ets:new(t, Opts),
    ets:insert(T, [{I, I rem 7} || I <- lists:seq(1, 40)]),
    io:format("~w limit 7 ~w~n", [Opts, chunks(ets:select(T, [{{'$1', '_'}, [], ['$1']}], 7))]),
    io:format("~w limit 1 ~w~n", [Opts, chunks(ets:select(T, [{{'$1', 3}, [], ['$1']}], 1))]),
    io:format("~w match 5 ~w~n", [Opts, mchunks(ets:match(T, {'$1', '$2'}, 5))]),
    ets:insert(T, [{I, I rem 5} || I <- lists:seq(41, 3000)]),
    Cs = chunks(ets:select(T, [{{'$1', 4}, [], ['$1']}], 100)),
    io:format("~w big ~w ~w~n", [Opts, [length(C) || C <- Cs], erlang:phash2(Cs)]),
    io:format("~w count ~w~n", [Opts, ets:select_count(T, [{{'_', 1}, [], [true]}])]),
    ets:delete(T).

deletes() ->
    T = ets:new(t, [set]),
    ets:insert(T, [{I, I rem 3} || I <- lists:seq(1, 5000)]),
    io:format("select_delete ~w~n", [ets:select_delete(T, [{{'_', 0}, [], [true]}])]),
    io:format("after ~w ~w~n", [length(walk(T)), erlang:phash2(walk(T))]),
    io:format("tab2list ~w~n", [erlang:phash2(ets:tab2list(T))]),
    ets:select_replace(T, [{{'$1', 1}, [], [{{'$1', one}}]}]),
    io:format("replaced ~w ~w~n", [erlang:phash2(ets:tab2list(T)), erlang:phash2(walk(T))]),
    ets:match_delete(T, {'_', one}),
    io:format("match_delete ~w ~w~n", [ets:info(T, size), erlang:phash2(ets:tab2list(T))]),
    ets:delete_all_objects(T),
    ets:insert(T, [{I} || I <- lists:seq(1, 30)]),
    io:format("after delete_all ~w~n", [walk(T)]),
    ets:delete(T).

fixed() ->
    T = ets:new(t, [set, public]),
    ets:insert(T, [{I} || I <- lists:seq(1, 600)]),
    ets:safe_fixtable(T, true),
    K1 = ets:first(T),
    K2 = ets:next(T, K1),
    ets:delete(T, K2),
    io:format("next of deleted ~w ~w~n", [K2, ets:next(T, K2)]),
    ets:insert(T, [{I} || I <- lists:seq(601, 1500)]),
    ets:insert(T, {K2}),
    io:format("fixed walk ~w~n", [erlang:phash2(walk(T))]),
    lists:foreach(fun(I) -> ets:delete(T, I) end, lists:seq(1, 1500, 3)),
    ets:safe_fixtable(T, false),
    io:format("unfixed walk ~w ~w~n", [length(walk(T)), erlang:phash2(walk(T))]),
    io:format("next of gone ~p~n", [try ets:next(T, 1) catch error:R -> R end]),
    ets:insert(T, [{I} || I <- lists:seq(1501, 1510)]),
    io:format("caught up ~w ~w~n", [length(walk(T)), erlang:phash2(walk(T))]),
    ets:delete(T).

digraphs() ->
    G = digraph:new(),
    Vs = [digraph:add_vertex(G, V) || V <- [a, b, c, d, e, f, 7, "s", 42]],
    [digraph:add_edge(G, X, Y) || {X, Y} <- [{a, b}, {b, c}, {a, d}, {d, e}, {e, f}, {c, f}, {7, a}, {"s", 42}]],
    io:format("vertices ~p~n", [lists:sort(Vs) =:= lists:sort(digraph:vertices(G))]),
    io:format("vertices ~p~n", [digraph:vertices(G)]),
    io:format("topsort ~p~n", [digraph_utils:topsort(G)]),
    io:format("out a ~p~n", [digraph:out_neighbours(G, a)]),
    %% edges are named ['$e' | N]: OTP hashes an atom inside a term by its
    %% index in the atom table, so their order is not reproducible
    io:format("edges ~p~n", [lists:sort(digraph:edges(G))]),
    io:format("in f ~p~n", [digraph:in_edges(G, f)]),
    io:format("components ~p~n", [digraph_utils:components(G)]),
    digraph:delete(G).
