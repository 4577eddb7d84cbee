-module(bintree).
-export([main/0]).

%% Binary trees: allocation and garbage collection of many short-lived
%% trees next to one long-lived tree (the classic binary-trees workload,
%% depth 16).

-define(MAX_DEPTH, 16).
-define(MIN_DEPTH, 4).

main() ->
    T0 = erlang:monotonic_time(microsecond),
    Checks = run(?MAX_DEPTH),
    Elapsed = erlang:monotonic_time(microsecond) - T0,
    io:format("CHECK bintree ~w~n", [Checks]),
    io:format("RESULT bintree ~b~n", [Elapsed]).

%% Returns the check sums: stretch tree, each depth's batch, long-lived tree.
run(Max) ->
    Stretch = check(make(Max + 1)),
    LongLived = make(Max),
    Batches = [batch(D, 1 bsl (Max - D + ?MIN_DEPTH))
               || D <- lists:seq(?MIN_DEPTH, Max, 2)],
    [Stretch | Batches] ++ [check(LongLived)].

batch(Depth, Iterations) -> batch(Depth, Iterations, 0).

batch(_, 0, Sum) -> Sum;
batch(Depth, I, Sum) -> batch(Depth, I - 1, Sum + check(make(Depth))).

make(0) -> {nil, nil};
make(D) -> {make(D - 1), make(D - 1)}.

%% Counts the nodes.
check({nil, nil}) -> 1;
check({L, R}) -> 1 + check(L) + check(R).
