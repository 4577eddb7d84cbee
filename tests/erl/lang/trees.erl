-module(trees).
-export([main/0]).

%% Persistent data structures built from tuples, traversed with funs.

main() ->
    Keys = [(K * 37) rem 101 || K <- lists:seq(1, 100)],
    T = lists:foldl(fun(K, Acc) -> insert(K, K * K, Acc) end, empty, Keys),
    io:format("size: ~w depth: ~w~n", [size_of(T), depth(T)]),
    io:format("lookup: ~w ~w~n", [lookup(37, T), lookup(1000, T)]),
    io:format("in order (first 8): ~w~n", [lists:sublist(keys(T), 8)]),
    io:format("fold sum: ~w~n", [fold(fun(_, V, A) -> A + V end, 0, T)]),
    T2 = map_tree(fun(V) -> V rem 7 end, T),
    io:format("mapped: ~w~n", [[lookup(K, T2) || K <- [1, 2, 3, 4]]]),
    io:format("filtered: ~w~n", [length(filter_keys(fun(K) -> K rem 10 =:= 0 end, T))]),
    T3 = lists:foldl(fun delete/2, T, lists:seq(1, 50)),
    io:format("after delete: ~w ~w~n", [size_of(T3), hd(keys(T3))]),
    io:format("old tree intact: ~w~n", [size_of(T)]),
    E = {add, {mul, {num, 3}, {var, x}}, {neg, {num, 4}}},
    io:format("eval: ~w~n", [eval(E, [{x, 5}])]),
    io:format("simplify: ~w~n", [simplify({add, {mul, {num, 1}, {var, y}}, {num, 0}})]),
    io:format("deriv: ~w~n", [simplify(deriv({mul, {var, x}, {var, x}}, x))]),
    Big = lists:foldl(fun(K, Acc) -> insert(K, K, Acc) end, empty,
                      [(K * 7919) rem 50021 || K <- lists:seq(1, 50000)]),
    io:format("big: ~w ~w~n", [size_of(Big), depth(Big) < 60]).

insert(K, V, empty) -> {empty, K, V, empty};
insert(K, V, {L, K2, V2, R}) when K < K2 -> {insert(K, V, L), K2, V2, R};
insert(K, V, {L, K2, V2, R}) when K > K2 -> {L, K2, V2, insert(K, V, R)};
insert(K, V, {L, K, _, R}) -> {L, K, V, R}.

lookup(_, empty) -> none;
lookup(K, {L, K2, _, _}) when K < K2 -> lookup(K, L);
lookup(K, {_, K2, _, R}) when K > K2 -> lookup(K, R);
lookup(_, {_, _, V, _}) -> {value, V}.

delete(_, empty) -> empty;
delete(K, {L, K2, V, R}) when K < K2 -> {delete(K, L), K2, V, R};
delete(K, {L, K2, V, R}) when K > K2 -> {L, K2, V, delete(K, R)};
delete(_, {empty, _, _, R}) -> R;
delete(_, {L, _, _, empty}) -> L;
delete(_, {L, _, _, R}) ->
    {MK, MV} = min_of(R),
    {L, MK, MV, delete(MK, R)}.

min_of({empty, K, V, _}) -> {K, V};
min_of({L, _, _, _}) -> min_of(L).

size_of(T) -> fold(fun(_, _, A) -> A + 1 end, 0, T).

depth(empty) -> 0;
depth({L, _, _, R}) -> 1 + max(depth(L), depth(R)).

fold(_, Acc, empty) -> Acc;
fold(F, Acc, {L, K, V, R}) -> fold(F, F(K, V, fold(F, Acc, L)), R).

keys(T) -> lists:reverse(fold(fun(K, _, A) -> [K | A] end, [], T)).

map_tree(_, empty) -> empty;
map_tree(F, {L, K, V, R}) -> {map_tree(F, L), K, F(V), map_tree(F, R)}.

filter_keys(P, T) -> fold(fun(K, _, A) -> case P(K) of true -> [K | A]; false -> A end end, [], T).

eval({num, N}, _) -> N;
eval({var, X}, Env) -> {X, V} = lists:keyfind(X, 1, Env), V;
eval({add, A, B}, Env) -> eval(A, Env) + eval(B, Env);
eval({mul, A, B}, Env) -> eval(A, Env) * eval(B, Env);
eval({neg, A}, Env) -> -eval(A, Env).

simplify({add, A, B}) -> simp_add(simplify(A), simplify(B));
simplify({mul, A, B}) -> simp_mul(simplify(A), simplify(B));
simplify(E) -> E.

simp_add({num, 0}, E) -> E;
simp_add(E, {num, 0}) -> E;
simp_add({num, A}, {num, B}) -> {num, A + B};
simp_add(A, B) -> {add, A, B}.

simp_mul({num, 0}, _) -> {num, 0};
simp_mul(_, {num, 0}) -> {num, 0};
simp_mul({num, 1}, E) -> E;
simp_mul(E, {num, 1}) -> E;
simp_mul(A, B) -> {mul, A, B}.

deriv({num, _}, _) -> {num, 0};
deriv({var, X}, X) -> {num, 1};
deriv({var, _}, _) -> {num, 0};
deriv({add, A, B}, X) -> {add, deriv(A, X), deriv(B, X)};
deriv({mul, A, B}, X) -> {add, {mul, deriv(A, X), B}, {mul, A, deriv(B, X)}}.
