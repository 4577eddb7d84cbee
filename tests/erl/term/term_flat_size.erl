%% erts_debug:flat_size/1, size_shared/1 and same/2: words counted as OTP 25 lays terms out
%% (immediates, lists, tuples, floats, bignums, heap/refc/sub binaries and bitstrings, flat
%% and large maps, funs with and without free variables, references), sharing, literals.
-module(term_flat_size).
-export([main/0, mk/1]).

mk(N) -> lists:seq(1, N).

show(Label, Ts) -> io:format("~s: ~w~n", [Label, [erts_debug:flat_size(T) || T <- Ts]]).

main() ->
    show(basic, [1, a, [], [1], [1, 2, 3], "abc", {}, {a, b}, 1.5, {1.0, 2.0}, [1.0 | 2.0],
                 {[1, 2], {3, <<"ab">>}}, lists:seq(1, 10), self(), make_ref(), hd(erlang:ports())]),
    show(integers, [1 bsl 58, 1 bsl 59, 1 bsl 62, 1 bsl 63, 1 bsl 64, -(1 bsl 64), 1 bsl 200, -(1 bsl 127)]),
    Big = binary:copy(<<"x">>, 200), H = binary:copy(<<"y">>, 40),
    <<_:8, S80:80/binary, _/binary>> = Big, <<_:8, S64:64/binary, _/binary>> = Big,
    <<_:8, S65:65/binary, _/binary>> = Big, <<_:8, H10:10/binary, _/binary>> = H,
    <<_:3, HB:20/bits, _/bits>> = H, <<_:3, HB9:9/bits, _/bits>> = H, <<_:8, HB4:4/bits, _/bits>> = H,
    <<_:3, BB:100/bits, _/bits>> = Big, <<_:3, BB7:7/bits, _/bits>> = Big, <<BB1:1/bits, _/bits>> = Big,
    show(binaries, [<<>>, <<1>>, <<"12345678">>, <<"123456789">>, binary:copy(<<1>>, 64),
                    binary:copy(<<1>>, 65), Big, term_to_binary(binary:copy(<<1>>, 100)),
                    binary:copy(<<"z">>, 300)]),
    show(sub_binaries, [S80, S64, S65, H10, HB, HB9, HB4, BB, BB7, BB1]),
    show(bitstrings, [<<1:1>>, <<1:3>>, <<1:9>>, <<0:700>>, <<0:701>>, <<"abc", 1:1>>,
                      list_to_bitstring([<<1:3>>, <<2:4>>])]),
    show(maps, [#{}, #{a => 1}, #{a => 1, b => [x]}, maps:from_list([{I, I} || I <- lists:seq(1, 33)]),
                maps:from_list([{I, I} || I <- lists:seq(1, 100)]),
                maps:from_list([{integer_to_binary(I), I} || I <- lists:seq(1, 500)])]),
    L = mk(3), X = length(L),
    F = fun() -> {L, X} end, G = fun(Y) -> Y + X end,
    show(funs, [fun lists:map/2, fun() -> ok end, F, G, {F, F}]),
    show(refs, [ets:new(t, []), atomics:new(1, []), counters:new(1, []), erlang:monitor(process, self())]),
    S = mk(3), Sh = {S, S, S},
    io:format("shared: ~w~n", [[{erts_debug:flat_size(T), erts_debug:size_shared(T)} || T <- [Sh, [S, S], {F, L}, {F, F}, Big]]]),
    io:format("size: ~w~n", [[erts_debug:size(T) || T <- [Sh, [S, S], {F, F}]]]),
    io:format("literals: ~w~n", [[erts_debug:size_shared(T) || T <- [{1, 2}, "abc", <<1, 2, 3>>, 1.5, {[1, 2, 3], [1, 2, 3]}]]]),
    io:format("literal flat: ~w~n", [[erts_debug:flat_size(T) || T <- [{1, 2}, "abc", <<1, 2, 3>>, 1.5, {[1, 2, 3], [1, 2, 3]}]]]),
    io:format("same: ~w~n", [[erts_debug:same(S, element(1, Sh)), erts_debug:same(S, mk(3)), erts_debug:same(a, a), erts_debug:same(1, 1)]]),
    io:format("long list: ~w~n", [erts_debug:flat_size(lists:seq(1, 200000))]).
