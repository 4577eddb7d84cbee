-module(alloc_heavy).
-export([main/0]).

%% Allocates about 1.2 GB in total (34 rounds of 32 MB, then smaller
%% churn), far beyond any initial heap, while keeping a long-lived
%% structure that must survive every collection.

main() ->
    Keep = [{I, integer_to_list(I)} || I <- lists:seq(1, 50000)],
    io:format("rounds: ~w~n", [rounds(34, 0)]),
    io:format("tuples: ~w~n", [tuples(200, 0)]),
    io:format("kept: ~w~n", [check(Keep, 1, 0)]),
    io:format("growing: ~w~n", [grow(18, [x])]),
    io:format("churn: ~w~n", [churn(2000000, [], 0)]),
    io:format("kept again: ~w~n", [check(Keep, 1, 0)]).

%% Each round builds and drops a 1M-element list (16 MB) twice.
rounds(0, Acc) -> Acc;
rounds(N, Acc) ->
    L = lists:seq(1, 1000000),
    R = lists:reverse(L),
    rounds(N - 1, Acc + hd(R) - hd(L)).

tuples(0, Acc) -> Acc;
tuples(N, Acc) ->
    T = list_to_tuple(lists:seq(1, 10000)),
    tuples(N - 1, Acc + element(N, T)).

check([], _, Acc) -> Acc;
check([{I, S} | T], I, Acc) ->
    I = list_to_integer(S),
    check(T, I + 1, Acc + 1).

%% Doubles a list until it holds 2^N elements.
grow(0, L) -> length(L);
grow(N, L) -> grow(N - 1, L ++ L).

%% A bounded queue of small tuples: lots of short-lived garbage.
churn(0, Q, Acc) -> {length(Q), Acc};
churn(N, _, Acc) when N rem 100 =:= 0 -> churn(N - 1, [{N, N * 2}], Acc + 1);
churn(N, Q, Acc) -> churn(N - 1, [{N, [N]} | Q], Acc).
