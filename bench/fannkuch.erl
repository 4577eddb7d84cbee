-module(fannkuch).
-export([main/0]).

%% fannkuch-redux: for every permutation of 1..N, count the prefix
%% reversals ("flips") until 1 comes first; report the checksum and the
%% maximum (the benchmarks-game workload). Lists and small integers.

-define(N, 9).
-define(RUNS, 3).

main() ->
    {Best, {Checksum, MaxFlips}} = bench_time:best(?RUNS, fun() -> run(?N) end),
    io:format("CHECK fannkuch ~b ~b~n", [Checksum, MaxFlips]),
    io:format("RESULT fannkuch ~b~n", [Best]).

%% Permutations in the order of the benchmark's counting rotations.
run(N) ->
    loop(lists:seq(1, N), lists:duplicate(N, 0), N, 0, 0, 0).

loop(Perm, Counts, N, Index, Checksum, MaxFlips) ->
    Flips = flips(Perm, 0),
    Checksum1 = case Index band 1 of
                    0 -> Checksum + Flips;
                    1 -> Checksum - Flips
                end,
    MaxFlips1 = max(MaxFlips, Flips),
    case next(Perm, Counts, 2, N) of
        done -> {Checksum1, MaxFlips1};
        {Perm1, Counts1} -> loop(Perm1, Counts1, N, Index + 1, Checksum1, MaxFlips1)
    end.

flips([1 | _], Acc) -> Acc;
flips([K | _] = Perm, Acc) ->
    {Front, Back} = lists:split(K, Perm),
    flips(lists:reverse(Front, Back), Acc + 1).

%% The next permutation: rotate the first I elements left; the count of
%% level I says how often that has happened, carrying over at I rotations.
next(_, _, I, N) when I > N -> done;
next(Perm, Counts, I, N) ->
    Perm1 = rotate(Perm, I),
    {Before, [C | After]} = lists:split(I - 1, Counts),
    case C + 1 of
        I -> next(Perm1, Before ++ [0 | After], I + 1, N);
        C1 -> {Perm1, Before ++ [C1 | After]}
    end.

rotate([H | T], I) ->
    {Front, Back} = lists:split(I - 1, T),
    Front ++ [H | Back].
