-module(ets_oset_conc).
-export([main/0]).

%% A public ordered_set with write_concurrency: four processes, each on a key
%% range of its own ({P, K}), insert, look up and delete 100,000 keys each
%% (scattered order), so that writers of different ranges may run in
%% parallel. Best of three.

-define(PROCS, 4).
-define(N, 100000).
-define(RUNS, 3).

main() ->
    {Best, Check} = bench_time:best(?RUNS, fun run/0),
    io:format("CHECK ~w~n", [Check]),
    io:format("RESULT ets_oset_conc ~b~n", [Best]).

run() ->
    T = ets:new(bench, [public, ordered_set, {write_concurrency, true}]),
    Self = self(),
    Pids = [spawn(fun() -> Self ! {done, self(), work(T, P)} end) || P <- lists:seq(1, ?PROCS)],
    Found = lists:sum([receive {done, P, F} -> F end || P <- Pids]),
    Left = ets:info(T, size),
    ets:delete(T),
    {Found, Left}.

key(I) -> (I * 7919) rem 1000003.

work(T, P) ->
    [ets:insert(T, {{P, key(I)}, I}) || I <- lists:seq(1, ?N)],
    Found = length([x || I <- lists:seq(1, ?N), ets:member(T, {P, key(I)})]),
    [ets:delete(T, {P, key(I)}) || I <- lists:seq(1, ?N, 2)],
    Found.
