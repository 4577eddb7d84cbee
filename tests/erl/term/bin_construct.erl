%% Binary construction (bs_create_bin): every segment type, sizes,
%% endianness, signedness, units, and the errors OTP raises.
-module(bin_construct).
-export([main/0]).

%% Bitstrings that are not whole bytes are shown as {Bytes, TailBits, TailValue}.
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

t(F) ->
    try F() of
        V -> show(V)
    catch
        C:R -> {C, R}
    end.

%% A deterministic pseudo-random sequence (no dependence on rand).
next(S) -> (S * 6364136223846793005 + 1442695040888963407) band 16#FFFFFFFFFFFFFFFF.

main() ->
    integers(),
    integer_flags(),
    integer_sweep(),
    floats(),
    binaries(),
    strings_and_utf(),
    units(),
    errors(),
    big_results(),
    constant_ints(),
    ok.

integers() ->
    [out("int", <<V:S>>) || V <- [0, 1, 5, 255, 256, -1, -128, 16#123456], S <- [0, 1, 3, 7, 8, 9, 12, 16, 24]],
    out("int65", <<-1:65>>),
    out("int70", <<-1:70/little>>),
    out("int90l", <<16#123456789ABCDEF012345:90/little>>),
    out("int90b", <<16#123456789ABCDEF012345:90>>),
    out("big128", <<(1 bsl 127):128>>),
    out("big128n", <<(-(1 bsl 127)):128>>),
    out("big129l", <<(1 bsl 128 + 5):129/little>>),
    out("bignarrow", <<(1 bsl 100 + 16#ABCD):16>>),
    out("bignarrowl", <<(1 bsl 100 + 16#ABCD):16/little>>),
    out("negbig", <<(-(1 bsl 80) - 3):96>>),
    out("negbigl", <<(-(1 bsl 80) - 3):96/little>>),
    out("wide", <<7:200>>),
    out("widel", <<7:200/little>>),
    out("wideneg", <<-7:200>>),
    out("zero wide", <<0:1000>>),
    out("multi", <<1:1, 0:1, 1:1, 1:1, 5:4, 300:9, -2:7>>).

integer_flags() ->
    V = -2,
    [out("flags", X) || X <- [<<V:16/big>>, <<V:16/little>>, <<V:16/native>>, <<V:16/signed>>,
                              <<V:16/unsigned-little>>, <<V:12/little>>, <<16#ABC:12/little>>,
                              <<16#ABCDE:20/little>>, <<16#ABCDE:20/native>>,
                              <<1:3/little>>, <<16#1FF:9/little>>]].

%% Round trips of random values through every size 1..130 and both byte orders.
integer_sweep() ->
    lists:foldl(fun(Size, S0) ->
        S1 = next(S0),
        S2 = next(S1),
        V = (S1 bsl 64 bor S2) bsr (128 - min(Size, 128)),
        Neg = -V,
        B1 = <<V:Size>>, B2 = <<V:Size/little>>, B3 = <<Neg:Size/signed>>, B4 = <<Neg:Size/little-signed>>,
        <<U1:Size>> = B1, <<U2:Size/little>> = B2, <<U3:Size/signed>> = B3, <<U4:Size/little-signed>> = B4,
        io:format("~w ~w ~w ~w ~w ~w~n", [Size, show(B1), show(B2), show(B3), {U1, U2}, {U3, U4}]),
        S2
    end, 42, lists:seq(1, 130)),
    ok.

floats() ->
    [out("float", t(fun() -> <<F:S/float>> end))
     || F <- [0.0, -0.0, 1.5, -2.25, 1.0e300, 3.4028235e38, 65504.0, 65519.0, 65520.0, 1.0e-8,
              5.0e-324, 6.0e-8, 3.0e-5, 1, -7, 1 bsl 70],
        S <- [16, 32, 64]],
    [out("floatl", <<F:S/float-little>>) || F <- [1.5, -0.1], S <- [16, 32, 64]],
    out("floatn", <<1.5:64/float-native>>),
    out("float unit", <<2.5:2/float-unit:32>>),
    out("float odd", t(fun() -> <<1.0:24/float>> end)),
    out("float huge int", t(fun() -> <<(1 bsl 1024):64/float>> end)),
    out("float atom", t(fun() -> X = list_to_atom("a"), <<X:64/float>> end)),
    out("float mixed", <<1:3, 1.5:32/float, 2:5>>).

binaries() ->
    B = <<1, 2, 3, 4, 5>>,
    Bits = <<1:1, 0:1, 1:1>>,
    out("bin all", <<B/binary>>),
    out("bin sized", <<B:3/binary>>),
    out("bin bits", <<Bits/bits, B/binary, Bits/bitstring>>),
    out("bin bits sized", <<B:11/bits>>),
    out("bin odd offset", <<1:3, B/binary, 0:5>>),
    out("bin empty", <<(<<>>)/binary>>),
    out("bin units", <<B:2/binary-unit:16>>),
    out("bin too short", t(fun() -> <<B:6/binary>> end)),
    out("bin not binary", t(fun() -> <<Bits/binary>> end)),
    out("bin not bitstring", t(fun() -> X = id(42), <<X/binary>> end)),
    Sub = binary_part(<<0, 1, 2, 3, 4, 5, 6, 7, 8, 9>>, 3, 4),
    out("bin sub", <<Sub/binary, Sub/binary>>),
    <<_:3, Odd:16/bits, _/bits>> = <<255, 0, 255>>,
    out("odd sub", <<Odd/binary>>),
    out("odd is_binary", is_binary(Odd)).

id(X) -> X.

strings_and_utf() ->
    out("string", <<"hello", " ", "world">>),
    out("string bits", <<1:1, "ab", 1:7>>),
    out("utf8", <<"héllo"/utf8, 16#1F600/utf8>>),
    out("utf16", <<"hé"/utf16, 16#1F600/utf16>>),
    out("utf16l", <<"hé"/utf16-little, 16#1F600/utf16-little>>),
    out("utf32", <<"hé"/utf32, 16#1F600/utf32-little>>),
    out("utf odd", <<1:2, 16#E9/utf8, 16#10000/utf16, 1:6>>),
    [out("utf bad", t(fun() -> V = id(C), <<V/utf8>> end)) || C <- [-1, 16#D800, 16#110000, a, 1.0]],
    [out("utf16 bad", t(fun() -> V = id(C), <<V/utf16>> end)) || C <- [16#DFFF, 16#110000]],
    [out("utf32 bad", t(fun() -> V = id(C), <<V/utf32>> end)) || C <- [16#D800, -5]].

units() ->
    S = id(3),
    out("unit int", <<5:S/unit:4>>),
    out("unit bin", <<(<<1, 2, 3, 4, 5, 6>>):S/binary-unit:16>>),
    out("unit bits", <<(<<1, 2, 3>>):S/binary-unit:5>>),
    out("var size", <<1:S, 2:(S * 2), 3:(S + 1)/little>>),
    out("size zero", t(fun() -> <<1:0, (id(<<>>)):0/binary>> end)),
    out("size zero bad", t(fun() -> <<1:0, (id(a)):0/binary>> end)).

errors() ->
    [out("err", t(F)) || F <- [
        fun() -> <<(id(a)):8>> end,
        fun() -> <<(id(1.5)):8>> end,
        fun() -> <<1:(id(-1))>> end,
        fun() -> <<1:(id(a))>> end,
        fun() -> <<1:(id(1 bsl 62))>> end,
        fun() -> <<1:(id(1 bsl 70))>> end,
        fun() -> <<1:(id(-(1 bsl 70)))>> end,
        fun() -> <<(id(<<1>>)):(id(2))/binary>> end,
        fun() -> <<(id([1])):8/binary>> end,
        fun() -> <<(id(<<1:3>>))/binary>> end,
        fun() -> <<(id(a))/utf8>> end,
        fun() -> <<(id(1.0)):(id(8))/float>> end,
        fun() -> <<(id(1.0)):(id(a))/float>> end,
        fun() -> X = id(a), <<1:8, X:8>> end
    ]],
    %% a guard failure is not an error
    G = fun(X) when <<X:8>> =:= <<1>> -> yes; (_) -> no end,
    out("guard", [G(1), G(a), G(257)]).

big_results() ->
    L = lists:seq(0, 255),
    B = list_to_binary(L),
    Big = <<B/binary, B/binary, B/binary>>,
    out("big size", byte_size(Big)),
    out("big sum", lists:sum(binary_to_list(Big))),
    Odd = <<1:3, Big/binary>>,
    out("big odd", {bit_size(Odd), binary_part(<<Odd/bits, 0:5>>, 100, 4)}),
    Huge = << <<X:32>> || X <- lists:seq(1, 10000) >>,
    out("huge", {byte_size(Huge), binary:at(Huge, 39999), binary_part(Huge, 20000, 8)}),
    Twice = <<Huge/binary, Huge/binary>>,
    out("twice", {byte_size(Twice), Twice =:= <<Huge/binary, Huge/binary>>}).

%% Integer segments of constant sizes (the loader's fast variants) with
%% values and bases that need the general path.
constant_ints() ->
    [out("const", t(fun() -> <<V:8, V:16/little, V:13/signed, V:64, V:3>> end))
     || V <- [0, 1, -1, 300, 1 bsl 62, -(1 bsl 70), 1.5, a]],
    [out("append", t(fun() -> <<B/binary, 7:8, -1:12>> end))
     || B <- [<<>>, <<1, 2>>, <<1:4>>, list_to_binary(lists:seq(1, 100)), a]],
    [out("append bits", t(fun() -> <<B/bits, 7:8, 1:1>> end)) || B <- [<<>>, <<1:4>>, <<5>>]],
    [out("append big", t(fun() -> <<(id(<<1>>))/binary, V:16, 2:8>> end)) || V <- [1 bsl 80, 2.0, -3]],
    Acc = lists:foldl(fun(I, A) -> <<A/binary, I:12, (I band 15):4/little>> end, <<>>, lists:seq(1, 300)),
    out("acc", {byte_size(Acc), binary_part(Acc, 590, 10)}),
    Bits = lists:foldl(fun(I, A) -> <<A/bits, I:5>> end, <<>>, lists:seq(1, 100)),
    out("acc bits", {bit_size(Bits), [X || <<X:5>> <= Bits] =:= [I band 31 || I <- lists:seq(1, 100)]}).
