%% Standard input through the `user` I/O server (fed from port_stdin.stdin):
%% get_line, get_chars, io:read, io:fread, io:request, prompts, a last
%% line without newline, and eof at the end.
-module(port_stdin).
-export([main/0]).

main() ->
    io:format("~p~n", [io:get_line("p> ")]),
    io:format("~p~n", [io:get_chars("", 3)]),
    io:format("~p~n", [io:read("r> ")]),
    io:format("~p~n", [io:read('')]),
    io:format("~p~n", [io:fread("", "~d ~a")]),
    io:format("~p~n", [io:get_line(user, "")]),
    io:format("~p~n", [io:request(user, {get_line, unicode, ""})]),
    io:format("~p~n", [io:get_line("")]),
    io:format("~p~n", [io:get_chars("", 4)]),
    io:format("~p~n", [io:get_line({format, "~s~w> ", ["n", 1]})]),
    io:format("~p~n", [io:get_line("")]),
    io:format("~p~n", [io:get_chars("", 3)]),
    io:format("~p~n", [io:read("")]),
    io:format("~p~n", [io:fread("", "~d")]),
    io:format("~p~n", [io:getopts()]).
