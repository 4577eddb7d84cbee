-module(compare).
-export([main/0]).

%% The standard term order: number < atom < reference < fun < port < pid
%% < tuple < map < nil < list < bitstring.

main() ->
    Terms = [[1], {a}, b, 2.5, <<"abc">>, [], 1, "abc", {a, b}, a, -3, {}, [a | b]],
    io:format("~p~n", [lists:sort(Terms)]),
    io:format("reverse: ~p~n", [lists:reverse(lists:sort(Terms))]),
    F = fun() -> ok end,
    io:format("fun: ~w ~w ~w~n", [F > zzz, F < {}, F < []]),
    io:format("tuples by size: ~w~n", [lists:sort([{b}, {a, a}, {}, {a}, {z, z, z}])]),
    io:format("lists: ~w~n", [lists:sort([[2], [1, 2], [1], [1, 1, 1], []])]),
    io:format("strings: ~p~n", [lists:sort(["b", "ab", "a", "abc", ""])]),
    io:format("atoms: ~w~n", [lists:sort([b, 'B', a, aa, 'a b'])]),
    io:format("nums: ~w~n", [lists:sort([3, 2.0, -1, 1.0e10, 1 bsl 64, -(1 bsl 64)])]),
    io:format("==: ~w ~w ~w~n", [1 == 1.0, {1} == {1.0}, [1] == [1.0]]),
    io:format("=:=: ~w ~w ~w~n", [1 =:= 1.0, {1} =:= {1.0}, a =:= a]),
    io:format("/= =/=: ~w ~w~n", [1 /= 1.0, 1 =/= 1.0]),
    io:format("<: ~w ~w ~w ~w~n", [1 < a, a < {}, {} < [], [] < [0]]),
    io:format(">=: ~w ~w ~w~n", [a >= a, {1, 2} >= {1, 1}, "b" >= "abc"]),
    io:format("=<: ~w ~w~n", [1.0 =< 1, 2 =< 1.9]),
    io:format("mixed tuple: ~w~n", [{1, a} < {1.0, b}]),
    io:format("max/min: ~p ~p~n", [max(a, "a"), min({1}, [1])]),
    io:format("usort mixed: ~w~n", [lists:usort([1, 1.0, a, a, {1}, {1.0}])]),
    io:format("deep: ~w~n", [{[1, {2, [3]}]} < {[1, {2, [4]}]}]),
    io:format("nested num: ~w ~w~n", [[1, 2.0] < [1, 3], [1, 2] == [1.0, 2.0]]).
