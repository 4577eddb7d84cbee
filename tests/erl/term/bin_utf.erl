%% UTF-8/16/32 segments: construction, matching, skipping, both byte
%% orders, invalid input, and strings of them.
-module(bin_utf).
-export([main/0]).

out(Label, V) -> io:format("~s: ~w~n", [Label, V]).

id(X) -> X.

points() ->
    [0, 16#7F, 16#80, 16#7FF, 16#800, 16#D7FF, 16#E000, 16#FFFD, 16#FFFE, 16#FFFF, 16#10000, 16#1F600, 16#10FFFF].

main() ->
    build(),
    roundtrip(),
    decode_invalid(),
    strings(),
    skipping(),
    ok.

build() ->
    [out("utf8", <<C/utf8>>) || C <- points()],
    [out("utf16", {<<C/utf16>>, <<C/utf16-little>>}) || C <- points()],
    [out("utf32", {<<C/utf32>>, <<C/utf32-little>>}) || C <- points()],
    Bad = [-1, 16#D800, 16#DBFF, 16#DC00, 16#DFFF, 16#110000, 1 bsl 64, a, 1.0, <<>>],
    [out("bad", {C, t(fun() -> <<C/utf8>> end), t(fun() -> <<C/utf16>> end), t(fun() -> <<C/utf32>> end)}) || C <- Bad].

t(F) -> try F() catch C:R -> {C, R} end.

roundtrip() ->
    [begin
         <<A/utf8>> = <<C/utf8>>,
         <<B/utf16>> = <<C/utf16>>,
         <<D/utf16-little>> = <<C/utf16-little>>,
         <<E/utf32>> = <<C/utf32>>,
         <<F/utf32-little>> = <<C/utf32-little>>,
         <<_:3, G/utf8, _:5>> = <<0:3, C/utf8, 0:5>>,
         out("rt", {C, A =:= C, B =:= C, D =:= C, E =:= C, F =:= C, G =:= C})
     end || C <- points()].

dec8(B) -> case B of <<C/utf8, R/binary>> -> {C, R}; _ -> nomatch end.
dec16(B) -> case B of <<C/utf16, R/binary>> -> {C, R}; _ -> nomatch end.
dec16l(B) -> case B of <<C/utf16-little, R/binary>> -> {C, R}; _ -> nomatch end.
dec32(B) -> case B of <<C/utf32, R/binary>> -> {C, R}; _ -> nomatch end.

decode_invalid() ->
    Cases8 = [<<>>, <<16#80>>, <<16#C0, 16#80>>, <<16#C1, 16#BF>>, <<16#C2>>, <<16#C2, 16#41>>,
              <<16#E0, 16#80, 16#80>>, <<16#E0, 16#A0, 16#80>>, <<16#ED, 16#A0, 16#80>>, <<16#ED, 16#9F, 16#BF>>,
              <<16#EF, 16#BF, 16#BF>>, <<16#F0, 16#80, 16#80, 16#80>>, <<16#F0, 16#90, 16#80, 16#80>>,
              <<16#F4, 16#8F, 16#BF, 16#BF>>, <<16#F4, 16#90, 16#80, 16#80>>, <<16#F5, 16#80, 16#80, 16#80>>,
              <<16#F8, 16#88, 16#80, 16#80, 16#80>>, <<16#FF>>, <<16#E2, 16#82>>, <<"a", 16#E2, 16#82, 16#AC>>],
    [out("dec8", {B, dec8(B)}) || B <- Cases8],
    Cases16 = [<<>>, <<0>>, <<16#D8, 0>>, <<16#D8, 0, 16#DC, 0>>, <<16#DC, 0, 16#D8, 0>>, <<16#D8, 0, 0, 65>>,
               <<16#DB, 16#FF, 16#DF, 16#FF>>, <<0, 65, 1>>],
    [out("dec16", {B, dec16(B), dec16l(B)}) || B <- Cases16],
    Cases32 = [<<0, 0, 0, 65>>, <<0, 0, 16#D8, 0>>, <<0, 16#11, 0, 0>>, <<0, 16#10, 16#FF, 16#FF>>, <<255, 255, 255, 255>>, <<0, 0, 0>>],
    [out("dec32", {B, dec32(B)}) || B <- Cases32].

strings() ->
    S = "héllo wörld ✓ 😀",
    U8 = << <<C/utf8>> || C <- S >>,
    out("u8", U8),
    out("u8 back", [C || <<C/utf8>> <= U8]),
    out("u8 lit", <<"héllo ✓"/utf8>> =:= << <<C/utf8>> || C <- "héllo ✓" >>),
    U16 = << <<C/utf16>> || C <- S >>,
    out("u16", U16),
    out("u16 back", [C || <<C/utf16>> <= U16] =:= S),
    U32 = << <<C/utf32-little>> || C <- S >>,
    out("u32", {byte_size(U32), [C || <<C/utf32-little>> <= U32] =:= S}),
    out("len", length8(U8, 0)).

length8(<<_/utf8, R/binary>>, N) -> length8(R, N + 1);
length8(<<>>, N) -> N.

skipping() ->
    B = <<"a✓b"/utf8, 16#1F600/utf16, 16#10000/utf32>>,
    case B of
        <<_/utf8, _/utf8, C/utf8, _/utf16, D/utf32>> -> out("skip", {C, D});
        _ -> out("skip", nomatch)
    end,
    case id(<<16#FF, 1>>) of
        <<_/utf8, _/binary>> -> out("skip bad", matched);
        _ -> out("skip bad", nomatch)
    end.
