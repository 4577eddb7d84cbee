-module(ets_set_ops).
-export([main/0]).

%% ETS set: insert 300,000 keys, then look every one up. Best of three.

-define(N, 300000).
-define(RUNS, 3).

main() ->
    {Best, Check} = bench_time:best(?RUNS, fun run/0),
    io:format("CHECK ~w~n", [Check]),
    io:format("RESULT ets_set_ops ~b~n", [Best]).

run() ->
    T = ets:new(bench, [set]),
    insert(T, 1),
    Sum = lookup(T, 1, 0),
    Size = ets:info(T, size),
    ets:delete(T),
    {Size, Sum}.

insert(_T, N) when N > ?N -> ok;
insert(T, N) -> ets:insert(T, {N, N * 2}), insert(T, N + 1).

lookup(_T, N, Acc) when N > ?N -> Acc;
lookup(T, N, Acc) -> [{_, V}] = ets:lookup(T, N), lookup(T, N + 1, Acc + V).
