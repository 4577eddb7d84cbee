-module(fused_calls).
-export([main/0]).
-export([fib/1, fib_ge/1, count/1, sum_to/1, tree/1, leaves/1, plus_after/1]).

%% Call shapes the loader turns into superinstructions (ops_fused.def): a
%% base case's `x < C` (or `>=`) guard followed by return, allocate with the
%% two moves and the call of a body recursion, and `Y + X` returned right
%% after the call; with operands that leave the small-integer paths
%% (bignums, floats, atoms), their exceptions and stack trace lines, and
%% frames allocated while collections move everything.

%% Every function is called through ?MODULE, so the compiler cannot
%% specialise it for the constant arguments given here.
main() ->
    M = ?MODULE,
    io:format("fib: ~w~n", [[M:fib(N) || N <- [0, 1, 2, 10, 20]]]),
    io:format("fib float: ~w~n", [[M:fib(X) || X <- [0.5, 1.0, 1.5, 3.5]]]),
    io:format("fib big: ~w~n", [M:fib(-(1 bsl 70))]),
    io:format("fib_ge: ~w~n", [[M:fib_ge(N) || N <- [0, 1, 2, 15, 1.5]]]),
    io:format("fib atom: ~p~n", [catch_line(fun() -> M:fib(atom) end)]),
    io:format("count: ~w~n", [M:count(100000)]),
    io:format("sum_to: ~w~n", [[M:sum_to(N) || N <- [0, 10, 100000]]]),
    io:format("tree: ~w~n", [M:leaves(M:tree(14))]),
    io:format("fib list: ~p~n", [catch_line(fun() -> M:fib([]) end)]),
    io:format("plus_after: ~w~n", [[M:plus_after(X) || X <- [1, (1 bsl 59) - 1, 1 bsl 59, 1 bsl 70, 0.5]]]),
    io:format("plus_after bad: ~p~n", [catch_line(fun() -> M:plus_after(atom) end)]),
    io:format("leaves bad: ~p~n", [catch_line(fun() -> M:leaves({leaf, nope}) end)]).

fib(N) when N < 2 -> N;
fib(N) -> fib(N - 1) + fib(N - 2).

fib_ge(N) when N >= 2 -> fib_ge(N - 1) + fib_ge(N - 2);
fib_ge(N) -> N.

%% a body recursion that grows the stack far enough to collect many times
count(0) -> 0;
count(N) -> 1 + count(N - 1).

%% N + the sum below it, returned right after the call
sum_to(0) -> 0;
sum_to(N) -> N + sum_to(N - 1).

tree(0) -> {leaf, 1};
tree(D) -> {tree(D - 1), tree(D - 1)}.

leaves({leaf, N}) -> N + 0;
leaves({L, R}) -> leaves(L) + leaves(R).

%% Y + X returned right after a local call
plus_after(X) -> X + id(X).

id(X) -> X.

catch_line(F) ->
    try F() of
        V -> {ok, V}
    catch
        Class:Reason:Stack -> {Class, Reason, [{Mod, Fn, Ar, proplists:get_value(line, Loc)} || {Mod, Fn, Ar, Loc} <- Stack, Mod =:= ?MODULE]}
    end.
