-module(guards).
-export([main/0]).

%% Guards: type tests, comparisons, boolean operators, arithmetic, BIFs.

main() ->
    Values = [42, -7, 3.5, atom, "str", [], [1 | 2], {t, 1}, <<"abc">>,
              fun() -> ok end, 1 bsl 80],
    lists:foreach(fun(V) -> io:format("~w~n", [classify(V)]) end, Values),
    io:format("ranges: ~w~n", [[range(X) || X <- [-5, 0, 5, 50, 500, 5.0]]]),
    io:format("andalso: ~w~n", [[both(X, Y) || X <- [1, -1], Y <- [2, -2]]]),
    io:format("orelse: ~w~n", [[either(X) || X <- [0, 1, 10, 11, a]]]),
    io:format("semicolon: ~w~n", [[semi(X) || X <- [a, 1, "s", {}]]]),
    io:format("arith: ~w~n", [[arith(X) || X <- [1, 2, 3, 4, 10, 15]]]),
    io:format("bifs: ~w~n", [[bifs(X) || X <- [[1, 2, 3], {a, b}, [], {}, [x]]]]),
    io:format("failing guard: ~w~n", [[safe(X) || X <- [{1}, {1, 2}, [], 3]]]),
    io:format("eq: ~w~n", [[eqs(X) || X <- [1, 1.0, 2]]]),
    io:format("compare types: ~w~n", [[cmp(X) || X <- [1, a, {}, [], "a"]]]),
    io:format("abs/length: ~w~n", [[al(X) || X <- [-3, 3, [a, b, c]]]]),
    io:format("is_function/2: ~w~n",
              [[fa(F) || F <- [fun(_) -> x end, fun(_, _) -> y end, 3]]]),
    io:format("not: ~w~n", [[notg(X) || X <- [true, false, 7]]]),
    io:format("bool guard: ~w~n", [[boolg(X) || X <- [1, 2, 3]]]).

classify(X) when is_integer(X), X > 1 bsl 62 -> {X > 0, big_integer};
classify(X) when is_integer(X) -> {X, integer};
classify(X) when is_float(X) -> {X, float};
classify(X) when is_atom(X) -> {X, atom};
classify([]) -> {[], nil};
classify(X) when is_list(X), is_integer(hd(X)), is_list(tl(X)) -> {X, string};
classify(X) when is_list(X) -> {hd(X), improper};
classify(X) when is_tuple(X), tuple_size(X) =:= 2 -> {X, pair};
classify(X) when is_binary(X) -> {X, binary};
classify(X) when is_function(X) -> {fun_arity, erlang:fun_info(X, arity)};
classify(_) -> other.

range(X) when X < 0 -> neg;
range(X) when X == 0 -> zero;
range(X) when X >= 1, X =< 9 -> digit;
range(X) when X > 9, X < 100 -> two_digits;
range(_) -> big.

both(X, Y) when X > 0 andalso Y > 0 -> pp;
both(X, Y) when X > 0 andalso not (Y > 0) -> pn;
both(_, _) -> other.

either(X) when X =:= 0 orelse X > 10 -> yes;
either(_) -> no.

semi(X) when is_atom(X); is_tuple(X) -> at;
semi(X) when is_integer(X); is_list(X) -> il.

arith(X) when X rem 15 =:= 0 -> fizzbuzz;
arith(X) when X rem 5 =:= 0 -> buzz;
arith(X) when (X * 2 + 1) div 3 =:= 1 -> one;
arith(X) when -X < -3 -> big;
arith(X) -> X.

bifs(X) when length(X) > 2 -> long;
bifs(X) when tuple_size(X) =:= 2, element(1, X) =:= a -> a_pair;
bifs(X) when is_list(X), length(X) =:= 0 -> empty_list;
bifs(X) when size(X) =:= 0 -> empty_tuple;
bifs(_) -> other.

%% A guard that raises an exception just fails.
safe(X) when element(2, X) > 1 -> second_big;
safe(X) when hd(X) =:= 1 -> one;
safe(X) when X + 1 > 2 -> number;
safe(_) -> none.

eqs(X) when X =:= 1 -> exact;
eqs(X) when X == 1 -> equal;
eqs(_) -> neither.

cmp(X) when X < a -> number;
cmp(X) when X < {} -> atom;
cmp(X) when X < [] -> tuple;
cmp(X) when X =:= [] -> nil;
cmp(_) -> list.

al(X) when is_integer(X), abs(X) > 2 -> abs_big;
al(X) when length(X) =:= 3 -> three;
al(_) -> other.

fa(F) when is_function(F, 1) -> one;
fa(F) when is_function(F, 2) -> two;
fa(_) -> no.

notg(X) when not X -> was_false;
notg(X) when X -> was_true;
notg(_) -> not_bool.

boolg(X) when (X > 1) =:= true, X < 3 -> two;
boolg(X) when X =/= 1 -> not_one;
boolg(_) -> one.
