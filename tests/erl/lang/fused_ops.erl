-module(fused_ops).
-export([main/0]).
-export([rotate/4, swap_loop/3, pairs/2, second_of_pair/1, make/1, check/1, build/2, keep_y/2,
         const_ret/1, add_after_moves/3, match_pair/1, shuffle/3, tail_after/1, id/1,
         sub_kept/1, add_kept/1, add_into_y/1, sub_y_into_y/1, add_yx_into_y/1]).

%% Code shapes the loader turns into superinstructions (ops_fused.def):
%% chains of moves where one move's destination is the next one's source,
%% tuple element pairs, tuples built right after their heap test while
%% collections move everything, returns right after a move or deallocate,
%% and exceptions raised next to them (stack trace lines).

%% Every function is called through ?MODULE, so the compiler cannot
%% specialise it for the constant arguments given here.
main() ->
    M = ?MODULE,
    io:format("rotate: ~w~n", [M:rotate(1, 2, 3, 10)]),
    io:format("swap: ~w~n", [M:swap_loop(a, b, 7)]),
    io:format("shuffle: ~w~n", [M:shuffle(a, b, c)]),
    io:format("pairs: ~w~n", [M:pairs([{1, 2}, {3, 4}, {5, {6, 7}}], 0)]),
    io:format("second: ~w~n", [M:second_of_pair({x, {y, z}})]),
    io:format("tree: ~w~n", [M:check(M:make(12))]),
    io:format("built: ~w~n", [length(M:build(30000, []))]),
    io:format("kept: ~w~n", [M:keep_y(20000, [])]),
    io:format("consts: ~w~n", [[M:const_ret(I) || I <- [0, 1, 2, 3]]]),
    io:format("tail: ~w~n", [M:tail_after(5)]),
    io:format("sub_kept: ~w~n", [[M:sub_kept(X) || X <- [0, 1 bsl 59, -(1 bsl 59), 1 bsl 70, 2.5]]]),
    io:format("add_kept: ~w~n", [[M:add_kept(X) || X <- [0, 1 bsl 58, 1 bsl 59, -(1 bsl 70), 2.5]]]),
    Edges = [0, (1 bsl 59) - 1, 1 bsl 59, -(1 bsl 59), -(1 bsl 59) - 1, 1 bsl 70, 2.5],
    io:format("into y: ~w~n", [[{M:add_into_y(X), M:sub_y_into_y(X), M:add_yx_into_y(X)} || X <- Edges]]),
    io:format("into y badarith: ~p~n", [[catch_line(fun() -> F(nan) end)
                                        || F <- [fun M:add_into_y/1, fun M:sub_y_into_y/1, fun M:add_yx_into_y/1]]]),
    io:format("sub badarith: ~p~n", [catch_line(fun() -> M:sub_kept(atom) end)]),
    io:format("add badarith: ~p~n", [catch_line(fun() -> M:add_kept([]) end)]),
    io:format("tail badarith: ~p~n", [catch_line(fun() -> M:tail_after(five) end)]),
    io:format("badarith: ~p~n", [catch_line(fun() -> M:add_after_moves(1, 2, foo) end)]),
    io:format("badmatch: ~p~n", [catch_line(fun() -> M:match_pair({1, 2, 3}) end)]),
    io:format("badtuple: ~p~n", [catch_line(fun() -> M:check({1, 2, 3}) end)]).

%% Each call moves x1 -> x0, x2 -> x1, x0 -> x2 through a temporary.
rotate(A, B, C, 0) -> {A, B, C};
rotate(A, B, C, N) -> rotate(B, C, A, N - 1).

swap_loop(A, B, 0) -> {A, B};
swap_loop(A, B, N) -> swap_loop(B, A, N - 1).

%% Arguments passed on in a new order, one of them twice, around a call.
shuffle(A, B, C) ->
    X = id3(C, A, B),
    Y = id3(B, X, A),
    {X, Y, C}.

id3(P, Q, R) -> [P, Q, R].

pairs([], Acc) -> Acc;
pairs([{A, B} | T], Acc) when is_integer(B) -> pairs(T, Acc + A * B);
pairs([{A, {B, C}} | T], Acc) -> pairs(T, Acc + A + B * C).

second_of_pair({_, {A, B}}) -> [B, A].

make(0) -> {nil, nil};
make(D) -> {make(D - 1), make(D - 1)}.

check({nil, nil}) -> 1;
check({L, R}) -> 1 + check(L) + check(R).

%% A tuple built from a y register and an x register after each call, with
%% enough of them to collect garbage many times.
build(0, Acc) -> Acc;
build(N, Acc) ->
    T = {N, id(Acc)},
    build(N - 1, [T]).

keep_y(0, Acc) -> length(Acc);
keep_y(N, Acc) ->
    X = id(N),
    keep_y(N - 1, [{X, N} | Acc]).

id(X) -> X.

%% A move into x1 and the tail call after it.
tail_after(X) ->
    Y = id(X),
    scale(Y, X).

scale(A, B) -> A * B + 1.

%% X is kept in a y register across a call, then X - 1 and X + Y.
sub_kept(X) ->
    Y = id(X),
    {Y, X - 1}.

add_kept(X) ->
    Y = id(X),
    X + Y.

%% The same operations with a y register as destination (the result lives
%% across a call): x + C, y - C and y + x.
add_into_y(X) -> A = id(X) + 1, B = id(X), {A, B}.

sub_y_into_y(X) -> Y = id(X), A = X - 1, B = id(Y), {A, B}.

add_yx_into_y(X) -> Y = id(X), A = X + Y, B = id(Y), {A, B}.

const_ret(0) -> zero;
const_ret(1) -> "one";
const_ret(2) -> {two, 2};
const_ret(N) -> N * 2.

add_after_moves(A, B, C) ->
    X = id(B),
    Y = id(A),
    X + Y + C.

match_pair(T) ->
    {A, B} = id(T),
    A + B.

catch_line(F) ->
    try F() of
        V -> {ok, V}
    catch
        Class:Reason:Stack -> {Class, Reason, [{M, Fn, Ar, proplists:get_value(line, Loc)} || {M, Fn, Ar, Loc} <- Stack, M =:= ?MODULE]}
    end.
