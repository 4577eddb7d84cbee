-module(nbody).
-export([main/0]).

%% n-body: the Jovian planets and the sun, advanced with a simple symplectic
%% integrator (the benchmarks-game workload). Float arithmetic on tuples:
%% boxing, unboxing and tuple rebuilding in a tight loop.

-define(STEPS, 200000).
-define(RUNS, 3).
-define(PI, 3.141592653589793).
-define(SOLAR_MASS, (4 * ?PI * ?PI)).
-define(DAYS, 365.24).

main() ->
    {Best, {E0, E1}} = bench_time:best(?RUNS, fun() -> run(?STEPS) end),
    io:format("CHECK nbody ~.9f ~.9f~n", [E0, E1]),
    io:format("RESULT nbody ~b~n", [Best]).

run(Steps) ->
    Bodies = offset_momentum(bodies()),
    E0 = energy(Bodies),
    E1 = energy(advance(Steps, Bodies, 0.01)),
    {E0, E1}.

%% A body is {X, Y, Z, VX, VY, VZ, Mass}.
bodies() ->
    [{0.0, 0.0, 0.0, 0.0, 0.0, 0.0, ?SOLAR_MASS},
     planet(4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
            1.66007664274403694e-03, 7.69901118419740425e-03, -6.90460016972063023e-05,
            9.54791938424326609e-04),
     planet(8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
            -2.76742510726862411e-03, 4.99852801234917238e-03, 2.30417297573763929e-05,
            2.85885980666130812e-04),
     planet(1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
            2.96460137564761618e-03, 2.37847173959480950e-03, -2.96589568540237556e-05,
            4.36624404335156298e-05),
     planet(1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
            2.68067772490389322e-03, 1.62824170038242295e-03, -9.51592254519715870e-05,
            5.15138902046611451e-05)].

planet(X, Y, Z, VX, VY, VZ, M) ->
    {X, Y, Z, VX * ?DAYS, VY * ?DAYS, VZ * ?DAYS, M * ?SOLAR_MASS}.

offset_momentum([{X, Y, Z, _, _, _, M} | Rest] = All) ->
    {PX, PY, PZ} = lists:foldl(fun({_, _, _, VX, VY, VZ, BM}, {AX, AY, AZ}) ->
                                       {AX + VX * BM, AY + VY * BM, AZ + VZ * BM}
                               end, {0.0, 0.0, 0.0}, All),
    [{X, Y, Z, -PX / ?SOLAR_MASS, -PY / ?SOLAR_MASS, -PZ / ?SOLAR_MASS, M} | Rest].

energy(Bodies) -> energy(Bodies, 0.0).

energy([], E) -> E;
energy([{X, Y, Z, VX, VY, VZ, M} | Rest], E) ->
    Kinetic = 0.5 * M * (VX * VX + VY * VY + VZ * VZ),
    Potential = lists:foldl(fun({X2, Y2, Z2, _, _, _, M2}, Acc) ->
                                    DX = X - X2, DY = Y - Y2, DZ = Z - Z2,
                                    Acc + M * M2 / math:sqrt(DX * DX + DY * DY + DZ * DZ)
                            end, 0.0, Rest),
    energy(Rest, E + Kinetic - Potential).

advance(0, Bodies, _) -> Bodies;
advance(N, Bodies, Dt) -> advance(N - 1, move(velocities(Bodies, Dt), Dt), Dt).

%% Each body's velocity changes by the pull of every body after it, and
%% those bodies by its pull in turn.
velocities([], _) -> [];
velocities([B | Rest], Dt) ->
    {B1, Rest1} = pull(B, Rest, Dt, []),
    [B1 | velocities(Rest1, Dt)].

pull(B, [], _, Done) -> {B, lists:reverse(Done)};
pull({X, Y, Z, VX, VY, VZ, M}, [{X2, Y2, Z2, VX2, VY2, VZ2, M2} | Rest], Dt, Done) ->
    DX = X - X2, DY = Y - Y2, DZ = Z - Z2,
    D2 = DX * DX + DY * DY + DZ * DZ,
    Mag = Dt / (D2 * math:sqrt(D2)),
    MM2 = M2 * Mag, MM = M * Mag,
    pull({X, Y, Z, VX - DX * MM2, VY - DY * MM2, VZ - DZ * MM2, M}, Rest, Dt,
         [{X2, Y2, Z2, VX2 + DX * MM, VY2 + DY * MM, VZ2 + DZ * MM, M2} | Done]).

move(Bodies, Dt) ->
    [{X + Dt * VX, Y + Dt * VY, Z + Dt * VZ, VX, VY, VZ, M} || {X, Y, Z, VX, VY, VZ, M} <- Bodies].
