-module(pingpong).
-export([main/0]).

%% 300,000 round trips between two processes.

-define(N, 300000).

main() ->
    T0 = erlang:monotonic_time(microsecond),
    Pong = spawn(fun pong/0),
    ping(Pong, ?N),
    Pong ! stop,
    Elapsed = erlang:monotonic_time(microsecond) - T0,
    io:format("CHECK pingpong ~b~n", [?N]),
    io:format("RESULT pingpong ~b~n", [Elapsed]).

ping(_, 0) -> ok;
ping(Pong, N) ->
    Pong ! {ping, self(), N},
    receive {pong, N} -> ping(Pong, N - 1) end.

pong() ->
    receive
        {ping, From, N} -> From ! {pong, N}, pong();
        stop -> ok
    end.
