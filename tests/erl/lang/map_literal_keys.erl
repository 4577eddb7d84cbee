%% Maps built from constant keys (`#{k => V, ...}`, loaded as one instruction with a shared
%% keys tuple): every kind of constant key and its order, values from x and y registers,
%% repeated keys, builds that need a collection, the largest flat map and the first hash map,
%% and sharing of the keys tuple (erts_debug:size_shared, as on OTP).
-module(map_literal_keys).
-export([main/0, one/3, wide/1]).

one(A, B, C) -> #{b => B, a => A, 3 => C, 2.0 => A, 1 => B, <<"k">> => C, {t, 1} => A, "s" => B, [] => C}.

%% Values in y registers: each call below keeps them across a call.
kept(A, B) -> X = id(A), Y = id(B), M = #{x => X, y => Y, xy => {X, Y}}, {id(M), X}.

id(X) -> X.

wide(V) ->
    #{k01 => V, k02 => V, k03 => V, k04 => V, k05 => V, k06 => V, k07 => V, k08 => V, k09 => V,
      k10 => V, k11 => V, k12 => V, k13 => V, k14 => V, k15 => V, k16 => V, k17 => V, k18 => V,
      k19 => V, k20 => V, k21 => V, k22 => V, k23 => V, k24 => V, k25 => V, k26 => V, k27 => V,
      k28 => V, k29 => V, k30 => V, k31 => V, k32 => V}.

wider(V) -> (wide(V))#{k33 => V}.

build(0, Acc) -> Acc;
build(N, Acc) -> build(N - 1, [#{n => N, sq => N * N, l => [N]} | Acc]).

main() ->
    M = one(x, y, z),
    io:format("~p~n~p~n", [M, maps:to_list(M)]),
    io:format("~p~n", [[maps:get(K, M) || K <- [1, 2.0, 3, a, b, <<"k">>, {t, 1}, "s", []]]]),
    io:format("~p~n", [catch maps:get(2, M)]),
    io:format("~p~n", [kept(1, 2)]),
    io:format("~p~n", [[#{a => 1, a => 2}, #{1 => int, 1.0 => float}]]),
    W = wide(v), io:format("~p ~p~n", [maps:size(W), erts_debug:flat_size(W)]),
    io:format("~p~n", [lists:sort(maps:to_list(wider(w)))]),
    L = build(200000, []),
    io:format("~p ~p~n", [length(L), lists:nth(123456, L)]),
    io:format("~p~n", [lists:sum([S || #{sq := S} <- L]) rem 1000007]),
    S = lists:seq(1, 3), Twice = {one(S, S, S), one(S, S, S)},
    io:format("~p ~p~n", [erts_debug:flat_size(Twice), erts_debug:size_shared(Twice)]),
    io:format("~p~n", [(one(a, b, c))#{a := changed, new => 1}]).
