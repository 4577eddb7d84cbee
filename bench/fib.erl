-module(fib).
-export([main/0]).

%% Naive doubly recursive fib(30): calls, integer arithmetic, returns.
%% Runs five times and reports the best time, so VM start-up and warm-up
%% are not counted.

-define(N, 30).
-define(RUNS, 5).

main() ->
    {Best, Value} = bench_time:best(?RUNS, fun() -> fib(?N) end),
    io:format("CHECK fib(~b) = ~b~n", [?N, Value]),
    io:format("RESULT fib ~b~n", [Best]).

fib(N) when N < 2 -> N;
fib(N) -> fib(N - 1) + fib(N - 2).
