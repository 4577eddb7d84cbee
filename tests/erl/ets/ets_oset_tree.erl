-module(ets_oset_tree).
-export([main/0]).

%% ordered_set storage under heavy churn (node splits, merges and borrows
%% at every level), checked against a gb_trees model and printed so that
%% OTP and erbium must agree: iteration both ways, next/prev of absent keys,
%% keys of every type in term order (1 and 1.0 one key), selects with partly
%% bound keys (narrowed walks), select_reverse, continuations, select_delete,
%% select_replace, match_delete, slot and delete_all_objects.

main() ->
    churn(int, 20000),
    churn(tuple, 12000),
    churn(mixed, 6000),
    mixed_types(),
    partial_keys(),
    continuations(),
    changes(),
    io:format("done~n").

%% A deterministic generator (no rand: its state format is not the point here).
next_rand(S) -> (S * 1103515245 + 12345) rem 2147483648.

key(int, S) -> S rem 5000;
key(tuple, S) -> {S rem 7, (S div 7) rem 600};
key(mixed, S) ->
    case S rem 9 of
        0 -> S rem 300;
        1 -> float(S rem 300);
        2 -> list_to_atom("a" ++ integer_to_list(S rem 97));
        3 -> {S rem 5, S rem 11};
        4 -> [S rem 4 | S rem 13];
        5 -> integer_to_binary(S rem 200);
        6 -> (S rem 50) * 100000000000000000000;
        7 -> {a, [S rem 3], <<(S rem 256)>>};
        _ -> "str" ++ integer_to_list(S rem 31)
    end.

churn(Shape, Ops) ->
    T = ets:new(t, [ordered_set]),
    {M, _} = lists:foldl(fun(_, {M0, S0}) ->
        S1 = next_rand(S0),
        K = key(Shape, S1 div 16),
        case S1 rem 5 of
            0 -> ets:delete(T, K), {model_delete(K, M0), S1};
            _ -> ets:insert(T, {K, S1}), {model_insert(K, S1, M0), S1}
        end
    end, {gb_trees:empty(), 42}, lists:seq(1, Ops)),
    Model = [{K, V} || {_, {K, V}} <- gb_trees:to_list(M)],
    List = ets:tab2list(T),
    Fwd = walk(T, ets:first(T), fun ets:next/2),
    Bwd = walk(T, ets:last(T), fun ets:prev/2),
    io:format("~p: size ~p model ~p tab2list ~p fwd ~p bwd ~p~n",
              [Shape, ets:info(T, size), List =:= Model, erlang:phash2(List),
               Fwd =:= [K || {K, _} <- List], Bwd =:= lists:reverse(Fwd)]),
    %% next/prev of absent keys: the neighbours in term order
    Probes = [key(Shape, P * 7 + 3) || P <- lists:seq(1, 200)],
    io:format("  probes ~p~n", [erlang:phash2([{ets:next(T, P), ets:prev(T, P)} || P <- Probes])]),
    %% delete everything in scattered order, checking the walk on the way
    Keys = [K || {K, _} <- List],
    Scattered = [K || {_, K} <- lists:sort([{erlang:phash2(K), K} || K <- Keys])],
    delete_all(T, Scattered, 0),
    io:format("  emptied: ~p ~p ~p~n", [ets:info(T, size), ets:first(T), ets:last(T)]),
    ets:delete(T).

%% keys as the table sees them: one per == class (1 and 1.0 share one)
model_insert(K, V, M) -> gb_trees:enter(norm(K), {K, V}, M).
model_delete(K, M) -> gb_trees:delete_any(norm(K), M).
norm(K) when is_number(K) -> {0, K + 0.0};
norm(K) -> {1, K}.

delete_all(_T, [], _) -> ok;
delete_all(T, [K | Ks], N) ->
    ets:delete(T, K),
    case N rem 997 of
        0 ->
            L = ets:tab2list(T),
            Walk = walk(T, ets:first(T), fun ets:next/2),
            ok = check(Walk =:= [Key || {Key, _} <- L] andalso lists:sort(L) =:= L
                       andalso length(L) =:= ets:info(T, size));
        _ -> ok
    end,
    delete_all(T, Ks, N + 1).

check(true) -> ok;
check(false) -> io:format("walk broken~n"), error.

walk(_T, '$end_of_table', _F) -> [];
walk(T, K, F) -> [K | walk(T, F(T, K), F)].

mixed_types() ->
    T = ets:new(t, [ordered_set]),
    Keys = [1, 1.0, 2.5, -3, 100000000000000000000000, a, b, 'B', make_ref_like(), {}, {1}, {1, 2},
            {1, 2.0}, #{}, #{a => 1}, [], [1], [1, 2], "abc", <<>>, <<1>>, <<1:3>>, <<"abc">>],
    [ets:insert(T, {K, I}) || {I, K} <- lists:zip(lists:seq(1, length(Keys)), Keys)],
    io:format("mixed ~p~n", [ets:tab2list(T)]),
    io:format("lookup 1.0 ~p, member 2 ~p, {1,2} ~p~n",
              [ets:lookup(T, 1.0), ets:member(T, 2), ets:lookup(T, {1, 2})]),
    io:format("slots ~p~n", [[ets:slot(T, I) || I <- [0, 5, 19, 20, 21]]]),
    io:format("past the ends ~p ~p ~p ~p~n",
              [ets:prev(T, <<255>>), ets:next(T, <<255>>), ets:next(T, -10), ets:prev(T, -10)]),
    ets:delete(T).

make_ref_like() -> {ref, 1}.

partial_keys() ->
    T = ets:new(t, [ordered_set]),
    [ets:insert(T, {{G, N}, G * N}) || G <- lists:seq(1, 40), N <- lists:seq(1, 50)],
    [ets:insert(T, {{G, N, x}, G}) || G <- lists:seq(1, 5), N <- [1, 2]],
    [ets:insert(T, {[G | N], G}) || G <- [a, b, c], N <- [1, [2], []]],
    ets:insert(T, [{{2.0, 9.5}, float}, {{2, a}, atom}, {x, y}, {{2, 51}, z}]),
    Specs = [
        [{{{2, '_'}, '$1'}, [], ['$1']}],
        [{{{2, '$2'}, '$1'}, [{'<', '$2', 5}], [{{'$2', '$1'}}]}],
        [{{{2.0, '_'}, '_'}, [], ['$_']}],
        [{{{40, '_'}, '_'}, [], [true]}],
        [{{{41, '_'}, '_'}, [], [true]}],
        [{{{0, '_'}, '_'}, [], [true]}],
        [{{{'_', 3}, '$1'}, [], ['$1']}],
        [{{{3, '_', x}, '$1'}, [], ['$$']}],
        [{{[b | '_'], '$1'}, [], ['$_']}],
        [{{[a, '_'], '$1'}, [], ['$_']}],
        [{{{2, '_'}, '$1'}, [], ['$1']}, {{{3, '_'}, '$1'}, [], ['$1']}],
        [{{{7, '$1'}, '_'}, [{'>', '$1', 45}], ['$1']}, {{{7, '$1'}, '_'}, [], [{{'$1'}}]}]
    ],
    [begin
         S = ets:select(T, Spec),
         R = ets:select_reverse(T, Spec),
         C = ets:select_count(T, [{H, G, [true]} || {H, G, _} <- Spec]),
         io:format("~p:~n  ~p~n  rev ~p count ~p~n", [Spec, S, R =:= lists:reverse(S), C])
     end || Spec <- Specs],
    io:format("match ~p~n", [ets:match(T, {{5, '$1'}, '$2'})]),
    io:format("match_object ~p~n", [ets:match_object(T, {{39, '_'}, 1521})]),
    ets:delete(T).

continuations() ->
    T = ets:new(t, [ordered_set]),
    [ets:insert(T, {{K rem 10, K}, K}) || K <- lists:seq(1, 3000)],
    Spec = [{{{3, '$1'}, '_'}, [{'>', '$1', 100}], ['$1']}],
    All = ets:select(T, Spec),
    io:format("chunks ~p ~p~n", [length(All), chunks(ets:select(T, Spec, 7)) =:= All]),
    io:format("rev chunks ~p~n", [chunks(ets:select_reverse(T, Spec, 13)) =:= lists:reverse(All)]),
    io:format("match chunks ~p~n", [length(chunks(ets:match(T, {{4, '$1'}, '_'}, 50)))]),
    {First, Cont} = ets:select(T, [{{'$1', '_'}, [], ['$1']}], 4),
    %% changes between chunks: the walk goes on after the last key it returned
    ets:insert(T, {{0, 1}, new}),
    ets:delete(T, {1, 11}),
    {Next, _} = ets:select(Cont),
    io:format("after changes ~p ~p~n", [First, Next]),
    ets:delete(T).

chunks('$end_of_table') -> [];
chunks({L, Cont}) -> L ++ chunks(ets:select(Cont)).

changes() ->
    T = ets:new(t, [ordered_set]),
    [ets:insert(T, {{K rem 20, K}, K}) || K <- lists:seq(1, 20000)],
    D = ets:select_delete(T, [{{{5, '$1'}, '_'}, [{'<', '$1', 10000}], [true]}]),
    D2 = ets:select_delete(T, [{{'_', '$1'}, [{'==', {'rem', '$1', 3}, 0}], [true]}]),
    R = ets:select_replace(T, [{{{7, '$1'}, '$2'}, [], [{{{{7, '$1'}}, {'+', '$2', 1}}}]}]),
    ets:match_delete(T, {{9, '_'}, '_'}),
    L = ets:tab2list(T),
    io:format("changes ~p ~p ~p size ~p hash ~p sorted ~p~n",
              [D, D2, R, ets:info(T, size), erlang:phash2(L), lists:sort(L) =:= L]),
    ets:delete_all_objects(T),
    io:format("emptied ~p ~p~n", [ets:info(T, size), ets:tab2list(T)]),
    ets:insert(T, {x, 1}),
    io:format("again ~p~n", [ets:tab2list(T)]),
    ets:delete(T).
