%% The iteration order of set, bag and duplicate_bag tables is OTP's: every
%% traversal (first/next, last/prev, tab2list, foldl/foldr, match, select,
%% slot) over keys of many types, as tables grow and shrink.
-module(ets_hash_order).
-export([main/0]).

walk(T) -> walk(T, ets:first(T)).
walk(_, '$end_of_table') -> [];
walk(T, K) -> [K | walk(T, ets:next(T, K))].

rwalk(T) -> rwalk(T, ets:last(T)).
rwalk(_, '$end_of_table') -> [];
rwalk(T, K) -> [K | rwalk(T, ets:prev(T, K))].

keys(T) -> [element(1, O) || O <- ets:tab2list(T)].

%% A short fingerprint of a long order, so the output stays small.
fp(L) -> {length(L), erlang:phash2(L)}.

show(Name, T) ->
    io:format("~s walk ~w~n", [Name, fp(walk(T))]),
    io:format("~s rwalk ~w~n", [Name, fp(rwalk(T))]),
    io:format("~s tab2list ~w~n", [Name, fp(keys(T))]),
    io:format("~s foldl ~w~n", [Name, fp(ets:foldl(fun(O, A) -> [element(1, O) | A] end, [], T))]),
    io:format("~s foldr ~w~n", [Name, fp(ets:foldr(fun(O, A) -> [element(1, O) | A] end, [], T))]),
    io:format("~s select ~w~n", [Name, fp(ets:select(T, [{'$1', [], ['$1']}]))]),
    io:format("~s match ~w~n", [Name, fp(ets:match(T, '$1'))]).

small(Type, Opts, Keys) ->
    T = ets:new(t, [Type | Opts]),
    ets:insert(T, [{K, v} || K <- Keys]),
    io:format("~p ~p ~w~n", [Type, Opts, keys(T)]),
    io:format("  walk ~w~n", [walk(T)]),
    ets:delete(T).

main() ->
    Atoms = [a, b, c, d, e, foo, bar, hello, world, x1, x2, ok, error, undefined, true, false],
    Ints = lists:seq(1, 20) ++ [-1, -1000, 1 bsl 27, 1 bsl 59, 1 bsl 60, -(1 bsl 59)],
    Bigs = [1 bsl 64, 1 bsl 100, -(1 bsl 70), 123456789012345678901234567890],
    Floats = [0.0, 1.5, -2.25, 3.14159, 1.0e100],
    Bins = [<<>>, <<"a">>, <<"hello">>, <<1, 2, 3, 4, 5, 6, 7, 8, 9>>, <<"a longer binary, more than sixty-four bytes long, to be off heap.">>],
    Strings = ["", "a", "abc", "hello world", [1000, 2000], [$a | 2]],
    Tuples = [{}, {1}, {1, 2}, {1, {2, 3}}, {"x", <<"y">>, 3.0}, {[1, 2], 7}],
    lists:foreach(fun(Opts) ->
                          lists:foreach(fun(Ks) -> small(set, Opts, Ks) end,
                                        [Atoms, Ints, Bigs, Floats, Bins, Strings, Tuples,
                                         Atoms ++ Ints ++ Bigs ++ Floats ++ Bins ++ Strings ++ Tuples])
                  end, [[], [{write_concurrency, true}], [{read_concurrency, true}]]),
    lists:foreach(fun(Opts) -> grow_shrink(Opts) end,
                  [[set], [bag], [duplicate_bag], [set, {write_concurrency, true}],
                   [bag, {write_concurrency, true}, {read_concurrency, true}]]),
    bags(),
    slots(),
    ok.

%% Objects go in one at a time: a long list makes OTP's ets:insert yield, and
%% a table does not grow while the yielding insert keeps it fixed, so the
%% order would depend on the reductions the caller had used before.
grow_shrink(Opts) ->
    Name = io_lib:format("~w", [Opts]),
    T = ets:new(t, Opts),
    lists:foreach(fun(N) ->
                          insert_each(T, [{I, I * 2} || I <- lists:seq(1, N)]),
                          show([Name, " grown ", integer_to_list(N)], T)
                  end, [100, 257, 300, 2305, 6000]),
    insert_each(T, [{{7, I}, I} || I <- lists:seq(1, 3000)]),
    show([Name, " tuples"], T),
    lists:foreach(fun(I) -> ets:delete(T, I) end, lists:seq(1, 6000, 2)),
    show([Name, " half deleted"], T),
    lists:foreach(fun(I) -> ets:delete(T, {7, I}) end, lists:seq(1, 2900)),
    show([Name, " shrunk"], T),
    insert_each(T, [{I, again} || I <- lists:seq(1, 500)]),
    show([Name, " refilled"], T),
    io:format("~s size ~p~n", [Name, ets:info(T, size)]),
    ets:delete(T).

insert_each(T, Objects) ->
    lists:foreach(fun(O) -> ets:insert(T, O) end, Objects).

bags() ->
    lists:foreach(fun(Type) ->
                          T = ets:new(t, [Type]),
                          ets:insert(T, [{K, V} || V <- [3, 1, 2, 1], K <- [a, b, 7, "s"]]),
                          ets:insert(T, {a, 0}),
                          io:format("~p ~w~n", [Type, ets:tab2list(T)]),
                          io:format("  lookup ~w~n", [ets:lookup(T, a)]),
                          io:format("  walk ~w~n", [walk(T)]),
                          ets:delete_object(T, {a, 1}),
                          io:format("  after delete_object ~w~n", [ets:tab2list(T)]),
                          ets:delete(T)
                  end, [bag, duplicate_bag]).

slots() ->
    T = ets:new(t, [set]),
    ets:insert(T, [{I} || I <- lists:seq(1, 1000)]),
    S = [ets:slot(T, I) || I <- lists:seq(0, 20)],
    io:format("slots ~w~n", [S]),
    ets:delete(T).
