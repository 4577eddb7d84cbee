%% Prints far more than a pipe holds, for a reader that stops after one line.
-module(stdio_many).
-export([main/0]).

main() ->
    [io:format("line ~p~n", [N]) || N <- lists:seq(1, 200000)],
    ok.
