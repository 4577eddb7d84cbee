%% The binary BIFs: sizes, conversions to and from lists, atoms, integers
%% and floats, slices, iolists, and module binary's simplest functions,
%% with their errors (reasons only).
-module(bin_bifs).
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

t(F) ->
    try F() of
        V -> show(V)
    catch
        C:R -> {C, R}
    end.

id(X) -> X.

run(Name, Cases) ->
    lists:foldl(fun(F, I) -> io:format("~s ~w: ~w~n", [Name, I, t(F)]), I + 1 end, 1, Cases).

main() ->
    B = id(<<1, 2, 3, 4, 5>>),
    Bits = id(<<1, 2, 1:3>>),
    Odd = odd(),
    Big = id(list_to_binary(lists:seq(0, 255))),
    run("sizes", [
        fun() -> {byte_size(B), bit_size(B), size(B)} end,
        fun() -> {byte_size(Bits), bit_size(Bits)} end,
        fun() -> {byte_size(Odd), bit_size(Odd), is_binary(Odd)} end,
        fun() -> {byte_size(Big), bit_size(Big)} end,
        fun() -> byte_size(id(a)) end,
        fun() -> bit_size(id([])) end,
        fun() -> byte_size(id(<<1:3>>)) end
    ]),
    run("to_list", [
        fun() -> binary_to_list(B) end,
        fun() -> binary_to_list(<<>>) end,
        fun() -> binary_to_list(Bits) end,
        fun() -> binary_to_list(Odd) end,
        fun() -> lists:sum(binary_to_list(Big)) end,
        fun() -> binary_to_list(B, 2, 4) end,
        fun() -> binary_to_list(B, 1, 5) end,
        fun() -> binary_to_list(B, 3, 3) end,
        fun() -> binary_to_list(B, 4, 2) end,
        fun() -> binary_to_list(B, 0, 2) end,
        fun() -> binary_to_list(B, 1, 6) end,
        fun() -> binary_to_list(Bits, 1, 2) end,
        fun() -> binary_to_list(Bits, 1, 3) end,
        fun() -> binary_to_list(Odd, 2, 3) end,
        fun() -> binary_to_list(B, a, 2) end,
        fun() -> bitstring_to_list(Bits) end,
        fun() -> bitstring_to_list(B) end,
        fun() -> bitstring_to_list(<<>>) end,
        fun() -> bitstring_to_list(<<5:3>>) end,
        fun() -> bitstring_to_list(id(a)) end,
        fun() -> bitstring_to_list(odd_bits()) end
    ]),
    run("from_list", [
        fun() -> list_to_binary([1, [2, <<3>>], <<4, 5>> | <<6>>]) end,
        fun() -> list_to_binary([]) end,
        fun() -> list_to_binary([[], [[]], <<>>]) end,
        fun() -> list_to_binary([1, [2, <<3>>], <<4, 5>> | 7]) end,
        fun() -> list_to_binary([256]) end,
        fun() -> list_to_binary([-1]) end,
        fun() -> list_to_binary([<<1:3>>]) end,
        fun() -> list_to_binary(<<1>>) end,
        fun() -> list_to_binary([1 | 2]) end,
        fun() -> list_to_binary([Odd, Big, Odd]) =:= <<Odd/binary, Big/binary, Odd/binary>> end,
        fun() -> byte_size(list_to_binary(lists:duplicate(1000, [<<"ab">>, $c]))) end,
        fun() -> list_to_binary(deep(5000)) end,
        fun() -> iolist_to_binary(B) end,
        fun() -> iolist_to_binary(Odd) end,
        fun() -> iolist_to_binary(<<1:3>>) end,
        fun() -> iolist_to_binary(["ab", [$c | <<"de">>]]) end,
        fun() -> iolist_to_binary(a) end,
        fun() -> iolist_size([1, [2, <<3>>], <<4, 5>> | <<6>>]) end,
        fun() -> iolist_size(B) end,
        fun() -> iolist_size(a) end,
        fun() -> iolist_size([<<1:3>>]) end,
        fun() -> iolist_size(deep(5000)) end,
        fun() -> list_to_bitstring([1, <<1:3>>, [<<2:5>>] | <<3:2>>]) end,
        fun() -> list_to_bitstring([]) end,
        fun() -> list_to_bitstring(<<1:3>>) end,
        fun() -> list_to_bitstring([odd_bits(), odd_bits()]) end,
        fun() -> list_to_bitstring([a]) end
    ]),
    run("slices", [
        fun() -> binary_part(B, 1, 2) end,
        fun() -> binary_part(B, 3, -2) end,
        fun() -> binary_part(B, 5, 0) end,
        fun() -> binary_part(B, 6, 0) end,
        fun() -> binary_part(B, 0, -1) end,
        fun() -> binary_part(B, {1, 2}) end,
        fun() -> binary_part(B, {1}) end,
        fun() -> binary_part(B, a, 1) end,
        fun() -> binary_part(B, 1 bsl 70, 1) end,
        fun() -> binary_part(Bits, 0, 2) end,
        fun() -> binary_part(Bits, 2, 1) end,
        fun() -> binary_part(Odd, 1, 2) end,
        fun() -> binary_part(Big, 100, 70) =:= list_to_binary(lists:seq(100, 169)) end,
        fun() -> split_binary(B, 2) end,
        fun() -> split_binary(B, 0) end,
        fun() -> split_binary(B, 5) end,
        fun() -> split_binary(B, 6) end,
        fun() -> split_binary(Bits, 2) end,
        fun() -> split_binary(Bits, 3) end,
        fun() -> split_binary(odd_bits(), 1) end,
        fun() -> {X, Y} = split_binary(Big, 128), {byte_size(X), byte_size(Y), binary:first(Y)} end,
        fun() -> split_binary(a, 1) end
    ]),
    run("atoms", [
        fun() -> atom_to_binary(hello) end,
        fun() -> atom_to_binary('héllo', latin1) end,
        fun() -> atom_to_binary('héllo', utf8) end,
        fun() -> atom_to_binary('héllo', unicode) end,
        fun() -> atom_to_binary('ĉu', latin1) end,
        fun() -> atom_to_binary('ĉu', utf8) end,
        fun() -> atom_to_binary(id(a), id(foo)) end,
        fun() -> atom_to_binary(id("a")) end,
        fun() -> atom_to_binary('') end,
        fun() -> binary_to_atom(<<"héllo"/utf8>>) end,
        fun() -> binary_to_atom(<<"h", 233, "llo">>, latin1) end,
        fun() -> binary_to_atom(<<"h", 233, "llo">>, utf8) end,
        fun() -> binary_to_atom(<<"ok">>, foo) end,
        fun() -> binary_to_atom(<<1:3>>, utf8) end,
        fun() -> binary_to_atom(<<>>, latin1) end,
        fun() -> binary_to_atom(binary:copy(<<"a">>, 255), utf8) end,
        fun() -> binary_to_atom(binary:copy(<<"a">>, 256), utf8) end,
        fun() -> binary_to_atom(binary:copy(<<233>>, 255), latin1) end,
        fun() -> binary_to_atom(binary:copy(<<233>>, 256), latin1) end,
        fun() -> binary_to_atom(binary:copy(<<"é"/utf8>>, 255), utf8) end,
        fun() -> binary_to_atom(binary:copy(<<"é"/utf8>>, 256), utf8) end,
        fun() -> binary_to_atom(<<237, 160, 128>>, utf8) end,
        fun() -> binary_to_atom(<<192, 128>>, utf8) end,
        fun() -> binary_to_atom(Odd, latin1) end,
        fun() -> binary_to_existing_atom(<<"ok">>, latin1) end,
        fun() -> binary_to_existing_atom(<<"ok">>) end,
        fun() -> binary_to_existing_atom(<<"no such atom, surely 1234">>, utf8) end,
        fun() -> binary_to_existing_atom(binary:copy(<<"a">>, 300), latin1) end,
        fun() -> binary_to_existing_atom(a, utf8) end
    ]),
    run("integers", [
        fun() -> integer_to_binary(123) end,
        fun() -> integer_to_binary(-123, 16) end,
        fun() -> integer_to_binary(1 bsl 100, 36) end,
        fun() -> integer_to_binary(-(1 bsl 100)) end,
        fun() -> integer_to_binary(255, 2) end,
        fun() -> integer_to_binary(1, 37) end,
        fun() -> integer_to_binary(1, 1) end,
        fun() -> integer_to_binary(id(a)) end,
        fun() -> integer_to_binary(id(1.0)) end,
        fun() -> binary_to_integer(<<"123">>) end,
        fun() -> binary_to_integer(<<"-123">>) end,
        fun() -> binary_to_integer(<<"+123">>) end,
        fun() -> binary_to_integer(<<" 123">>) end,
        fun() -> binary_to_integer(<<"">>) end,
        fun() -> binary_to_integer(<<"-">>) end,
        fun() -> binary_to_integer(<<"+-1">>) end,
        fun() -> binary_to_integer(<<"ff">>, 16) end,
        fun() -> binary_to_integer(<<"FF">>, 16) end,
        fun() -> binary_to_integer(<<"zz">>, 36) end,
        fun() -> binary_to_integer(<<"19">>, 8) end,
        fun() -> binary_to_integer(<<"1234567890123456789012345678901234567890">>) end,
        fun() -> binary_to_integer(<<"-1234567890123456789012345678901234567890">>) end,
        fun() -> binary_to_integer(<<"576460752303423487">>) end,
        fun() -> binary_to_integer(<<"576460752303423488">>) end,
        fun() -> binary_to_integer(<<"-576460752303423488">>) end,
        fun() -> binary_to_integer(<<"00012">>) end,
        fun() -> binary_to_integer(<<"-0">>) end,
        fun() -> binary_to_integer(<<"12">>, 1) end,
        fun() -> binary_to_integer(<<"1", 0>>) end,
        fun() -> binary_to_integer(<<"12", 1:3>>) end,
        fun() -> binary_to_integer("12") end
    ]),
    run("floats", [
        fun() -> float_to_binary(1.5) end,
        fun() -> float_to_binary(0.1) end,
        fun() -> float_to_binary(-1.0e300) end,
        fun() -> float_to_binary(1.5, [{decimals, 3}]) end,
        fun() -> float_to_binary(1.5, [short]) end,
        fun() -> float_to_binary(0.1, [short]) end,
        fun() -> float_to_binary(1.5, [{scientific, 2}]) end,
        fun() -> float_to_binary(1.5, [compact, {decimals, 3}]) end,
        fun() -> float_to_binary(100.0, [{decimals, 0}]) end,
        fun() -> float_to_binary(0.1, [{decimals, 253}]) =:= list_to_binary(float_to_list(0.1, [{decimals, 253}])) end,
        fun() -> float_to_binary(0.1, [{decimals, 300}]) end,
        fun() -> float_to_binary(1.0e300, [{decimals, 0}]) end,
        fun() -> float_to_binary(0.1, [bad]) end,
        fun() -> float_to_binary(0.1, [short | a]) end,
        fun() -> float_to_binary(1, []) end,
        fun() -> binary_to_float(<<"1.5">>) end,
        fun() -> binary_to_float(<<"1.5e3">>) end,
        fun() -> binary_to_float(<<"-1.5E-3">>) end,
        fun() -> binary_to_float(<<"+5.0">>) end,
        fun() -> binary_to_float(<<"1,5">>) end,
        fun() -> binary_to_float(<<"1.0", 0, "x">>) end,
        fun() -> binary_to_float(<<"1">>) end,
        fun() -> binary_to_float(<<".5">>) end,
        fun() -> binary_to_float(<<"5.">>) end,
        fun() -> binary_to_float(<<"1.5x">>) end,
        fun() -> binary_to_float(<<"1.0e400">>) end,
        fun() -> binary_to_float(<<"1.0", 1:1>>) end,
        fun() -> binary_to_float("1.0") end
    ]),
    run("module binary", [
        fun() -> binary:first(<<"abc">>) end,
        fun() -> binary:first(<<>>) end,
        fun() -> binary:first(<<1, 1:3>>) end,
        fun() -> binary:last(<<"abc">>) end,
        fun() -> binary:last(<<>>) end,
        fun() -> binary:at(<<"abc">>, 1) end,
        fun() -> binary:at(<<"abc">>, 3) end,
        fun() -> binary:at(<<"abc">>, -1) end,
        fun() -> binary:at(Odd, 0) end,
        fun() -> binary:part(<<1, 2, 3>>, {3, -2}) end,
        fun() -> binary:part(<<1, 2, 3>>, 0, 4) end,
        fun() -> binary:part(Bits, 0, 1) end
    ]),
    run("compare", [
        fun() -> <<1:1>> > <<0>> end,
        fun() -> <<1:1>> < <<128>> end,
        fun() -> <<1, 2>> < <<1, 2, 0:1>> end,
        fun() -> lists:sort([<<1, 2>>, <<1:1>>, <<1, 2, 0:1>>, <<>>, <<0:7>>, <<0>>, Odd, B]) end,
        fun() -> Odd =:= <<7, 7>> end,
        fun() -> odd_bits() =:= <<0:1, 7, 7>> end,
        fun() -> {Big < <<0, 1, 3>>, Big > <<0, 1, 2>>, Big == binary_part(Big, 0, 256)} end
    ]),
    ok.

%% Binaries that sit at odd bit offsets inside other binaries.
odd() ->
    <<_:3, X:16/bits, _:5>> = id(<<0:3, 7, 7, 0:5>>),
    X.

odd_bits() ->
    <<_:3, X:17/bits, _:4>> = id(<<0:3, 0:1, 7, 7, 0:4>>),
    X.

deep(0) -> [];
deep(N) -> [deep(N - 1), N rem 256].
