-module(map_ops).
-export([main/0]).

%% Large maps: build a 100k-key map one put at a time, look every key up
%% (maps:get and a map pattern), update every key (:=), fold over it,
%% and round-trip it through maps:to_list/from_list. Runs three times
%% and reports the best time.

-define(N, 100000).
-define(RUNS, 3).

main() ->
    {Best, Check} = bench_time:best(?RUNS, fun run/0),
    io:format("CHECK ~w~n", [Check]),
    io:format("RESULT map_ops ~b~n", [Best]).

run() ->
    Keys = [(K * 7919) rem 1000003 || K <- lists:seq(1, ?N)],
    M0 = build(Keys, #{}),
    Sum1 = lookup(Keys, M0, 0),
    Sum2 = match(Keys, M0, 0),
    M1 = update(Keys, M0),
    Sum3 = maps:fold(fun(K, V, A) -> A + K + V end, 0, M1),
    M2 = maps:from_list(maps:to_list(M1)),
    {map_size(M0), Sum1, Sum2, Sum3, M2 =:= M1}.

build([K | Ks], M) -> build(Ks, M#{K => K});
build([], M) -> M.

lookup([K | Ks], M, Acc) -> lookup(Ks, M, Acc + maps:get(K, M));
lookup([], _, Acc) -> Acc.

match([K | Ks], M, Acc) ->
    #{K := V} = M,
    match(Ks, M, Acc + V);
match([], _, Acc) -> Acc.

update([K | Ks], M) ->
    #{K := V} = M,
    update(Ks, M#{K := V + 1});
update([], M) -> M.
