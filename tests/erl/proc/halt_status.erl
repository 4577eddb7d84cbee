-module(halt_status).
-export([main/0]).

%% erlang:halt/1 ends the VM with the given status; output printed before
%% it must not be lost.

main() ->
    io:format("about to halt~n"),
    io:format("with status ~b~n", [3]),
    erlang:halt(3),
    io:format("never printed~n").
