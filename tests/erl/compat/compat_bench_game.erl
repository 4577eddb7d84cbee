-module(compat_bench_game).
-export([main/0]).
%% Small runs of benchmarks-game programs: nbody, pidigits, mandelbrot, fannkuch, spectralnorm, threadring.
main() ->
    nbody(1000), pidigits(60), mandelbrot(32), fannkuch(7), spectral(40), threadring(503, 2000), ok.

%% nbody
-define(PI, 3.141592653589793). -define(SOLAR_MASS, (4 * ?PI * ?PI)). -define(DAYS, 365.24).
bodies() ->
    [{0.0, 0.0, 0.0, 0.0, 0.0, 0.0, ?SOLAR_MASS},
     {4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
      1.66007664274403694e-03 * ?DAYS, 7.69901118419740425e-03 * ?DAYS, -6.90460016972063023e-05 * ?DAYS,
      9.54791938424326609e-04 * ?SOLAR_MASS},
     {8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
      -2.76742510726862411e-03 * ?DAYS, 4.99852801234917238e-03 * ?DAYS, 2.30417297573763929e-05 * ?DAYS,
      2.85885980666130812e-04 * ?SOLAR_MASS}].
nbody(N) ->
    B0 = offset(bodies()),
    io:format("~.9f~n", [energy(B0)]),
    B = lists:foldl(fun(_, Bs) -> advance(Bs, 0.01) end, B0, lists:seq(1, N)),
    io:format("~.9f~n", [energy(B)]).
offset(Bs) ->
    {Px, Py, Pz} = lists:foldl(fun({_, _, _, Vx, Vy, Vz, M}, {X, Y, Z}) -> {X + Vx * M, Y + Vy * M, Z + Vz * M} end, {0.0, 0.0, 0.0}, Bs),
    [{X, Y, Z, _, _, _, M} | T] = Bs,
    [{X, Y, Z, -Px / ?SOLAR_MASS, -Py / ?SOLAR_MASS, -Pz / ?SOLAR_MASS, M} | T].
energy(Bs) -> energy(Bs, 0.0).
energy([], E) -> E;
energy([{X, Y, Z, Vx, Vy, Vz, M} | T], E) ->
    E1 = E + 0.5 * M * (Vx * Vx + Vy * Vy + Vz * Vz),
    energy(T, lists:foldl(fun({X2, Y2, Z2, _, _, _, M2}, Acc) ->
        Dx = X - X2, Dy = Y - Y2, Dz = Z - Z2, Acc - M * M2 / math:sqrt(Dx * Dx + Dy * Dy + Dz * Dz) end, E1, T)).
advance(Bs, Dt) ->
    Bs1 = vel(Bs, Dt, []),
    [{X + Dt * Vx, Y + Dt * Vy, Z + Dt * Vz, Vx, Vy, Vz, M} || {X, Y, Z, Vx, Vy, Vz, M} <- Bs1].
vel([], _, Acc) -> lists:reverse(Acc);
vel([B | T], Dt, Acc) ->
    {B1, T1} = lists:foldl(fun(B2, {{X, Y, Z, Vx, Vy, Vz, M}, Others}) ->
        {X2, Y2, Z2, Vx2, Vy2, Vz2, M2} = B2,
        Dx = X - X2, Dy = Y - Y2, Dz = Z - Z2, D2 = Dx * Dx + Dy * Dy + Dz * Dz,
        Mag = Dt / (D2 * math:sqrt(D2)),
        {{X, Y, Z, Vx - Dx * M2 * Mag, Vy - Dy * M2 * Mag, Vz - Dz * M2 * Mag, M},
         [{X2, Y2, Z2, Vx2 + Dx * M * Mag, Vy2 + Dy * M * Mag, Vz2 + Dz * M * Mag, M2} | Others]} end, {B, []}, T),
    vel(lists:reverse(T1), Dt, [B1 | Acc]).

%% pidigits (spigot)
pidigits(N) -> pd(N, 0, 1, 0, 1, 1, 0, []).
pd(N, I, Q, R, T, K, _, Acc) when I >= N -> print_digits(lists:reverse(Acc), 0), ok = ok_if(Q, R, T, K);
pd(N, I, Q, R, T, K, _, Acc) ->
    D = (3 * Q + R) div T,
    case (4 * Q + R) div T of
        D -> pd(N, I + 1, 10 * Q, 10 * (R - D * T), T, K, D, [D | Acc]);
        _ -> K2 = K, pd(N, I, Q * K2, (2 * Q + R) * (2 * K2 + 1), T * (2 * K2 + 1), K2 + 1, 0, Acc)
    end.
ok_if(_, _, _, _) -> ok.
print_digits([], _) -> ok;
print_digits(Ds, C) ->
    {L, Rest} = case length(Ds) >= 10 of true -> lists:split(10, Ds); false -> {Ds, []} end,
    C2 = C + length(L),
    io:format("~s~s\t:~p~n", [[D + $0 || D <- L], lists:duplicate(10 - length(L), $\s), C2]),
    print_digits(Rest, C2).

%% mandelbrot (PBM to stdout as bytes)
mandelbrot(S) ->
    io:format("P4~n~p ~p~n", [S, S]),
    Rows = [row(Y, S) || Y <- lists:seq(0, S - 1)],
    io:format("~w~n", [erlang:md5(list_to_binary(Rows))]).
row(Y, S) -> bits([point(X, Y, S) || X <- lists:seq(0, S - 1)]).
bits([]) -> <<>>;
bits(L) -> {H, T} = lists:split(min(8, length(L)), L), B = lists:foldl(fun(Bit, A) -> A * 2 + Bit end, 0, H) bsl (8 - length(H)), <<B, (bits(T))/binary>>.
point(X, Y, S) -> Cr = 2.0 * X / S - 1.5, Ci = 2.0 * Y / S - 1.0, iter(0.0, 0.0, Cr, Ci, 50).
iter(_, _, _, _, 0) -> 1;
iter(Zr, Zi, Cr, Ci, N) ->
    case Zr * Zr + Zi * Zi > 4.0 of true -> 0; false -> iter(Zr * Zr - Zi * Zi + Cr, 2 * Zr * Zi + Ci, Cr, Ci, N - 1) end.

%% fannkuch-redux
fannkuch(N) ->
    Perms = perms(lists:seq(1, N)),
    {Sum, Max, _} = lists:foldl(fun(P, {S, M, I}) -> F = flips(P, 0), {S + (if I rem 2 == 0 -> F; true -> -F end), max(M, F), I + 1} end, {0, 0, 0}, Perms),
    io:format("~p~nPfannkuchen(~p) = ~p~n", [Sum, N, Max]).
perms([]) -> [[]];
perms(L) -> [[H | T] || H <- L, T <- perms(L -- [H])].
flips([1 | _], F) -> F;
flips([H | _] = L, F) -> {A, B} = lists:split(H, L), flips(lists:reverse(A) ++ B, F + 1).

%% spectral-norm
spectral(N) ->
    U = lists:duplicate(N, 1.0),
    {U2, V2} = lists:foldl(fun(_, {Uu, _}) -> V = atav(Uu, N), {atav(V, N), V} end, {U, U}, lists:seq(1, 10)),
    VBv = lists:sum([A * B || {A, B} <- lists:zip(U2, V2)]), VV = lists:sum([B * B || B <- V2]),
    io:format("~.9f~n", [math:sqrt(VBv / VV)]).
a(I, J) -> 1.0 / ((I + J) * (I + J + 1) / 2 + I + 1).
av(U, N) -> [lists:sum([a(I, J) * Uj || {J, Uj} <- lists:zip(lists:seq(0, N - 1), U)]) || I <- lists:seq(0, N - 1)].
atv(U, N) -> [lists:sum([a(J, I) * Uj || {J, Uj} <- lists:zip(lists:seq(0, N - 1), U)]) || I <- lists:seq(0, N - 1)].
atav(U, N) -> atv(av(U, N), N).

%% thread-ring
threadring(N, T) ->
    Main = self(),
    Last = spawn(fun() -> ring(1, Main, receive {next, F} -> F end) end),
    First = lists:foldl(fun(Id, Next) -> spawn(fun() -> ring(Id, Main, Next) end) end, Last, lists:seq(N, 2, -1)),
    Last ! {next, First},
    First ! T,
    receive {done, Id} -> io:format("~p~n", [Id]) end.
ring(Id, Main, Next) ->
    receive
        0 -> Main ! {done, Id};
        K -> Next ! K - 1, ring(Id, Main, Next)
    end.
