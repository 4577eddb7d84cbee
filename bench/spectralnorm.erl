-module(spectralnorm).
-export([main/0]).

%% spectral-norm: the largest singular value of the infinite matrix
%% A(i,j) = 1/((i+j)(i+j+1)/2+i+1), by ten power iterations on A'A (the
%% benchmarks-game workload). Float arithmetic over lists and tuples.

-define(N, 300).
-define(RUNS, 3).

main() ->
    {Best, Norm} = bench_time:best(?RUNS, fun() -> run(?N) end),
    io:format("CHECK spectralnorm ~.9f~n", [Norm]),
    io:format("RESULT spectralnorm ~b~n", [Best]).

run(N) ->
    U0 = lists:duplicate(N, 1.0),
    {U, V} = iterate(10, U0, N),
    VBV = dot(U, V),
    VV = dot(V, V),
    math:sqrt(VBV / VV).

iterate(0, U, _) -> {U, U};
iterate(1, U, N) ->
    V = ata_times(U, N),
    {ata_times(V, N), V};
iterate(K, U, N) ->
    V = ata_times(U, N),
    iterate(K - 1, ata_times(V, N), N).

dot(A, B) -> lists:foldl(fun({X, Y}, S) -> S + X * Y end, 0.0, lists:zip(A, B)).

a(I, J) -> 1.0 / ((I + J) * (I + J + 1) div 2 + I + 1).

ata_times(U, N) -> at_times(a_times(U, N), N).

a_times(U, N) ->
    T = list_to_tuple(U),
    [row(I, T, N, fun a/2) || I <- lists:seq(0, N - 1)].

at_times(U, N) ->
    T = list_to_tuple(U),
    [row(I, T, N, fun(Row, Col) -> a(Col, Row) end) || I <- lists:seq(0, N - 1)].

row(I, T, N, A) -> row(I, T, 0, N, A, 0.0).

row(_, _, J, N, _, Sum) when J =:= N -> Sum;
row(I, T, J, N, A, Sum) -> row(I, T, J + 1, N, A, Sum + A(I, J) * element(J + 1, T)).
