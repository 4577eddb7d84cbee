-module(compat_halt_slogan).
%% halt/1,2 take a slogan only as a flat string of code points: a deep list
%% or a binary is badarg; a valid one halts with status 1 (its text on stderr).
-export([main/0]).
main() ->
    [io:format("~p~n", [catch erlang:halt(A, [{flush, false}]) ]) || A <- [["3"], [$a, [$b]], <<"x">>, [256], [-1], "a" ++ b, [a]]],
    [io:format("~p~n", [catch erlang:halt(A)]) || A <- [["3"], [$a, [$b]], <<"x">>, [256], 1.0, -1, {x}]].
