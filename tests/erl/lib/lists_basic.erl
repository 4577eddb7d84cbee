-module(lists_basic).
-export([main/0]).

%% List construction and matching without the lists module.

main() ->
    L = [1, 2, 3],
    io:format("~w ~w ~w~n", [L, [0 | L], [L | L]]),
    [H | T] = L,
    io:format("hd ~w tl ~w~n", [H, T]),
    io:format("hd/tl bifs: ~w ~w~n", [hd(L), tl(L)]),
    io:format("length ~b ~b ~b~n", [length([]), length(L), length(seq(1, 500))]),
    io:format("improper: ~w ~p~n", [[1 | 2], [a, b | c]]),
    io:format("append: ~w~n", [[1, 2] ++ [3, 4] ++ []]),
    io:format("subtract: ~w~n", [[1, 2, 3, 2, 1] -- [2, 1, 5]]),
    io:format("nested: ~w~n", [[[1], [2, [3, [4]]], []]]),
    io:format("my_reverse: ~w~n", [rev(seq(1, 10), [])]),
    io:format("my_map: ~w~n", [map(fun(X) -> X * X end, seq(1, 8))]),
    io:format("my_filter: ~w~n", [filter(fun(X) -> X rem 3 =:= 0 end, seq(1, 20))]),
    io:format("my_sum: ~b~n", [sum(seq(1, 100000), 0)]),
    io:format("my_nth: ~w~n", [nth(4, [a, b, c, d, e])]),
    io:format("my_zip: ~w~n", [zip([a, b, c], [1, 2, 3])]),
    io:format("my_last: ~w~n", [last(seq(1, 77))]),
    io:format("pairs: ~w~n", [pairs([1, 2, 3, 4, 5, 6])]),
    io:format("take3: ~w~n", [take(3, [x, y, z, w])]),
    io:format("interleave: ~w~n", [interleave([1, 3, 5], [2, 4, 6])]),
    io:format("is_list: ~w ~w ~w~n", [is_list([]), is_list([1 | 2]), is_list(x)]),
    io:format("empty eq: ~w ~w~n", [[] =:= [], [] == []]),
    io:format("list eq: ~w ~w~n", [[1, 2] =:= [1, 2], [1, 2] =:= [1, 2.0]]),
    io:format("tl chain: ~w~n", [tl(tl(tl([1, 2, 3, 4])))]).

seq(A, B) when A > B -> [];
seq(A, B) -> [A | seq(A + 1, B)].

rev([], Acc) -> Acc;
rev([H | T], Acc) -> rev(T, [H | Acc]).

map(_, []) -> [];
map(F, [H | T]) -> [F(H) | map(F, T)].

filter(_, []) -> [];
filter(P, [H | T]) ->
    case P(H) of
        true -> [H | filter(P, T)];
        false -> filter(P, T)
    end.

sum([], Acc) -> Acc;
sum([H | T], Acc) -> sum(T, Acc + H).

nth(1, [H | _]) -> H;
nth(N, [_ | T]) -> nth(N - 1, T).

zip([A | As], [B | Bs]) -> [{A, B} | zip(As, Bs)];
zip([], []) -> [].

last([X]) -> X;
last([_ | T]) -> last(T).

pairs([A, B | Rest]) -> [{A, B} | pairs(Rest)];
pairs([]) -> [].

take(0, _) -> [];
take(N, [H | T]) -> [H | take(N - 1, T)].

interleave([], Ys) -> Ys;
interleave([X | Xs], Ys) -> [X | interleave(Ys, Xs)].
