-module(parfib).
-export([main/0]).

%% Four processes computing fib(27) at the same time: scales with schedulers.

-define(PROCS, 4).
-define(N, 27).

main() ->
    T0 = erlang:monotonic_time(microsecond),
    Self = self(),
    [spawn(fun() -> Self ! {fib, fib(?N)} end) || _ <- lists:seq(1, ?PROCS)],
    Sum = lists:sum([receive {fib, V} -> V end || _ <- lists:seq(1, ?PROCS)]),
    Elapsed = erlang:monotonic_time(microsecond) - T0,
    io:format("CHECK parfib ~b~n", [Sum]),
    io:format("RESULT parfib ~b~n", [Elapsed]).

fib(N) when N < 2 -> N;
fib(N) -> fib(N - 1) + fib(N - 2).
