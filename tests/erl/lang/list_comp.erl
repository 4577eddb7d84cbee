-module(list_comp).
-export([main/0]).

%% List comprehensions: generators, filters, patterns in generators.

main() ->
    io:format("squares: ~w~n", [[X * X || X <- lists:seq(1, 10)]]),
    io:format("evens: ~w~n", [[X || X <- lists:seq(1, 20), X rem 2 =:= 0]]),
    io:format("pairs: ~w~n", [[{X, Y} || X <- [1, 2, 3], Y <- [a, b]]]),
    io:format("dep: ~w~n", [[{X, Y} || X <- [1, 2, 3], Y <- lists:seq(1, X)]]),
    io:format("pythag: ~w~n", [pythag(30)]),
    io:format("match gen: ~w~n", [[V || {ok, V} <- [{ok, 1}, error, {ok, 2}, {ok}]]]),
    io:format("nested: ~w~n", [[[Y || Y <- lists:seq(1, X)] || X <- [1, 2, 3]]]),
    io:format("two filters: ~w~n",
              [[X || X <- lists:seq(1, 50), X rem 3 =:= 0, X rem 5 =:= 0]]),
    io:format("qsort: ~w~n", [qsort([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5])]),
    io:format("perms: ~w~n", [perms([1, 2, 3])]),
    io:format("primes: ~w~n", [primes(60)]),
    io:format("empty: ~w~n", [[X || X <- [], X > 1]]),
    io:format("chars: ~s~n", [[C - 32 || C <- "hello", C =/= $l]]),
    Big = [X || X <- lists:seq(1, 200000), X band 1 =:= 1],
    io:format("big: ~b ~b~n", [length(Big), lists:last(Big)]),
    io:format("bool filter: ~w~n", [[X || X <- [1, a, 2.0, "s", b], is_atom(X)]]).

pythag(N) ->
    [{A, B, C} || A <- lists:seq(1, N), B <- lists:seq(A, N),
                  C <- lists:seq(B, N), A * A + B * B =:= C * C, C < 20].

qsort([]) -> [];
qsort([P | T]) -> qsort([X || X <- T, X < P]) ++ [P] ++ qsort([X || X <- T, X >= P]).

perms([]) -> [[]];
perms(L) -> [[H | T] || H <- L, T <- perms(L -- [H])].

primes(N) -> [P || P <- lists:seq(2, N), lists:all(fun(D) -> P rem D =/= 0 end, lists:seq(2, P - 1))].
