-module(patterns).
-export([main/0]).

%% Pattern matching: nested terms, repeated variables, aliases, literals.

main() ->
    {A, [B, {C, D} | E], F} = {1, [2, {3, 4}, 5, 6], "seven"},
    io:format("nested: ~w ~w ~w ~w ~w ~s~n", [A, B, C, D, E, F]),
    io:format("repeated: ~w~n", [[dup(X) || X <- [{1, 1}, {1, 2}, {[a], [a]}, {1, 1.0}]]]),
    io:format("alias: ~w~n", [alias_of({point, 3, 4})]),
    io:format("alias both sides: ~w~n", [both_sides([1, 2, 3])]),
    io:format("lit: ~w~n", [[lit(X) || X <- [0, 1.0, "ab", [], {}, ok, {ok, []}, 2]]]),
    io:format("string prefix: ~w~n", [[cmd(S) || S <- ["get x", "put y", "del"]]]),
    io:format("binary literal: ~p~n", [bin_lit(<<"abc">>)]),
    io:format("deep: ~w~n", [deep({a, {b, {c, {d, found}}}})]),
    io:format("list shapes: ~w~n", [[shape(L) || L <- [[], [1], [1, 2], [1, 2, 3], [1 | x]]]]),
    io:format("match op: ~w~n", [begin X = Y = 5, X + Y end]),
    io:format("tuple sizes: ~w~n", [[ts(T) || T <- [{}, {1}, {1, 2}, {1, 2, 3}]]]),
    io:format("wildcards: ~w~n", [wild({keep, drop, drop, keep})]),
    io:format("negative literals: ~w~n", [[neg(N) || N <- [-1, 1, -2.5]]]),
    io:format("char literals: ~w~n", [[ch(Ch) || Ch <- "a Z9"]]),
    io:format("bound var in pattern: ~w~n", [bound(3, [1, 2, 3, 4])]),
    io:format("fun head match: ~w~n", [(fun({x, V}) -> V; (_) -> none end)({x, 9})]),
    io:format("big literal: ~w~n", [big(1 bsl 80)]),
    io:format("atom keys: ~w~n", [lookup(c, [{a, 1}, {b, 2}, {c, 3}])]),
    io:format("swap pairs: ~w~n", [[{Y2, X2} || {X2, Y2} <- [{1, a}, {2, b}]]]),
    io:format("many clauses: ~w~n", [[day(N) || N <- lists:seq(1, 8)]]).

dup({X, X}) -> same;
dup(_) -> diff.

alias_of({point, X, Y} = P) -> {P, X + Y}.

both_sides([H | _] = [_, S | _] = L) -> {H, S, length(L)}.

lit(0) -> int;
lit(1.0) -> float;
lit("ab") -> str;
lit([]) -> nil;
lit({}) -> tup;
lit(ok) -> ok;
lit({ok, []}) -> ok_nil;
lit(_) -> other.

cmd("get " ++ K) -> {get, K};
cmd("put " ++ K) -> {put, K};
cmd(_) -> unknown.

bin_lit(<<"abc">>) -> matched;
bin_lit(_) -> no.

deep({a, {b, {c, {d, V}}}}) -> V.

shape([]) -> empty;
shape([_]) -> one;
shape([_, _]) -> two;
shape([_, _ | T]) when is_list(T) -> many;
shape(_) -> improper.

ts({}) -> 0;
ts({_}) -> 1;
ts({_, _}) -> 2;
ts(T) when is_tuple(T) -> n.

wild({K1, _, _, K2}) -> {K1, K2}.

neg(-1) -> minus_one;
neg(-2.5) -> minus_two_and_half;
neg(_) -> other.

ch($a) -> lower_a;
ch($\s) -> space;
ch(C) when C >= $A, C =< $Z -> upper;
ch(C) when C >= $0, C =< $9 -> digit.

bound(X, [X | _]) -> found;
bound(X, [_ | T]) -> bound(X, T);
bound(_, []) -> not_found.

big(1208925819614629174706176) -> matched_big;
big(_) -> no.

lookup(K, [{K, V} | _]) -> V;
lookup(K, [_ | T]) -> lookup(K, T).

day(1) -> mon; day(2) -> tue; day(3) -> wed; day(4) -> thu;
day(5) -> fri; day(6) -> sat; day(7) -> sun; day(_) -> bad.
