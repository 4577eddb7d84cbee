%% Binary matching: integers, floats, binaries, tails, strings, unit tests,
%% positions (several clauses over one context), contexts passed between
%% functions and kept across calls and garbage collections.
-module(bin_match).
-export([main/0]).

show(B) when is_binary(B) -> B;
show(B) when is_bitstring(B) ->
    N = bit_size(B) div 8 * 8,
    R = bit_size(B) - N,
    <<H:N/bits, T:R>> = B,
    {H, R, T};
show(T) when is_tuple(T) -> list_to_tuple([show(X) || X <- tuple_to_list(T)]);
show([H | T]) -> [show(H) | show(T)];
show(X) -> X.

out(Label, V) -> io:format("~s: ~w~n", [Label, show(V)]).

id(X) -> X.

main() ->
    fixed(),
    variable(),
    floats(),
    binaries(),
    strings(),
    clauses(),
    loops(),
    contexts_survive_gc(),
    guards(),
    errors(),
    ok.

fixed() ->
    B = <<1, 255, 255, 9, 10, 16#80, 0, 0, 0, 0, 0, 0, 1, 7>>,
    <<A:8, C:16/little-signed, D:16/big, E:64/signed, F:1, G:7>> = B,
    out("fixed", {A, C, D, E, F, G}),
    <<H:3, I:5, J:7/signed, K:1, L/bits>> = <<255, 0, 255>>,
    out("bits", {H, I, J, K, L}),
    <<M:12/little, N:4/little>> = <<16#AB, 16#CD>>,
    out("little odd", {M, N}),
    <<O:20/little-signed, _:4>> = <<16#AB, 16#CD, 16#EF>>,
    out("little signed", O),
    <<P:64/native, Q:32/native-signed>> = <<1, 2, 3, 4, 5, 6, 7, 8, 255, 255, 255, 254>>,
    out("native", {P, Q}),
    <<Big:128, BigL:128/little, BigS:100/signed>> = <<-1:128, 1:128/little, -5:100>>,
    out("big", {Big, BigL, BigS}),
    <<X59:59, X60:60, X61:61/signed, _:4>> = <<-1:59, -1:60, -1:61, 0:4>>,
    out("limits", {X59, X60, X61}),
    <<Z:0, Rest/binary>> = <<5>>,
    out("zero", {Z, Rest}).

variable() ->
    B = <<3, 1, 2, 3, 4, 5, 6, 7>>,
    <<S:8, V:S/unit:8, R/binary>> = B,
    out("var", {S, V, R}),
    <<S2:4, V2:S2/little-unit:4, R2/bits>> = <<2:4, 16#ABCD:16, 1:4>>,
    out("var little", {S2, V2, R2}),
    Sz = id(16),
    <<V3:Sz/signed, _/binary>> = <<-300:16, 0>>,
    out("var signed", V3),
    W = id(200),
    <<V4:W, V5:W/little>> = <<1:200, 2:200/little>>,
    out("wide", {V4, V5}),
    S3 = id(3), S70 = id(70),
    <<_:S3, V6:S70/signed, _/bits>> = <<0:3, -2:70, 0:7>>,
    out("odd wide", V6).

floats() ->
    F = fun(B) -> case B of
                      <<X:16/float>> -> {h, X};
                      <<X:32/float>> -> {s, X};
                      <<X:64/float>> -> {d, X};
                      <<X:32/float-little, _>> -> {sl, X};
                      _ -> nomatch
                  end end,
    [out("float", F(B)) || B <- [<<16#3C00:16>>, <<1:16>>, <<16#7C00:16>>, <<16#FC00:16>>, <<16#7E00:16>>,
                                  <<16#8000:16>>, <<16#7BFF:16>>, <<1.5:32/float>>, <<16#7F800000:32>>,
                                  <<-0.1:64/float>>, <<16#7FF0000000000000:64>>, <<16#7FF8000000000001:64>>,
                                  <<2.5:32/float-little, 0>>, <<0:40>>, <<1, 2, 3>>]],
    <<A:64/float-little, B2:32/float-native, C:2/float-unit:32>> = <<1.25:64/float-little, 3.5:32/float-native, 4.5:64/float>>,
    out("float flags", {A, B2, C}),
    S = id(24),
    out("float bad size", case <<0:24>> of <<X:S/float>> -> X; _ -> nomatch end),
    out("float odd offset", case <<1:3, 2.0:64/float, 0:5>> of <<_:3, Y:64/float, _:5>> -> Y end).

binaries() ->
    B = <<1, 2, 3, 4, 5, 6, 7, 8, 9>>,
    <<A:2/binary, C:3/binary-unit:8, D/binary>> = B,
    out("bin", {A, C, D}),
    <<E:3, F:13/bits, G/bits>> = B,
    out("bits", {E, F, G}),
    <<_:3, H:2/binary, _/bits>> = B,
    out("odd binary", {H, is_binary(H), byte_size(H)}),
    N = id(4),
    <<I:N/binary, J/binary>> = B,
    out("var bin", {I, J}),
    case B of
        <<_:N/binary-unit:16, _/binary>> -> out("unit16", yes);
        _ -> out("unit16", no)
    end,
    S10 = id(10),
    case B of
        <<_:S10/binary, _/binary>> -> out("too long", yes);
        _ -> out("too long", no)
    end,
    case <<1:7>> of
        <<K/binary>> -> out("all not binary", K);
        <<K/bits>> -> out("all bits", K)
    end,
    case B of
        <<L:5/binary-unit:2, M/binary-unit:16>> -> out("all unit", {L, M});
        _ -> out("all unit", no)
    end,
    Large = list_to_binary(lists:seq(0, 199)),
    <<_:10/binary, P:100/binary, Q/binary>> = Large,
    out("large parts", {byte_size(P), binary:at(P, 0), byte_size(Q)}),
    <<_:5, R:100/binary, _/bits>> = Large,
    out("large odd", {byte_size(R), binary:at(R, 0), binary:at(R, 99)}).

strings() ->
    M = fun(<<"GET ", Path/binary>>) -> {get, Path};
           (<<"POST ", Path/binary>>) -> {post, Path};
           (<<1:3, "ab", _/bits>>) -> odd;
           (_) -> other
        end,
    [out("string", M(X)) || X <- [<<"GET /index">>, <<"POST /x">>, <<"PUT /">>, <<1:3, "abc", 0:5>>, <<"GE">>]],
    <<"x", Y:8, "yz", Z/binary>> = <<"xAyzrest">>,
    out("string mix", {Y, Z}).

%% Several clauses over one context: positions are saved and restored.
clauses() ->
    F = fun(<<1, X:8>>) -> {one, X};
           (<<1, X:16>>) -> {two, X};
           (<<2, _:4, Y:4, Rest/binary>>) -> {three, Y, Rest};
           (<<A, B, C, _/binary>>) when A + B =:= C -> sum;
           (<<_/binary>>) -> bin;
           (_) -> notbin
        end,
    [out("clauses", F(X)) || X <- [<<1, 5>>, <<1, 1, 1>>, <<2, 16#F3, 9>>, <<3, 4, 7, 0>>, <<3, 4, 8>>, <<>>, <<1:1>>, foo]],
    G = fun(<<X:8, _/binary>> = Whole) -> {X, Whole} end,
    out("alias", G(<<9, 8>>)).

%% Recursive matching reuses the context across calls.
loops() ->
    Bin = list_to_binary(lists:seq(1, 250)),
    out("sum", sum(Bin, 0)),
    out("count ones", ones(<<16#F0F0F0F0:32, 1:3>>, 0)),
    out("split", split(<<"a,bb,,ccc">>, <<>>, [])),
    out("words16", words16(<<1, 2, 3, 4, 5, 6>>)),
    out("tail fail", reason(fun() -> sum(<<1, 2, 3:4>>, 0) end)).

sum(<<X, Rest/binary>>, Acc) -> sum(Rest, Acc + X);
sum(<<>>, Acc) -> Acc.

ones(<<1:1, R/bits>>, N) -> ones(R, N + 1);
ones(<<0:1, R/bits>>, N) -> ones(R, N);
ones(<<>>, N) -> N.

split(<<$,, R/binary>>, Cur, Acc) -> split(R, <<>>, [Cur | Acc]);
split(<<C, R/binary>>, Cur, Acc) -> split(R, <<Cur/binary, C>>, Acc);
split(<<>>, Cur, Acc) -> lists:reverse([Cur | Acc]).

words16(<<W:16, R/binary>>) -> [W | words16(R)];
words16(<<>>) -> [].

%% Match contexts in y registers across calls that collect garbage.
contexts_survive_gc() ->
    Bin = list_to_binary([X rem 256 || X <- lists:seq(1, 3000)]),
    out("gc walk", walk(Bin, 0, [])),
    out("ctx in y", lists:sum(keep(Bin, []))),
    Big = binary:copy(<<1, 2, 3, 4, 5, 6, 7, 8, 9, 10>>, 500),
    out("ctx in y refc", lists:sum(keep(Big, []))).

%% The match context stays in a y register across the call (and its collections).
keep(<<X:8, R/binary>>, Acc) ->
    J = lists:seq(1, 20),
    keep(R, [X + length(J) | Acc]);
keep(<<>>, Acc) -> Acc.

walk(<<A, B, Rest/binary>>, N, Acc) ->
    Junk = lists:seq(1, 50),
    walk(Rest, N + length(Junk), [A + B | Acc]);
walk(<<_>>, N, Acc) -> {N, lists:sum(Acc)};
walk(<<>>, N, Acc) -> {N, lists:sum(Acc), length(Acc)}.

guards() ->
    F = fun(X) when is_binary(X) -> binary;
           (X) when is_bitstring(X) -> bitstring;
           (_) -> other
        end,
    <<_:4, Sub:16/bits, _:4>> = <<1, 2, 3>>,
    <<_:8, Sub2:8/bits, _/bits>> = <<1, 2, 3>>,
    out("guards", [F(X) || X <- [<<>>, <<1:1>>, <<1, 2>>, Sub, Sub2, list_to_binary(lists:duplicate(100, 1)), 42]]),
    out("sizes", [{byte_size(X), bit_size(X)} || X <- [<<>>, <<1:1>>, Sub, Sub2, <<1, 2:5>>]]).

reason(F) ->
    try F() catch error:R -> {error, R} end.

errors() ->
    out("badmatch", reason(fun() -> <<X:8>> = id(<<1, 2>>), X end)),
    out("badmatch2", reason(fun() -> M = id(-1), <<_:M>> = id(<<>>), ok end)),
    out("not bin", reason(fun() -> <<_:8>> = id(atom), ok end)),
    out("case", reason(fun() -> case id(<<1>>) of <<2>> -> two end end)),
    out("function_clause", reason(fun() -> sum(<<1:4>>, 0) end)).
