-module(fused_compare_move_return).
-export([main/0, lt_lit/2, ge_y/3, lt_regs/2, ge_regs/3, escape/3]).

%% is_lt / is_ge on operands other than an x register and a small integer,
%% followed by a move to x0 and return (i_is_lt_move_return and
%% i_is_ge_move_return): float literals, registers against registers,
%% mixed number kinds, bignums and terms of different types, both
%% outcomes, and a loop whose test fails into its next clause each time.
%% Every function is called through ?MODULE so the compiler cannot fold
%% the constant arguments.
main() ->
    M = ?MODULE,
    Vals = [0, 1, -1, 4, 4.0, 3.999, 4.000001, -0.0, 1 bsl 70, -(1 bsl 70), a, "s", {t}, [], <<"b">>, 2.5],
    io:format("lt_lit: ~w~n", [[M:lt_lit(V, x) || V <- Vals]]),
    io:format("ge_y: ~w~n", [[M:ge_y(V, W, x) || V <- Vals, W <- [4, 4.0, a]]]),
    io:format("lt_regs: ~w~n", [[M:lt_regs(V, W) || V <- Vals, W <- Vals]]),
    io:format("ge_regs: ~w~n", [[M:ge_regs(V, W, {r}) || V <- Vals, W <- Vals]]),
    io:format("escape: ~w~n", [[M:escape(X, 0.5, 50) || X <- [0.0, 0.25, 0.3, 1.0, -2.0, 2.5]]]),
    io:format("escape int: ~w~n", [[M:escape(X, 1, 10) || X <- [0, 1, 3]]]).

%% a float literal against an x register
lt_lit(X, Other) when 4.0 < X -> Other;
lt_lit(X, _) -> {no, X}.

%% a y register (kept across a call) against x
ge_y(A, B, Other) ->
    C = id(B),
    if A >= C -> Other;
       true -> {no, A, C}
    end.

lt_regs(A, B) when A < B -> lt;
lt_regs(A, B) -> {ge, A, B}.

ge_regs(A, B, R) when A >= B -> R;
ge_regs(_, _, _) -> no.

%% the escape-time loop of mandelbrot: the test fails into the next clause
escape(Z, C, 0) -> {done, Z, C};
escape(Z, C, K) ->
    Z2 = Z * Z + C,
    if 4.0 < Z2 -> {out, K};
       true -> escape(Z2, C, K - 1)
    end.

id(X) -> X.
