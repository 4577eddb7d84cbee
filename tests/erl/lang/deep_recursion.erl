-module(deep_recursion).
-export([main/0]).

%% Body (non-tail) recursion 100k and 1M deep: the stack must grow.

main() ->
    L = build(100000),
    io:format("length: ~b~n", [length(L)]),
    io:format("first/last: ~b ~b~n", [hd(L), lists:last(L)]),
    io:format("sum: ~b~n", [sum(L)]),
    io:format("map: ~b~n", [lists:last(double(L))]),
    io:format("depth 1M: ~b~n", [depth(1000000)]),
    io:format("nested: ~b~n", [length(nest(50000))]),
    io:format("tuple chain: ~b~n", [unchain(chain(200000), 0)]),
    io:format("append: ~b~n", [length(app(lists:seq(1, 100000), [x]))]),
    io:format("again: ~b~n", [lists:sum([length(build(100000)) || _ <- [1, 2, 3]])]),
    io:format("deep args: ~w~n", [many_args(100000, a, b, c, d, e)]).

build(0) -> [];
build(N) -> [N | build(N - 1)].

sum([]) -> 0;
sum([H | T]) -> H + sum(T).

double([]) -> [];
double([H | T]) -> [2 * H | double(T)].

depth(0) -> 0;
depth(N) -> 1 + depth(N - 1).

nest(0) -> [];
nest(N) -> [{N, [N]} | nest(N - 1)].

chain(0) -> nil;
chain(N) -> {N, chain(N - 1)}.

unchain(nil, Acc) -> Acc;
unchain({_, Rest}, Acc) -> unchain(Rest, Acc + 1).

app([], Ys) -> Ys;
app([X | Xs], Ys) -> [X | app(Xs, Ys)].

%% Several live values per frame.
many_args(0, A, B, C, D, E) -> {A, B, C, D, E};
many_args(N, A, B, C, D, E) ->
    {A2, B2, C2, D2, E2} = many_args(N - 1, B, C, D, E, A),
    {A2, B2, C2, D2, E2}.
