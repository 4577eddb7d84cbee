-module(nqueens).
-export([main/0]).

%% Backtracking search: counts and lists N-queens solutions.

main() ->
    io:format("counts: ~w~n", [[count(N) || N <- lists:seq(1, 8)]]),
    io:format("first 6: ~w~n", [first(6)]),
    io:format("first 8: ~w~n", [first(8)]),
    io:format("count 9: ~w~n", [count(9)]).

count(N) -> length(solve(N, N, [])).

first(N) -> hd(solve(N, N, [])).

solve(_, 0, Placed) -> [lists:reverse(Placed)];
solve(N, K, Placed) ->
    lists:append([solve(N, K - 1, [Col | Placed])
                  || Col <- lists:seq(1, N), safe(Col, Placed, 1)]).

safe(_, [], _) -> true;
safe(Col, [Q | Qs], D) ->
    Col =/= Q andalso abs(Col - Q) =/= D andalso safe(Col, Qs, D + 1).
