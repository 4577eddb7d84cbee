%% Standard input at its end from the start (/dev/null): every input request says eof.
-module(port_stdin_empty).
-export([main/0]).

main() ->
    io:format("~p~n", [io:get_line("prompt> ")]),
    io:format("~p~n", [io:get_chars("", 1)]),
    io:format("~p~n", [io:read("")]),
    io:format("~p~n", [io:fread("", "~d")]).
