-module(mandelbrot).
-export([main/0]).

%% mandelbrot: the Mandelbrot set on an N x N grid, 50 iterations per
%% point, packed into a PBM bitmap (the benchmarks-game workload); the check
%% is the bitmap's MD5. Float loops and binary construction.

-define(N, 400).
-define(ITER, 50).
-define(RUNS, 3).

main() ->
    {Best, Bitmap} = bench_time:best(?RUNS, fun() -> run(?N) end),
    io:format("CHECK mandelbrot ~b ~s~n", [byte_size(Bitmap), hex(erlang:md5(Bitmap))]),
    io:format("RESULT mandelbrot ~b~n", [Best]).

run(N) -> << <<(row(Y, N))/binary>> || Y <- lists:seq(0, N - 1) >>.

row(Y, N) ->
    Ci = 2.0 * Y / N - 1.0,
    Bits = << <<(inside(2.0 * X / N - 1.5, Ci)):1>> || X <- lists:seq(0, N - 1) >>,
    Pad = (8 - bit_size(Bits) rem 8) rem 8,
    <<Bits/bitstring, 0:Pad>>.

inside(Cr, Ci) -> inside(0.0, 0.0, Cr, Ci, ?ITER).

inside(_, _, _, _, 0) -> 1;
inside(Zr, Zi, Cr, Ci, K) ->
    Zr2 = Zr * Zr, Zi2 = Zi * Zi,
    case Zr2 + Zi2 > 4.0 of
        true -> 0;
        false -> inside(Zr2 - Zi2 + Cr, 2.0 * Zr * Zi + Ci, Cr, Ci, K - 1)
    end.

hex(Bin) -> [io_lib:format("~2.16.0b", [B]) || <<B>> <= Bin].
