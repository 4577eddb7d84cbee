%% The timing loop of the benchmarks that repeat their work: runs Fun Runs
%% times and returns {BestMicroseconds, LastResult}, so that VM start-up and
%% warm-up are not counted.
-module(bench_time).
-export([best/2]).

best(Runs, Fun) -> best(Runs, Fun, infinity, none).

best(0, _, Best, Result) -> {Best, Result};
best(Runs, Fun, Best, _) ->
    T0 = erlang:monotonic_time(microsecond),
    Result = Fun(),
    Elapsed = erlang:monotonic_time(microsecond) - T0,
    best(Runs - 1, Fun, min(Best, Elapsed), Result).
