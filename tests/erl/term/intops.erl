-module(intops).
-export([main/0]).

%% Integer operators, signs, and the boundary between small and big
%% integers: small integers hold 60 bits, -2^59 .. 2^59-1, on both VMs.

main() ->
    Pairs = [{7, 2}, {-7, 2}, {7, -2}, {-7, -2}, {0, 5}, {6, 3}],
    io:format("div: ~w~n", [[A div B || {A, B} <- Pairs]]),
    io:format("rem: ~w~n", [[A rem B || {A, B} <- Pairs]]),
    io:format("neg: ~w ~w ~w~n", [-5, - -5, -(3 - 10)]),
    io:format("mixed: ~w~n", [2 + 3 * 4 - 10 div 3]),
    io:format("band: ~w ~w ~w~n", [12 band 10, -1 band 255, -256 band 255]),
    io:format("bor: ~w ~w~n", [12 bor 3, -8 bor 3]),
    io:format("bxor: ~w ~w~n", [12 bxor 10, -1 bxor 5]),
    io:format("bnot: ~w ~w~n", [bnot 0, bnot -6]),
    io:format("bsl: ~w ~w ~w~n", [1 bsl 10, -3 bsl 4, 5 bsl 0]),
    io:format("bsr: ~w ~w ~w~n", [1024 bsr 3, -17 bsr 2, -1 bsr 100]),
    io:format("bsl neg: ~w ~w~n", [1024 bsl -3, 3 bsr -2]),
    io:format("abs: ~w ~w~n", [abs(-42), abs(42)]),
    io:format("~s~n", [row("2^59-1", (1 bsl 59) - 1)]),
    io:format("~s~n", [row("2^59", 1 bsl 59)]),
    io:format("~s~n", [row("-2^59", -(1 bsl 59))]),
    io:format("~s~n", [row("-2^59-1", -(1 bsl 59) - 1)]),
    io:format("~s~n", [row("2^63", 1 bsl 63)]),
    io:format("~s~n", [row("2^64", 1 bsl 64)]),
    Max = (1 bsl 59) - 1,
    Min = -(1 bsl 59),
    io:format("max+1-1: ~w~n", [id(Max) + 1 - 1 =:= Max]),
    io:format("min-1+1: ~w~n", [id(Min) - 1 + 1 =:= Min]),
    io:format("max*2: ~w~n", [id(Max) * 2]),
    io:format("min*-1: ~w~n", [id(Min) * -1]),
    io:format("neg min: ~w~n", [-id(Min)]),
    io:format("min div -1: ~w~n", [id(Min) div -1]),
    io:format("abs min: ~w~n", [abs(id(Min))]),
    io:format("sq: ~w~n", [id(3037000499) * id(3037000499)]),
    io:format("sq2: ~w~n", [id(3037000500) * id(3037000500)]),
    io:format("mul neg: ~w~n", [id(-4000000000) * id(4000000000)]),
    io:format("bsl grow: ~w~n", [[1 bsl N || N <- [58, 59]]]),
    io:format("bsl grow: ~w~n", [[1 bsl N || N <- [60, 61]]]),
    io:format("bsr shrink: ~w~n", [(1 bsl 70) bsr 11]),
    io:format("band max: ~w~n", [id(Max) band id(-1)]),
    io:format("bnot max: ~w~n", [bnot id(Max)]),
    io:format("cmp: ~w~n", [[id(Max) < id(Max) + 1, id(Min) > id(Min) - 1]]),
    io:format("sum loop: ~w~n", [sum_squares(100000, 0)]),
    io:format("digits: ~w~n", [digits(9876543210, [])]),
    io:format("to_list base: ~s ~s ~s~n",
              [integer_to_list(255, 2), integer_to_list(-255, 16), integer_to_list(35, 36)]),
    io:format("from_list base: ~w ~w~n", [list_to_integer("ff", 16), list_to_integer("-777", 8)]),
    io:format("~~b: ~b ~b~n", [-12345, 0]),
    io:format("int/float eq: ~w ~w ~w~n", [1 == 1.0, 1 =:= 1.0, 1 /= 1.0]),
    io:format("int/float lt: ~w ~w ~w~n", [1 < 1.5, 2 > 1.5, -1 < -0.5]).

id(X) -> X.

row(Name, N) ->
    io_row(Name, N, is_integer(N), N - 1, N + 1).

io_row(Name, N, IsInt, Pred, Succ) ->
    Name ++ " " ++ integer_to_list(N) ++ " " ++ atom_to_list(IsInt)
        ++ " " ++ integer_to_list(Succ - Pred).

sum_squares(0, Acc) -> Acc;
sum_squares(N, Acc) -> sum_squares(N - 1, Acc + N * N).

digits(0, Acc) -> Acc;
digits(N, Acc) -> digits(N div 10, [N rem 10 | Acc]).
