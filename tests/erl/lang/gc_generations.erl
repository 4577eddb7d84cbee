-module(gc_generations).
-export([main/0]).

%% Long-lived data next to a stream of garbage, so that the collector moves
%% it to the old generation and then runs many minor collections: the
%% process dictionary (updated in place) gets young values under old keys,
%% long-lived binaries outlive short-lived ones, and a long-lived structure
%% is dropped and replaced half way.

main() ->
    Keep = [{I, integer_to_list(I)} || I <- lists:seq(1, 20000)],
    Bins = [list_to_binary(lists:duplicate(100 + I, I rem 256)) || I <- lists:seq(1, 50)],
    [put(K, {init, K}) || K <- lists:seq(1, 5000)],
    R1 = rounds(1, 40, Keep, Bins),
    io:format("first half: ~w~n", [R1]),
    Keep2 = [{I, I * I} || I <- lists:seq(1, 30000)],
    R2 = rounds(41, 80, Keep2, Bins),
    io:format("second half: ~w~n", [R2]),
    io:format("dictionary: ~w ~w ~w ~w~n",
              [length(get()), get(7), get(5000), get(4990)]),
    io:format("kept: ~w ~w~n", [sum_keep(Keep, 0), sum_keep(Keep2, 0)]),
    io:format("binaries: ~w~n", [lists:sum([byte_size(B) + binary:first(B) || B <- Bins])]).

rounds(N, Last, _, _) when N > Last -> done;
rounds(N, Last, Keep, Bins) ->
    garbage(20000),
    %% young values under old keys, a new key, an erased key
    [put(K, {N, K, lists:seq(1, N rem 5)}) || K <- lists:seq(N, 5000, 7)],
    put({round, N}, list_to_binary(integer_to_list(N))),
    erase(5000 - N),
    Short = list_to_binary(lists:duplicate(200, N)),
    check(N, Keep, Bins, Short),
    rounds(N + 1, Last, Keep, Bins).

garbage(0) -> ok;
garbage(I) ->
    _ = {I, [I, I + 1], <<I:64>>},
    garbage(I - 1).

check(N, Keep, Bins, Short) ->
    {N, N, _} = get(N),
    <<N, _/binary>> = Short,
    case get({round, N - 1}) of
        undefined when N =:= 1; N =:= 41 -> ok;
        B when is_binary(B) -> ok
    end,
    true = length(Keep) > 0,
    true = length(Bins) =:= 50.

sum_keep([], Acc) -> Acc;
sum_keep([{I, S} | T], Acc) when is_list(S) -> sum_keep(T, Acc + I + length(S));
sum_keep([{I, S} | T], Acc) -> sum_keep(T, Acc + I + S).
