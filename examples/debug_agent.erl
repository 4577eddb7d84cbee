-module(debug_agent).
%% The program examples/debug_agent.c debugs (the line numbers matter).
-export([main/0, total/1, add/2]).

main() ->
    Total = total([1, 2, 3]),
    io:format("total ~p~n", [Total]),
    Sum = add(5, 6),
    io:format("add ~p~n", [Sum]),
    done.

total(List) ->
    Acc = lists:foldl(fun add/2, 0, List),
    Acc * 10 + length(List).

add(X, Acc) ->
    X + Acc.
