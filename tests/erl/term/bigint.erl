-module(bigint).
-export([main/0]).

%% Integers that overflow a machine word become bignums, and come back.

main() ->
    io:format("fact(30) = ~b~n", [fact(30)]),
    io:format("2^100 = ~b~n", [pow(2, 100)]),
    io:format("-2^100 = ~b~n", [-pow(2, 100)]),
    io:format("3^40 = ~w~n", [pow(3, 40)]),
    B = pow(2, 100),
    io:format("add: ~w~n", [B + 1]),
    io:format("sub back: ~w~n", [(B + 12345) - B]),
    io:format("mul: ~w~n", [B * B]),
    io:format("div: ~w rem: ~w~n", [B div 1000000007, B rem 1000000007]),
    io:format("neg div: ~w rem: ~w~n", [-B div 3, -B rem 3]),
    io:format("big/big: ~w~n", [(B * 7 + 5) div B]),
    io:format("cmp: ~w ~w ~w~n", [B > 1, -B < -1, B =:= pow(2, 100)]),
    io:format("cmp big: ~w ~w~n", [B + 1 > B, B * B > B]),
    io:format("abs: ~w~n", [abs(-B)]),
    io:format("is_integer: ~w~n", [is_integer(B)]),
    io:format("fact 25..27: ~w~n", [[fact(N) rem 1000000007 || N <- [25, 26, 27]]]),
    io:format("sum facts: ~w~n", [lists:sum([fact(N) || N <- lists:seq(1, 22)])]),
    io:format("fib(100) = ~w~n", [fib(100, 0, 1)]),
    io:format("fib(300) digits: ~w~n", [length(integer_to_list(fib(300, 0, 1)))]),
    io:format("to_list: ~s~n", [integer_to_list(pow(10, 30) + 7)]),
    io:format("from_list: ~w~n", [list_to_integer("-123456789012345678901234567890")]),
    io:format("hex: ~s~n", [integer_to_list(pow(2, 64) - 1, 16)]),
    io:format("shrink: ~w ~w~n", [B - (B - 5), (B * 3) div B]),
    io:format("float: ~w~n", [float(pow(2, 70))]),
    io:format("mixed: ~w~n", [B + 0.5 > B]),
    io:format("band: ~w~n", [(B + 255) band 16#ff]),
    io:format("bor: ~w~n", [B bor 1]),
    io:format("bxor: ~w~n", [(B bxor (B + 3))]),
    io:format("bsl: ~w~n", [1 bsl 100 =:= B]),
    io:format("bsr: ~w~n", [B bsr 98]),
    io:format("bnot: ~w~n", [bnot B]),
    io:format("neg band: ~w~n", [(-B) band 16#ffff]),
    io:format("neg bsr: ~w~n", [(-B - 1) bsr 99]),
    io:format("max/min: ~w ~w~n", [max(B, 3), min(-B, 3) =:= -B]),
    io:format("sort: ~w~n", [lists:sort([B, -B, 0, 1 bsl 64, -(1 bsl 64)]) =:=
                             [-B, -(1 bsl 64), 0, 1 bsl 64, B]]),
    io:format("powmod: ~w~n", [powmod(3, 1000, 1000000007)]),
    io:format("big loop: ~w~n", [big_loop(200, 1) rem 1000000007]).

fact(0) -> 1;
fact(N) -> N * fact(N - 1).

pow(_, 0) -> 1;
pow(B, E) -> B * pow(B, E - 1).

fib(0, A, _) -> A;
fib(N, A, B) -> fib(N - 1, B, A + B).

powmod(_, 0, _) -> 1;
powmod(B, E, M) when E rem 2 =:= 0 -> H = powmod(B, E div 2, M), H * H rem M;
powmod(B, E, M) -> B * powmod(B, E - 1, M) rem M.

big_loop(0, Acc) -> Acc;
big_loop(N, Acc) -> big_loop(N - 1, Acc * N + 1).
