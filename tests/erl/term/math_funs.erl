-module(math_funs).
-export([main/0]).

%% The math module: values, integer and float arguments, and OTP's errors.
main() ->
    Ones = [sin, cos, tan, asin, acos, atan, sinh, cosh, tanh, asinh, atanh, exp,
            log, log2, log10, sqrt, erf, erfc, floor, ceil],
    [io:format("~p(~p) = ~p~n", [F, X, catch_reason(math, F, [X])])
     || F <- Ones, X <- [0, 0.5, -0.5, 1, 2, 10, -3.7]],
    io:format("acosh: ~p~n", [[catch_reason(math, acosh, [X]) || X <- [1, 2.5, 0.5]]]),
    Twos = [{atan2, [1, 0]}, {atan2, [0, -1]}, {pow, [2, 10]}, {pow, [2.5, 0.5]}, {pow, [-8, 1/3]},
            {pow, [10, 400]}, {fmod, [5.5, 2]}, {fmod, [-7, 3]}, {fmod, [1, 0]}],
    [io:format("~p~p = ~p~n", [F, A, catch_reason(math, F, A)]) || {F, A} <- Twos],
    io:format("pi: ~p~n", [math:pi()]),
    io:format("errors: ~p~n", [[catch_reason(math, sqrt, [A]) || A <- [foo, -1, 1 bsl 2000]]]),
    io:format("exp(1000): ~p~n", [catch_reason(math, exp, [1000])]),
    io:format("log(0): ~p~n", [catch_reason(math, log, [0])]).

catch_reason(M, F, A) ->
    try apply(M, F, A) catch error:R -> {error, R} end.
