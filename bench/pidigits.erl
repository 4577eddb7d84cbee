-module(pidigits).
-export([main/0]).

%% pidigits: the first N decimal digits of pi from Gibbons' unbounded
%% spigot, a stream of linear fractional transformations whose four
%% coefficients grow into bignums of thousands of digits (bignum
%% multiplication, division and comparison). Best of three runs.

-define(N, 2000).
-define(RUNS, 3).

main() ->
    {Best, Digits} = bench_time:best(?RUNS, fun() -> digits(?N) end),
    io:format("CHECK pidigits ~b ~s ~b~n", [length(Digits), lists:sublist(Digits, 20), lists:sum(Digits) - $0 * ?N]),
    io:format("RESULT pidigits ~b~n", [Best]).

%% The state (Q, R, T) is the transformation x -> (Q x + R) / T composed so
%% far; K counts the terms consumed, D is the digit the next term would
%% give, L = 2K + 1.
digits(N) -> digits(N, 1, 0, 1, 1, 3, 3, []).

digits(0, _, _, _, _, _, _, Acc) ->
    lists:reverse(Acc);
digits(N, Q, R, T, K, D, L, Acc) when 4 * Q + R - T < D * T ->
    %% the digit is certain: emit it and scale the state by 10
    Next = (10 * (3 * Q + R)) div T - 10 * D,
    digits(N - 1, 10 * Q, 10 * (R - D * T), T, K, Next, L, [$0 + D | Acc]);
digits(N, Q, R, T, K, _, L, Acc) ->
    %% not yet: consume the next term of the series
    D = (Q * (7 * K + 2) + R * L) div (T * L),
    digits(N, Q * K, (2 * Q + R) * L, T * L, K + 1, D, L + 2, Acc).
