%% erlang:phash2/1,2 and erlang:phash/2: OTP's exact values.
-module(etf_hash).
-export([main/0]).
-compile(nowarn_deprecated_function).

main() ->
    lists:foreach(
      fun(T) ->
              io:format("~w ~w ~w ~w ~w~n",
                        [erlang:phash2(T), erlang:phash2(T, 1 bsl 32), erlang:phash2(T, 1000),
                         erlang:phash(T, 1 bsl 32), erlang:phash(T, 7)])
      end, terms()),
    random_terms(),
    ranges(),
    ok.

terms() ->
    [0, 1, -1, 255, 256, 134217727, 134217728, -134217728, -134217729, 2147483647, -2147483648,
     1 bsl 40, -(1 bsl 40), (1 bsl 59) - 1, 1 bsl 59, -(1 bsl 59) - 1, 1 bsl 64, 1 bsl 200, -(1 bsl 1000),
     0.0, -0.0, 1.0, -1.5, 1.0e300, 5.0e-324,
     a, hello, '', 'é', 'ĉu', true, list_to_atom(lists:duplicate(255, $z)),
     [], [[]], [a], "abc", "abcd", "abcde", [1, 2, 3 | 4], [a | b], [256, 1], [1, a, 2], "ab" ++ [x] ++ "cd",
     [-1, 300], [[], [], []],
     {}, {a}, {a, b, c}, {{}, []}, list_to_tuple(lists:seq(1, 100)),
     <<>>, <<1>>, <<1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12>>, <<1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13>>,
     list_to_binary(lists:seq(0, 255)), <<1:1>>, <<1, 2, 3:5>>, <<255, 7:3>>,
     sub_binary(), unaligned_binary(),
     #{}, #{a => 1}, #{1 => a, 1.0 => b}, #{[] => [], {} => {}},
     maps:from_list([{I, I * I} || I <- lists:seq(1, 40)]),
     maps:from_list([{integer_to_list(I), I} || I <- lists:seq(1, 500)]),
     fun lists:map/2, fun erlang:'+'/2, fun etf_hash:main/0,
     fun(X) -> X end, closure(1), closure({a, "b"}),
     {[a, "b", <<"c">>], #{k => [1.5, -3]}, {x, {y, {z}}}},
     lists:seq(1, 10000), deep(10000)].

closure(N) -> fun(X) -> {X, N} end.

deep(0) -> [];
deep(N) -> {deep(N - 1)}.

%% Binaries that are views into larger ones.
sub_binary() ->
    <<_:3/binary, Rest:20/binary, _/binary>> = list_to_binary(lists:seq(1, 100)),
    Rest.

unaligned_binary() ->
    <<_:5, Rest:29/bitstring, _/bitstring>> = list_to_binary(lists:seq(1, 10)),
    Rest.

%% A deterministic pseudo-random walk over term shapes.
random_terms() ->
    {Sum, _} = lists:foldl(
                 fun(_, {Acc, Seed}) ->
                         {T, Seed1} = gen(Seed, 3),
                         {(Acc * 31 + erlang:phash2(T, 1 bsl 32) + erlang:phash(T, 1 bsl 32)) rem (1 bsl 61), Seed1}
                 end, {0, 12345}, lists:seq(1, 2000)),
    io:format("random: ~w~n", [Sum]).

next(S) -> (S * 1103515245 + 12345) rem 2147483648.

gen(S0, D) ->
    S = next(S0),
    case S rem 9 of
        0 when D > 0 -> gen_list(S, D, S rem 5, []);
        1 when D > 0 -> {L, S1} = gen_list(S, D, S rem 4, []), {list_to_tuple(L), S1};
        2 when D > 0 -> {L, S1} = gen_list(S, D, S rem 6, []), {maps:from_list([{K, K} || K <- L]), S1};
        3 -> {S - 1073741824, S};
        4 -> {(S * S * S) bsl (S rem 100), S};
        5 -> {S / 7, S};
        6 -> {list_to_atom("a" ++ integer_to_list(S rem 50)), S};
        7 -> {list_to_binary(integer_to_list(S)), S};
        _ -> {integer_to_list(S rem 1000), S}
    end.

gen_list(S, _D, 0, Acc) -> {Acc, S};
gen_list(S, D, N, Acc) ->
    {T, S1} = gen(S, D - 1),
    gen_list(S1, D, N - 1, [T | Acc]).

ranges() ->
    lists:foreach(
      fun(R) ->
              io:format("~w: ~w ~w~n", [R, reason(fun() -> erlang:phash2({x, y}, R) end),
                                        reason(fun() -> erlang:phash({x, y}, R) end)])
      end, [1, 2, 3, 1 bsl 27, (1 bsl 32) - 1, 1 bsl 32, (1 bsl 32) + 1, 0, -1, 1 bsl 70, 1.0, a]).

reason(F) ->
    try F() catch error:R -> {error, R} end.
