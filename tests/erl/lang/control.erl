-module(control).
-export([main/0]).

%% case and if, including bindings that escape them.

main() ->
    io:format("case: ~w~n", [[describe(X) || X <- [0, 1, {pair, 1, 2}, [a], "xy", other]]]),
    io:format("if: ~w~n", [[sign(X) || X <- [-3, 0, 8]]]),
    io:format("grade: ~w~n", [[grade(S) || S <- [95, 85, 75, 65, 10]]]),
    io:format("bind out: ~w~n", [bind_out(3)]),
    io:format("nested: ~w~n", [[nested(A, B) || A <- [true, false], B <- [1, 2]]]),
    io:format("case of case: ~w~n", [[cc(X) || X <- [1, 2, 3]]]),
    io:format("fizzbuzz: ~w~n", [[fizz(X) || X <- lists:seq(1, 15)]]),
    io:format("tuple result: ~w~n", [divmod(17, 5)]),
    io:format("match in case: ~w~n", [[first_ok(L) || L <- [[error, {ok, 1}], [], [{ok, 2}]]]]),
    io:format("case guard seq: ~w~n", [[cg(X) || X <- [1, 1.5, a, "s"]]]),
    io:format("if with and: ~w~n", [[ifand(X, Y) || X <- [1, 5], Y <- [1, 5]]]),
    io:format("bool expr: ~w~n", [[be(X) || X <- [1, 2, 3, 4]]]),
    io:format("begin/end: ~w~n", [begin X = 6, Y = 7, X * Y end]),
    io:format("repeated var: ~w~n", [[same(P) || P <- [{1, 1}, {1, 2}, {a, a}]]]),
    io:format("fsm: ~w~n", [run_fsm([coin, push, push, coin, push], locked, [])]).

describe(0) -> zero;
describe(X) ->
    case X of
        1 -> one;
        {pair, A, B} -> {sum, A + B};
        [_] -> singleton;
        [C | _] when C >= $a -> {starts, C};
        _ -> unknown
    end.

sign(X) ->
    if
        X < 0 -> negative;
        X =:= 0 -> zero;
        true -> positive
    end.

grade(S) when S >= 90 -> a;
grade(S) ->
    if S >= 80 -> b; S >= 70 -> c; S >= 60 -> d; true -> f end.

bind_out(X) ->
    case X rem 2 of
        0 -> Y = even;
        1 -> Y = odd
    end,
    {X, Y}.

nested(A, B) ->
    case A of
        true -> case B of 1 -> t1; _ -> t_other end;
        false -> if B > 1 -> f_big; true -> f_small end
    end.

cc(X) ->
    case case X of 1 -> a; 2 -> b; _ -> c end of
        a -> first;
        b -> second;
        c -> third
    end.

fizz(X) ->
    case {X rem 3, X rem 5} of
        {0, 0} -> fizzbuzz;
        {0, _} -> fizz;
        {_, 0} -> buzz;
        _ -> X
    end.

divmod(A, B) -> {A div B, A rem B}.

first_ok([]) -> none;
first_ok([{ok, V} | _]) -> V;
first_ok([_ | T]) -> first_ok(T).

cg(X) ->
    case X of
        _ when is_integer(X); is_float(X) -> number;
        _ when is_atom(X) -> atom;
        _ -> other
    end.

ifand(X, Y) ->
    if X > 2, Y > 2 -> both; X > 2; Y > 2 -> one; true -> none end.

be(X) -> (X > 1) and (X < 4) or (X =:= 4).

same({A, A}) -> same;
same({_, _}) -> different.

run_fsm([], State, Trace) -> lists:reverse([State | Trace]);
run_fsm([Ev | Evs], State, Trace) ->
    Next = case {State, Ev} of
               {locked, coin} -> unlocked;
               {locked, push} -> locked;
               {unlocked, push} -> locked;
               {unlocked, coin} -> unlocked
           end,
    run_fsm(Evs, Next, [State | Trace]).
