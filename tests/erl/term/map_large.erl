-module(map_large).
-export([main/0]).

%% Hash maps (more than 32 keys): the order of maps:to_list/keys/values,
%% of io:format and of iterators follows OTP's internal hash of the keys.
%% Keys here are integers, floats, bignums, tuples, strings and maps
%% (binaries: map_binkeys.erl; atoms are hashed by their index in the atom
%% table, which differs between VMs: see map_atoms.erl).

main() ->
    orders(),
    printing(),
    updates(),
    shrink_and_grow(),
    merges(),
    compare(),
    nested(),
    iterators(),
    ok.

key_sets() ->
    [{ints, lists:seq(1, 33)},
     {ints100, lists:seq(1, 100)},
     {ints1000, lists:seq(1, 1000)},
     {sparse, [K * 1000003 || K <- lists:seq(1, 200)]},
     {negative, [-K || K <- lists:seq(1, 300)]},
     {floats, [K / 8 || K <- lists:seq(1, 100)] ++ [-0.0 + 1.0e-300, 1.0e300, -3.5]},
     {bignums, [(1 bsl 64) * K + K || K <- lists:seq(1, 60)] ++ [-(1 bsl 90) - K || K <- lists:seq(1, 60)]},
     {tuples, [{K, K rem 7, [K]} || K <- lists:seq(1, 150)]},
     {strings, ["key_" ++ integer_to_list(K) || K <- lists:seq(1, 500)]},
     {deep_strings, [[K, [K + 1, {K}], K + 2.5] || K <- lists:seq(1, 40)]},
     {improper, [[K | K + 1] || K <- lists:seq(1, 40)]},
     {maps, [#{K => K, "x" => [K]} || K <- lists:seq(1, 40)] ++ [maps:from_list([{J, K} || J <- lists:seq(1, 40)]) || K <- lists:seq(1, 5)]},
     {mixed, lists:seq(1, 20) ++ [K / 3 || K <- lists:seq(1, 20)] ++ [{K} || K <- lists:seq(1, 20)]}].

orders() ->
    [begin
         M = maps:from_list([{K, N} || {K, N} <- lists:zip(Ks, lists:seq(1, length(Ks)))]),
         io:format("~p ~w~n~w~n~w~n", [Name, map_size(M), maps:keys(M), maps:values(M)]),
         true = maps:to_list(M) =:= lists:zip(maps:keys(M), maps:values(M)),
         %% built one key at a time: the same map, the same order
         M2 = lists:foldl(fun(K, Acc) -> Acc#{K => maps:get(K, M)} end, #{}, Ks),
         io:format("~w ~w~n", [M2 =:= M, maps:to_list(M2) =:= maps:to_list(M)])
     end || {Name, Ks} <- key_sets()],
    ok.

printing() ->
    M = maps:from_list([{K, K * K} || K <- lists:seq(1, 60)]),
    io:format("~w~n", [M]),
    io:format("~p~n", [M]),
    io:format("~P~n", [M, 5]),
    io:format("~p~n", [maps:from_list([{{K, "s" ++ integer_to_list(K)}, [K, K]} || K <- lists:seq(1, 40)])]),
    io:format("~p~n", [[maps:from_list([{K, K} || K <- lists:seq(1, 35)])]]).

updates() ->
    M = maps:from_list([{K, 0} || K <- lists:seq(1, 200)]),
    M1 = lists:foldl(fun(K, Acc) -> Acc#{K := K} end, M, lists:seq(1, 200, 3)),
    M2 = lists:foldl(fun(K, Acc) -> maps:update(K, -K, Acc) end, M1, lists:seq(2, 200, 5)),
    M3 = lists:foldl(fun(K, Acc) -> maps:put(K, put, Acc) end, M2, lists:seq(150, 260)),
    io:format("~w~n~w~n", [maps:to_list(M1), maps:to_list(M2)]),
    io:format("~w ~w~n", [map_size(M3), maps:to_list(M3)]),
    io:format("~w~n", [[maps:get(K, M3) || K <- [1, 2, 4, 7, 149, 150, 260]]]),
    M4 = M3#{1 := a, 2 := b, 300 => c, 301 => d},
    io:format("~w~n", [[maps:find(K, M4) || K <- [1, 2, 300, 301, 302]]]),
    #{1 := A, 300 := C} = M4,
    io:format("~w ~w~n", [A, C]),
    Same = M4#{1 := a},
    io:format("~w~n", [Same =:= M4]).

shrink_and_grow() ->
    M = maps:from_list([{K, K} || K <- lists:seq(1, 40)]),
    Shrunk = lists:foldl(fun(K, Acc) -> maps:remove(K, Acc) end, M, lists:seq(1, 10)),
    io:format("~w~n~w~n", [Shrunk, maps:to_list(Shrunk)]),
    {V, Taken} = maps:take(40, maps:remove(39, maps:remove(38, M))),
    io:format("~w ~w ~w~n", [V, map_size(Taken), Taken]),
    Steps = lists:foldl(fun(K, {Acc, Out}) ->
                                Acc2 = maps:remove(K, Acc),
                                {Acc2, [hd(maps:keys(Acc2)) | Out]}
                        end, {M, []}, lists:seq(40, 2, -1)),
    io:format("~w~n", [element(2, Steps)]),
    Grow = lists:foldl(fun(K, {Acc, Out}) ->
                               Acc2 = Acc#{K => K},
                               {Acc2, [hd(maps:keys(Acc2)) | Out]}
                       end, {#{}, []}, lists:seq(1, 40)),
    io:format("~w~n", [element(2, Grow)]),
    Dups = maps:from_list([{K rem 30, K} || K <- lists:seq(1, 90)]),
    io:format("~w~n", [Dups]),
    io:format("~w~n", [maps:from_keys(lists:seq(1, 50) ++ lists:seq(1, 50), x)]).

merges() ->
    A = maps:from_list([{K, a} || K <- lists:seq(1, 50)]),
    B = maps:from_list([{K, b} || K <- lists:seq(40, 100)]),
    S = #{1 => s, 1000 => s},
    [io:format("~w~n", [maps:to_list(X)]) || X <- [maps:merge(A, B), maps:merge(B, A), maps:merge(A, S), maps:merge(S, A),
                                                   maps:merge(maps:from_list([{K, k} || K <- lists:seq(1, 20)]),
                                                              maps:from_list([{K, k} || K <- lists:seq(15, 30)]))]],
    io:format("~w~n", [maps:merge_with(fun(_, X, Y) -> {X, Y} end, A, B)]),
    io:format("~w~n", [maps:intersect(A, B)]).

compare() ->
    A = maps:from_list([{K, K} || K <- lists:seq(1, 50)]),
    B = A#{50 := 50.0},
    C = maps:remove(1, A#{51 => 51}),
    D = A#{25 := 0},
    io:format("~w~n", [[A == B, A =:= B, A < B, A > B, A < C, C < A, D < A, A =:= maps:from_list(maps:to_list(A))]]),
    io:format("~w~n", [lists:sort([C, A, D, B]) =:= [D, A, B, C] orelse lists:sort([C, A, D, B])]),
    io:format("~w~n", [lists:usort([A, B, C, D, A])]),
    io:format("~w~n", [A < #{} orelse A > #{a => 1}]).

nested() ->
    Inner = maps:from_list([{K, [K]} || K <- lists:seq(1, 34)]),
    Outer = maps:from_list([{{"k", K}, Inner#{K => K}} || K <- lists:seq(1, 34)]),
    io:format("~w~n", [maps:keys(Outer)]),
    io:format("~w~n", [maps:get({"k", 7}, Outer)]),
    Keyed = maps:from_list([{Inner#{K => "x"}, K} || K <- lists:seq(1, 40)]),
    io:format("~w~n", [maps:values(Keyed)]),
    io:format("~w~n", [maps:get(Inner#{7 => "x"}, Keyed)]).

iterators() ->
    M = maps:from_list([{K, K} || K <- lists:seq(1, 100)]),
    {K1, V1, _} = maps:next(maps:iterator(M)),
    io:format("~w ~w~n", [K1, V1]),
    io:format("~w~n", [walk(maps:iterator(M), [])]),
    io:format("~w~n", [maps:fold(fun(K, V, Acc) -> [K + V | Acc] end, [], M)]),
    io:format("~w~n", [maps:map(fun(K, V) -> K * V end, M)]),
    io:format("~w~n", [maps:filter(fun(K, _) -> K rem 3 =:= 0 end, M)]),
    io:format("~w~n", [[K || {K, V} <- maps:to_list(M), K =:= V, K rem 10 =:= 1]]),
    Big = maps:from_list([{K, K} || K <- lists:seq(1, 3000)]),
    io:format("~w~n", [lists:sum(maps:fold(fun(K, _, A) -> [K | A] end, [], Big))]),
    io:format("~w~n", [lists:sublist(maps:keys(Big), 30)]).

walk(I, Acc) ->
    case maps:next(I) of
        none -> lists:reverse(Acc);
        {K, _, Next} -> walk(Next, [K | Acc])
    end.
