-module(os_cmd).
-export([main/0]).

%% 10,000 os:cmd("true"): kernel's os:cmd over a {spawn, "/bin/sh -s unix:cmd"}
%% port each time (open, monitor, command, read to the end marker, close).
%% Measures starting and reaping child processes through ports.

-define(CMDS, 10000).
-define(RUNS, 1).

main() ->
    {Best, Out} = bench_time:best(?RUNS, fun() -> run(?CMDS, []) end),
    io:format("CHECK os_cmd ~b commands, output ~p~n", [?CMDS, Out]),
    io:format("RESULT os_cmd ~b~n", [Best]).

run(0, Out) -> Out;
run(N, _) -> run(N - 1, os:cmd("true")).
