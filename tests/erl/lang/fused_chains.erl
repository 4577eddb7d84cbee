-module(fused_chains).
-export([main/0]).
-export([a/2, idx/3, walk/4, idx_guard/3, sum_guard/3, scale/2, scale_add/3, conv_div/3, keep_many/6, shift/5,
         after_call/4, take/3, fsum/4, mk/1, node_sum/1, count_nodes/1, id/1]).

%% Code shapes the loader turns into chains and runs (ops_fused.def): an
%% addition followed by an addition of a constant or by element/2 (the
%% second jumps straight into its own handler), a float times an integer
%% (fmove, fconv and the operation), and runs of three or more moves. Edge
%% cases: bignum and float operands, overflow into bignums, badarith and
%% badarg raised by either half with its line, guards failing in either half.

%% Every function is called through ?MODULE, so the compiler cannot
%% specialise it for the constant arguments given here.
main() ->
    M = ?MODULE,
    Big = 1 bsl 59,
    Ints = [0, 1, -1, Big - 2, Big - 1, Big, -Big, -Big - 1, 1 bsl 70, -(1 bsl 70), 2.5, -0.5],
    io:format("a: ~w~n", [[M:a(I, J) || I <- Ints, J <- Ints]]),
    io:format("a badarith: ~p~n", [[catch_line(fun() -> M:a(I, J) end) || {I, J} <- [{x, 1}, {1, x}, {[], 2.0}]]]),
    T = list_to_tuple(lists:seq(10, 40)),
    io:format("idx: ~w~n", [[M:idx(I, J, T) || {I, J} <- [{0, 1}, {5, 3}, {29, 2}, {Big, 1 - Big}, {31, 0}]]]),
    io:format("idx errors: ~p~n",
              [[catch_line(fun() -> M:idx(I, J, X) end)
                || {I, J, X} <- [{30, 1, T}, {-1, 1, T}, {-2, 1, T}, {Big - 1, 1, T}, {1 bsl 70, 0, T}, {1.0, 1, T}, {a, 1, T},
                                 {1, 1, notuple}, {0, 1, {}}, {1, 0.0, T}]]]),
    io:format("walk: ~w~n", [M:walk(T, 0, 31, 0)]),
    io:format("walk errors: ~p~n", [[catch_line(fun() -> M:walk(X, 0, N, 0) end) || {X, N} <- [{T, 32}, {{1, 2}, 3}]]]),
    io:format("idx_guard: ~w~n",
              [[M:idx_guard(I, J, X) || {I, J, X} <- [{0, 1, T}, {30, 1, T}, {30, 2, T}, {a, 1, T}, {1, 1, x},
                                                       {2.0, 1, T}, {1 bsl 70, 1, T}, {1, -100, T}]]]),
    io:format("sum_guard: ~w~n",
              [[M:sum_guard(A, B, C) || {A, B, C} <- [{1, 2, 3}, {a, 2, 3}, {1, 2, b}, {Big - 1, 0, Big - 1},
                                                     {1.5, 1, 0}, {-5, 1, 1}, {1, 1, -5}]]]),
    Floats = [0.0, 1.5, -2.25, 1.0e200],
    Nums = [0, 3, -7, Big, 1 bsl 80],
    io:format("scale: ~w~n", [[M:scale(F, N) || F <- Floats, N <- Nums]]),
    io:format("scale_add: ~w~n", [[M:scale_add(F, G, N) || F <- Floats, G <- [0.5, -3.0], N <- [1, -4, Big]]]),
    io:format("scale errors: ~p~n",
              [[catch_line(fun() -> M:scale(F, N) end)
                || {F, N} <- [{1.0e300, 1 bsl 80}, {1.0, 1 bsl 1100}, {1.0, x}, {1.0, 2.5}]]
               ++ [catch_line(fun() -> M:scale_add(1.0e308, 1.0e308, 10) end)]]),
    io:format("conv_div: ~p~n",
              [[catch_line(fun() -> M:conv_div(A, B, C) end)
                || {A, B, C} <- [{1.5, 1, 2}, {1, 2, 0.5}, {1 bsl 70, 0, 3}, {2, 3, 1 bsl 70}, {1.0, 1, 0}, {1, 1, x},
                                 {x, 1, 1.0}, {1 bsl 1100, 0, 2.0}]]]),
    Seq = lists:seq(1, 200000),
    {Taken, Rest} = M:take(150000, Seq, []),
    io:format("take: ~w ~w ~w ~w~n", [length(Taken), hd(Taken), lists:sum(Taken), length(Rest)]),
    io:format("take edges: ~p~n",
              [[catch_line(fun() -> M:take(N, L, []) end)
                || {N, L} <- [{0, [a]}, {3, [a, b, c | d]}, {2, [a | b]}, {2.0, [a, b, c]}, {x, [a]},
                              {Big + 1, [a, b, c]}, {-Big, [a]}, {1, []}]]]),
    FT = list_to_tuple([I * 0.25 || I <- lists:seq(1, 5000)]),
    io:format("fsum: ~w~n", [[M:fsum(FT, 0, 5000, S) || S <- lists:seq(1, 20) ++ [0.5, 1 bsl 70]]]),
    io:format("fsum errors: ~p~n", [[catch_line(fun() -> M:fsum(X, 0, tuple_size(X), 0.0) end)
                                     || X <- [{1.0, a}, {1.0e308, 1.0e308, 1.0e308, 1.0e308}, {1, 1 bsl 1100}]]]),
    io:format("mk: ~w ~p~n", [M:mk(3), catch_line(fun() -> M:mk(x) end)]),
    io:format("node_sum: ~p~n",
              [[catch_line(fun() -> M:node_sum(X) end)
                || X <- [M:mk(10), {{1, 2}, 3}, {{Big - 1, 0}, 0}, {1 bsl 70, {2.5, 0}}, {{1, a}, 2}, {1, {2, 3, 4}}]]]),
    io:format("count_nodes: ~p~n",
              [[catch_line(fun() -> M:count_nodes(X) end)
                || X <- [{nil, nil}, {{nil, nil}, {nil, nil}}, {{{nil, nil}, {nil, nil}}, {nil, nil}}, {nil, x}, {x, nil},
                         {nil, {nil, nil}}, {{nil, nil}, nil}, {nil}, {nil, nil, nil}, [], {"nil", nil}]]]),
    io:format("keep_many: ~w~n", [M:keep_many(1, b, 3.0, [d], {e}, 7)]),
    io:format("shift: ~w~n", [M:shift(1, 2, 3, 4, 2)]),
    io:format("after_call: ~w~n", [M:after_call(a, b, c, 20000)]),
    io:format("after_call badarith: ~p~n", [catch_line(fun() -> M:after_call(a, b, c, foo) end)]).

catch_line(F) ->
    try F() of
        V -> {ok, V}
    catch
        Class:Reason:St -> {Class, Reason, [{Fn, A, proplists:get_value(line, L)} || {?MODULE, Fn, A, L} <- St]}
    end.

%% A + B into a register, then that + 1 (and + 2) into x registers.
a(I, J) ->
    L = I + J + 1, {L + 2, L * 2}.

%% element(I + J, T): the index computed right before the element.
idx(I, J, T) ->
    element(I + J, T).

%% spectral-norm's shape: the index kept in a y register across a call.
walk(_, J, N, Sum) when J =:= N -> Sum;
walk(T, J, N, Sum) -> walk(T, J + 1, N, Sum + id(J) * element(J + 1, T)).

%% The same in a guard: either half failing goes to the next clause.
idx_guard(I, J, T) when element(I + J, T) > 0 -> yes;
idx_guard(_, _, _) -> no.

sum_guard(A, B, C) when A + B + 1 > C -> {A + B, C + 1};
sum_guard(_, _, _) -> no.

%% A float times an integer (fmove, fconv, fmul), then an addition.
scale(F, N) when is_float(F) -> F * N.

scale_add(F, G, N) when is_float(F), is_float(G) -> F * N + G.

%% Two conversions: the first on its own (fconv), the second with the division.
conv_div(A, B, C) -> (A + B) / C.

%% A body call with six live values: a run of moves into y registers.
keep_many(A, B, C, D, E, 0) -> [A, B, C, D, E];
keep_many(A, B, C, D, E, N) ->
    R = keep_many(E, A, B, C, D, id(N) - 1),
    [A, B, C, D, E | R].

%% Arguments shifted down by one: a run of moves where each one reads the
%% register the one after it overwrites.
shift(A, B, C, D, 0) -> [A, B, C, D];
shift(_, B, C, D, N) -> shift(B, C, D, a, N - 1).

%% Values moved back from the frame after a call, with a constant among them.
after_call(A, B, C, 0) -> {A, B, C};
after_call(A, B, C, N) ->
    X = id(N),
    after_call(C, A, B, X - 1).

%% spectral-norm's row/6: a float from a local function times a tuple element
%% converted (fmove, fconv, fmul), added, and boxed into the argument register
%% of the tail call, often enough to collect garbage many times.
fsum(_, J, N, Sum) when J =:= N -> Sum;
fsum(T, J, N, Sum) -> fsum(T, J + 1, N, Sum + half(J) * element(J + 1, T)).

half(J) -> J / 2.

%% Binary trees' make/1 and check/1: x - 1 before the frame and the call, y - 1
%% before the second call; 1 + x into a y register before the moves, trim and call.
mk(0) -> 0;
mk(D) -> {mk(D - 1), mk(D - 1)}.

node_sum({L, R}) -> 1 + node_sum(L) + node_sum(R);
node_sum(Leaf) -> Leaf.

%% Binary trees' check/1: the tuple test, its two elements and the tests of
%% both against nil, then the constant returned, in one dispatch.
count_nodes({nil, nil}) -> 1;
count_nodes({L, R}) -> 1 + count_nodes(L) + count_nodes(R).

%% lists:split/3's loop: a list walk counting down, its accumulator's cell
%% built right before the tail call (the line between get_list and the
%% subtraction goes along into the superinstruction).
take(0, L, Acc) -> {Acc, L};
take(N, [H | T], Acc) ->
    take(N - 1,
         T, [H | Acc]).

id(X) -> X.
