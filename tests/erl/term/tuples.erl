-module(tuples).
-export([main/0]).

%% Tuple BIFs and tuple patterns.

main() ->
    T = {a, 1, "s", [x], {nested, 2}},
    io:format("~w~n", [T]),
    io:format("size: ~b ~b ~b~n", [tuple_size(T), tuple_size({}), size({1, 2})]),
    io:format("element: ~w ~w~n", [element(1, T), element(5, T)]),
    io:format("setelement: ~w~n", [setelement(2, {a, b, c}, new)]),
    io:format("to_list: ~w~n", [tuple_to_list({1, 2, 3})]),
    io:format("from_list: ~w~n", [list_to_tuple([x, y, [z]])]),
    io:format("make_tuple: ~w~n", [erlang:make_tuple(4, 0)]),
    io:format("make_tuple init: ~w~n", [erlang:make_tuple(5, a, [{2, b}, {4, c}])]),
    io:format("append_element: ~w~n", [erlang:append_element({1, 2}, 3)]),
    io:format("delete_element: ~w~n", [erlang:delete_element(2, {1, 2, 3})]),
    io:format("insert_element: ~w~n", [erlang:insert_element(1, {2, 3}, 1)]),
    {A, {B, C}, _} = {1, {2, 3}, 4},
    io:format("match: ~w ~w ~w~n", [A, B, C]),
    io:format("swap: ~w~n", [swap({left, right})]),
    io:format("empty: ~w ~w~n", [{}, is_tuple({})]),
    io:format("eq: ~w ~w~n", [{1, 2} =:= {1, 2}, {1, 2} == {1, 2.0}]),
    io:format("order: ~w ~w~n", [{1, 2, 3} > {9, 9}, {1, 2} < {1, 3}]),
    Counter = count_up(erlang:make_tuple(8, 0), 160),
    io:format("counter: ~w~n", [Counter]),
    Big = list_to_tuple(lists:seq(1, 1000)),
    io:format("big: ~b ~b ~b~n", [tuple_size(Big), element(1, Big), element(1000, Big)]),
    io:format("sum: ~b~n", [tsum(Big, tuple_size(Big), 0)]),
    io:format("vector: ~w~n", [vadd({1, 2, 3}, {10, 20, 30})]).

swap({X, Y}) -> {Y, X}.

count_up(T, 0) -> T;
count_up(T, N) ->
    I = N rem tuple_size(T) + 1,
    count_up(setelement(I, T, element(I, T) + N), N - 1).

tsum(_, 0, Acc) -> Acc;
tsum(T, I, Acc) -> tsum(T, I - 1, Acc + element(I, T)).

vadd(A, B) ->
    list_to_tuple([X + Y || {X, Y} <- lists:zip(tuple_to_list(A), tuple_to_list(B))]).
