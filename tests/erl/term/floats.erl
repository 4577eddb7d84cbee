-module(floats).
-export([main/0]).

%% Simple floats: arithmetic, conversion, rounding, printing.

main() ->
    io:format("add: ~w~n", [1.5 + 2.25]),
    io:format("sub mul: ~w ~w~n", [10.0 - 0.5, 2.5 * 4]),
    io:format("div: ~w ~w ~w~n", [7 / 2, 1 / 4, 10 / 5]),
    io:format("thirds: ~w~n", [1 / 3]),
    io:format("point3: ~w~n", [0.1 + 0.2]),
    io:format("float/1: ~w ~w~n", [float(3), float(-7)]),
    io:format("round: ~w~n", [[round(X) || X <- [2.5, 3.5, -2.5, 2.4, -2.6, 0.5]]]),
    io:format("trunc: ~w~n", [[trunc(X) || X <- [2.9, -2.9, 0.1, 5.0]]]),
    io:format("floor/ceil: ~w ~w ~w ~w~n", [floor(-1.5), ceil(-1.5), floor(1.5), ceil(1.2)]),
    io:format("int round: ~w ~w~n", [round(7), trunc(-7)]),
    io:format("print: ~w ~w ~w ~w~n", [1.0, -0.5, 100.0, 0.001]),
    io:format("print big: ~w ~w~n", [1.0e20, 1.5e300]),
    io:format("print small: ~w ~w~n", [1.0e-10, 2.5e-5]),
    io:format("print p: ~p ~p~n", [3.14159, 123456789.0]),
    io:format("exp: ~w~n", [1.0e15 * 10]),
    io:format("neg zero: ~w~n", [0.0 * -1]),
    io:format("eq: ~w ~w ~w~n", [0.5 =:= 0.5, 2.0 == 2, 2.0 =:= 2]),
    io:format("order: ~w~n", [lists:sort([3, 1.5, 2, 0.5, -1, -1.5])]),
    io:format("sort eq: ~w ~w~n", [lists:sort([1.0, 1]), lists:sort([1, 1.0])]),
    io:format("max/min: ~w ~w~n", [max(1, 1.0), min(2, 1.5)]),
    io:format("sum: ~w~n", [lists:sum([0.1 || _ <- lists:seq(1, 10)])]),
    io:format("mixed: ~w ~w~n", [1 + 0.5, 3 * 1.5]),
    io:format("abs: ~w ~w~n", [abs(-2.5), -(2.5)]),
    io:format("is_float: ~w ~w~n", [is_float(1.0), is_float(1)]),
    io:format("to_list: ~s~n", [float_to_list(1.5, [{decimals, 3}])]),
    io:format("from_list: ~w~n", [list_to_float("2.75")]),
    io:format("compact: ~s~n", [float_to_list(0.1, [short])]),
    io:format("loop: ~w~n", [harmonic(1000, 0.0) > 7.48]),
    io:format("sqrt-ish: ~w~n", [newton(2.0, 1.0, 20)]),
    io:format("integer part: ~w~n", [trunc(1.0e18)]),
    io:format("big float: ~w~n", [trunc(1.0e20)]),
    io:format("badarith: ~w~n", [catch_div(1.0, 0.0)]).

harmonic(0, Acc) -> Acc;
harmonic(N, Acc) -> harmonic(N - 1, Acc + 1 / N).

newton(_, X, 0) -> X;
newton(A, X, N) -> newton(A, (X + A / X) / 2, N - 1).

catch_div(A, B) ->
    try A / B catch error:R -> R end.
