-module(port_echo).
-export([main/0]).

%% A port round trip through `cat` for 100,000 lines: port_command of one
%% line, then wait for it to come back as {Port, {data, {eol, Line}}}. Measures
%% port_command, the poller's read and line framing, and message delivery.

-define(LINES, 100000).
-define(RUNS, 3).

main() ->
    {Best, Sum} = bench_time:best(?RUNS, fun run/0),
    io:format("CHECK port_echo ~b lines, sum ~b~n", [?LINES, Sum]),
    io:format("RESULT port_echo ~b~n", [Best]).

run() ->
    P = open_port({spawn, "cat"}, [{line, 256}]),
    Sum = loop(P, ?LINES, 0),
    port_close(P),
    Sum.

loop(_, 0, Sum) -> Sum;
loop(P, N, Sum) ->
    port_command(P, [integer_to_list(N), $\n]),
    receive
        {P, {data, {eol, Line}}} -> loop(P, N - 1, Sum + list_to_integer(Line))
    end.
