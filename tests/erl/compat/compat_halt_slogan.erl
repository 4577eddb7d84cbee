-module(compat_halt_slogan).
%% halt/1,2 take a slogan only as a flat string of code points: a deep list,
%% a binary or an improper list is badarg. (A valid slogan halts with status
%% 1, and OTP then loses what is still buffered on its way to standard
%% output, so tests/cli_erl.sh checks that case.)
-export([main/0]).

main() ->
    Bad = [["3"], [$a, [$b]], <<"x">>, [-1], "a" ++ b, [a], [16#110000], 1.0, -1, {x}],
    [io:format("~p~n", [catch erlang:halt(A, [{flush, false}])]) || A <- Bad],
    [io:format("~p~n", [catch erlang:halt(A)]) || A <- Bad],
    io:format("~p~n", [catch erlang:halt("x", [bad])]).
