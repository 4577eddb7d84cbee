-module(fused_floats).
-export([main/0]).
-export([mandel/5, poly/3, mixed/2, boxed_many/2, ratio/2, scale/2, diverge/2, dist/1,
         sum_pairs/2, neg_chain/1, pull_pair/3]).

%% Float code shapes the loader turns into superinstructions (ops_fused.def):
%% one or two fmoves into float registers followed by an operation, an fconv
%% of an integer followed by one, and the heap test with the fmoves that box
%% the results; the operations' badarith (overflow, division by zero, an
%% fconv of a non-number) with its stack trace lines, and floats boxed while
%% collections move everything.

%% Every function is called through ?MODULE, so the compiler cannot
%% specialise it for the constant arguments given here.
main() ->
    M = ?MODULE,
    io:format("mandel: ~w~n", [[M:mandel(0.0, 0.0, X / 10, Y / 10, 50) || X <- [-20, -5, 0, 3], Y <- [-10, 0, 7]]]),
    io:format("poly: ~w~n", [[M:poly(X, 1.5, 3) || X <- [0.0, 1.0, -2.25, 1.0e10]]]),
    io:format("mixed: ~w~n", [[M:mixed(A, B) || {A, B} <- [{1, 2.5}, {1 bsl 70, 0.5}, {-3, -1.0e-3}, {0, 7.0}]]]),
    io:format("boxed: ~w~n", [M:boxed_many(2000, {0.0, 1.0, 2.0, 3.0})]),
    io:format("ratio: ~w~n", [[M:ratio(A, B) || {A, B} <- [{1.0, 3}, {-2.5, 1 bsl 65}, {0.0, 5}]]]),
    io:format("scale: ~w~n", [M:scale([1.0, 2.5, -4.0], 0.5)]),
    io:format("dist: ~w~n", [M:dist({1.0, 2.0, 2.0})]),
    io:format("sum_pairs: ~w~n", [M:sum_pairs([{1.0, 2.0}, {0.5, -0.25}, {1.0e3, 3.0}], 0.0)]),
    io:format("neg_chain: ~w~n", [M:neg_chain(0.0)]),
    io:format("pull: ~w~n", [M:pull_pair({1.0, 2.0, 0.5, 3.0}, {4.0, -2.0, 0.25, 2.0}, 0.01)]),
    io:format("pull overflow: ~p~n", [catch_line(fun() -> M:pull_pair({1.0, 2.0, 0.5, 1.0e300}, {4.0, -2.0, 0.25, 1.0e300}, 1.0e10) end)]),
    io:format("overflow: ~p~n", [catch_line(fun() -> M:diverge(1.0e300, 0) end)]),
    io:format("div zero: ~p~n", [catch_line(fun() -> M:ratio(1.0, 0) end)]),
    io:format("fconv atom: ~p~n", [catch_line(fun() -> M:mixed(foo, 1.0) end)]),
    io:format("fconv huge: ~p~n", [catch_line(fun() -> M:mixed(1 bsl 1100, 1.0) end)]),
    io:format("poly overflow: ~p~n", [catch_line(fun() -> M:poly(1.0e200, 1.0e200, 2) end)]),
    io:format("scale overflow: ~p~n", [catch_line(fun() -> M:scale([1.0, 1.0e308], 4.0) end)]).

%% The mandelbrot inner loop: fmoves in, operations, a heap test and three boxings.
mandel(_, _, _, _, 0) -> 1;
mandel(Zr, Zi, Cr, Ci, K) when is_float(Zr), is_float(Zi), is_float(Cr), is_float(Ci) ->
    Zr2 = Zr * Zr,
    Zi2 = Zi * Zi,
    case Zr2 + Zi2 > 4.0 of
        true -> K;
        false -> mandel(Zr2 - Zi2 + Cr, 2.0 * Zr * Zi + Ci, Cr, Ci, K - 1)
    end.

poly(X, _, 0) -> X;
poly(X, C, N) when is_float(X), is_float(C) ->
    Y = X * X - C * X + 0.5,
    poly(Y / (1.0 + Y * Y), C, N - 1).

%% fconv of an integer (small or big) and an operation
mixed(I, F) when is_float(F) -> I * F + F / 2.0.

%% many floats boxed per iteration, enough to collect many times
boxed_many(0, T) -> T;
boxed_many(N, {A, B, C, D}) when is_float(A), is_float(B), is_float(C), is_float(D) ->
    boxed_many(N - 1, {B + 0.5, C - 0.25, D * 1.0, A / 1.0}).

ratio(F, I) when is_float(F), is_integer(I) -> F / I.

scale(L, K) -> [X * K * K * K || X <- L].

diverge(X, N) when is_float(X) -> diverge(X * X, N + 1).

dist({X, Y, Z}) when is_float(X), is_float(Y), is_float(Z) -> math:sqrt(X * X + Y * Y + Z * Z).

sum_pairs([], S) -> S;
sum_pairs([{A, B} | T], S) when is_float(A), is_float(B), is_float(S) -> sum_pairs(T, S + A * B - B / 4.0).

%% float fields of tuples, each taken into a float register for an operation (pull/3 is
%% local, so the compiler knows every field is a float)
pull_pair({A, B, C, D}, {E, F, G, H}, Dt) ->
    pull({float(A), float(B), float(C), float(D)}, {float(E), float(F), float(G), float(H)}, float(Dt)).

pull({X, Y, VX, M}, {X2, Y2, VX2, M2}, Dt) ->
    DX = X - X2, DY = Y - Y2,
    D2 = DX * DX + DY * DY,
    Mag = Dt / (D2 * math:sqrt(D2)),
    {VX - DX * M2 * Mag, VX2 + DY * M * Mag}.

neg_chain(X) when is_float(X) -> {-X, -(X + 1.0), X - 0.0}.

catch_line(F) ->
    try F() of
        V -> {ok, V}
    catch
        Class:Reason:Stack -> {Class, Reason, [{Mod, Fn, Ar, proplists:get_value(line, Loc)} || {Mod, Fn, Ar, Loc} <- Stack, Mod =:= ?MODULE]}
    end.
