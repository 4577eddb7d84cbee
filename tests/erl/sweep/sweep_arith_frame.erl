-module(sweep_arith_frame).
-export([main/0, id/1]).
%% Which failing arithmetic puts the operator's BIF frame on top of the stack trace:
%% OTP names it except for Reg + Int, Int + Reg and Reg - Int (an increment).
id(X) -> X.
t(F) -> try F() of V -> {value, V} catch C:R:St -> {C, R, hd(St)} end.
main() ->
    X = list_to_atom("x"), Z = list_to_integer("0"), Fl = list_to_float("1.5"), B = 1 bsl list_to_integer("70"),
    L = [
     fun() -> 1 + X end, fun() -> X + 1 end, fun() -> X - 1 end, fun() -> X * 2 end, fun() -> 1 / Z end,
     fun() -> 1 / X end, fun() -> 1 div Z end, fun() -> 1 rem Z end, fun() -> X div 2 end, fun() -> Fl div 2 end,
     fun() -> -X end, fun() -> +X end, fun() -> bnot X end, fun() -> X band 1 end, fun() -> 1 bsl X end, fun() -> Fl bor 1 end,
     fun() -> B / Z end, fun() -> B div Z end, fun() -> Fl / 0.0 end, fun() -> Fl * 1.0e308 * 10 end, fun() -> B + X end,
     fun() -> 1 bsl 100000000000 end, fun() -> X > 1 end, fun() -> abs(X) end, fun() -> trunc(X) end, fun() -> float(X) end,
     fun() -> math:sqrt(X) end, fun() -> math:log(Z) end, fun() -> math:pow(10.0, 400) end, fun() -> Fl + X end,
     fun() -> element(X, {}) end, fun() -> max(X, 1) end, fun() -> size(X) end, fun() -> tuple_size(X) end,
     fun() -> byte_size(X) end, fun() -> length(X) end, fun() -> hd(X) end, fun() -> map_size(X) end, fun() -> X#{a => 1} end,
     fun() -> not X end, fun() -> X and true end, fun() -> true andalso X end, fun() -> X orelse true end, fun() -> X xor true end,
     fun() -> binary_part(X, 0, 1) end, fun() -> bit_size(X) end, fun() -> integer_to_list(X) end, fun() -> 1 - Fl * X end
    ],
    [io:format("~p~n", [t(F)]) || F <- L],
    registers(),
    ok.
registers() ->
    X = ?MODULE:id(a), Y = ?MODULE:id(b), B = ?MODULE:id(1 bsl 70), Fl = ?MODULE:id(1.5),
    L = [fun() -> X + 1 end, fun() -> 1 + X end, fun() -> X + Y end, fun() -> X + 1.5 end, fun() -> X + (1 bsl 70) end,
         fun() -> B + X end, fun() -> Fl + X end, fun() -> X - 1 end, fun() -> 1 - X end, fun() -> X - Y end,
         fun() -> X * 2 end, fun() -> X * Y end, fun() -> X div Y end, fun() -> X band 1 end, fun() -> X bsl Y end,
         fun() -> -X end, fun() -> X + a end, fun() -> X - 1.5 end, fun() -> X - -3 end, fun() -> X + -3 end, fun() -> X - 0 end, fun() -> X + 100000000000 end,
         fun() -> -3 + X end, fun() -> X - 5 end, fun() -> X + (1 bsl 59) end, fun() -> X - (1 bsl 59) end, fun() -> [X + 1 || _ <- [1]] end],
    [io:format("~p~n", [t(F)]) || F <- L].
