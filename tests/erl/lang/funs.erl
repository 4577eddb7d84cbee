-module(funs).
-export([main/0, double/1]).

%% Funs: closures, higher-order functions, external funs, funs from funs.

main() ->
    N = 10,
    AddN = fun(X) -> X + N end,
    io:format("closure: ~w~n", [AddN(5)]),
    io:format("map closure: ~w~n", [lists:map(AddN, [1, 2, 3])]),
    Adder = make_adder(100),
    io:format("made adder: ~w~n", [Adder(1)]),
    io:format("curry: ~w~n", [((curry(fun(A, B) -> A - B end))(10))(3)]),
    io:format("compose: ~w~n", [(compose(fun(X) -> X * 2 end, fun(X) -> X + 1 end))(5)]),
    io:format("external: ~w~n", [lists:map(fun ?MODULE:double/1, [1, 2])]),
    io:format("local ref: ~w~n", [lists:map(fun triple/1, [1, 2])]),
    io:format("bif ref: ~w~n", [lists:map(fun erlang:abs/1, [-1, 2, -3])]),
    F = fun lists:reverse/1,
    io:format("lists ref: ~w~n", [F([1, 2, 3])]),
    io:format("apply: ~w ~w~n", [apply(F, [[a, b]]), apply(lists, sum, [[1, 2, 3]])]),
    M = lists, Fn = max,
    io:format("dynamic call: ~w~n", [M:Fn([4, 9, 2])]),
    io:format("fact via Y: ~w~n", [(y(fun fact_step/1))(20)]),
    Fib = fun Fib(0) -> 0; Fib(1) -> 1; Fib(K) -> Fib(K - 1) + Fib(K - 2) end,
    io:format("named fun fib: ~w~n", [Fib(20)]),
    io:format("arity: ~w ~w~n", [erlang:fun_info(AddN, arity), erlang:fun_info(F, arity)]),
    io:format("is_function: ~w ~w ~w~n",
              [is_function(AddN), is_function(AddN, 1), is_function(AddN, 2)]),
    Counters = [fun() -> I * I end || I <- lists:seq(1, 5)],
    io:format("closures in list: ~w~n", [[C() || C <- Counters]]),
    io:format("multi clause: ~w~n", [lists:map(fun(0) -> zero; (X) when X > 0 -> pos;
                                                   (_) -> neg end, [0, 5, -5])]),
    io:format("capture many: ~w~n", [(capture(1, two, [3], {4}))()]),
    io:format("fold fun: ~w~n", [lists:foldl(fun(G, Acc) -> G(Acc) end, 1,
                                             [AddN, Adder, fun double/1])]),
    io:format("twice: ~w~n", [(twice(twice(fun(X) -> X + 3 end)))(0)]),
    io:format("iterate: ~w~n", [iterate(fun(X) -> X * 2 end, 1, 10)]),
    io:format("eq: ~w ~w~n", [F =:= fun lists:reverse/1, AddN =:= AddN]),
    Counter = counter(0),
    {V1, C1} = Counter(),
    {V2, C2} = C1(),
    {V3, _} = C2(),
    io:format("functional counter: ~w ~w ~w~n", [V1, V2, V3]).

double(X) -> X * 2.
triple(X) -> X * 3.

make_adder(N) -> fun(X) -> X + N end.

curry(F) -> fun(A) -> fun(B) -> F(A, B) end end.

compose(F, G) -> fun(X) -> F(G(X)) end.

%% Y combinator (applicative order): recursion with no named recursion.
y(F) ->
    (fun(X) -> F(fun(A) -> (X(X))(A) end) end)(fun(X) -> F(fun(A) -> (X(X))(A) end) end).

fact_step(Self) ->
    fun(0) -> 1; (N) -> N * Self(N - 1) end.

capture(A, B, C, D) -> fun() -> {D, C, B, A} end.

twice(F) -> fun(X) -> F(F(X)) end.

iterate(_, X, 0) -> X;
iterate(F, X, N) -> iterate(F, F(X), N - 1).

counter(N) -> fun() -> {N, counter(N + 1)} end.
