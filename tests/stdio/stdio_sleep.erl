%% Prints a line, then sleeps: the line must reach the reader at once.
-module(stdio_sleep).
-export([main/0]).

main() ->
    io:format("first line~n"),
    timer:sleep(30000),
    io:format("second line~n").
