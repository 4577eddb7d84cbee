-module(spawn_exit).
-export([main/0]).

%% Spawns 100,000 processes that each exit at once; waits for all to finish
%% through monitors.

-define(N, 100000).

main() ->
    T0 = erlang:monotonic_time(microsecond),
    Refs = [element(2, spawn_monitor(fun() -> ok end)) || _ <- lists:seq(1, ?N)],
    Count = wait(Refs, 0),
    Elapsed = erlang:monotonic_time(microsecond) - T0,
    io:format("CHECK spawn_exit ~b~n", [Count]),
    io:format("RESULT spawn_exit ~b~n", [Elapsed]).

wait([], N) -> N;
wait([R | Rs], N) -> receive {'DOWN', R, process, _, normal} -> wait(Rs, N + 1) end.
