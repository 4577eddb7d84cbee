-module(strings).
-export([main/0]).

%% Strings are lists of character codes; ~s, ~p and ~w print them.

main() ->
    S = "abc" ++ "def",
    io:format("concat: ~s~n", [S]),
    io:format("p: ~p w: ~w~n", [S, "hi"]),
    io:format("printable p: ~p ~p ~p~n", [[72, 105], [1, 2, 3], [104, 0]]),
    io:format("newline p: ~p~n", ["a\nb\tc"]),
    io:format("quote p: ~p~n", ["say \"hi\" \\ bye"]),
    io:format("chars: ~w ~w ~w~n", [$a, $\n, $\s]),
    io:format("len: ~b~n", [length(S)]),
    io:format("reverse: ~s~n", [lists:reverse(S)]),
    io:format("upper: ~s~n", [[to_upper(C) || C <- "Hello, World!"]]),
    io:format("iolist ~~s: ~s~n", [["ab", [$c, "de"], "f"]]),
    io:format("atom ~~s: ~s~n", [an_atom]),
    io:format("binary ~~p: ~p~n", [<<"abc">>]),
    io:format("int to str: ~s ~s~n", [integer_to_list(-42), integer_to_list(1 bsl 65)]),
    io:format("str to int: ~w~n", [list_to_integer("  12" -- "  ")]),
    io:format("words: ~p~n", [words("the quick  brown fox", [], [])]),
    io:format("join: ~s~n", [join(["a", "bb", "ccc"], ", ")]),
    io:format("prefix: ~w ~w~n", [prefix("abc", "abcdef"), prefix("abd", "abcdef")]),
    io:format("match prefix: ~s~n", [strip_prefix("hello world")]),
    io:format("palindromes: ~w~n", [[is_pal(W) || W <- ["racecar", "abba", "abc", ""]]]),
    io:format("caesar: ~s~n", [caesar("attack at dawn", 3)]),
    io:format("count e: ~b~n", [length([C || C <- "excellence", C =:= $e])]),
    io:format("nested ~~p: ~p~n", [{"name", ["a", "b"], 'atom', 42}]),
    io:format("tilde: ~~ percent: % backslash: \\~n"),
    io:format("list_to_atom: ~w~n", [list_to_atom(S)]),
    io:format("sort: ~p~n", [lists:sort(["pear", "apple", "fig"])]),
    io:format("empty: ~p ~s|~n", ["", ""]),
    io:format("unicode w: ~w~n", [[1000, 2000]]),
    io:format("long: ~b~n", [length(lists:flatten(lists:duplicate(1000, "xyz")))]).

to_upper(C) when C >= $a, C =< $z -> C - 32;
to_upper(C) -> C.

words([], [], Acc) -> lists:reverse(Acc);
words([], W, Acc) -> lists:reverse([lists:reverse(W) | Acc]);
words([$\s | T], [], Acc) -> words(T, [], Acc);
words([$\s | T], W, Acc) -> words(T, [], [lists:reverse(W) | Acc]);
words([C | T], W, Acc) -> words(T, [C | W], Acc).

join([], _) -> [];
join([X], _) -> X;
join([X | Xs], Sep) -> X ++ Sep ++ join(Xs, Sep).

prefix([], _) -> true;
prefix([C | A], [C | B]) -> prefix(A, B);
prefix(_, _) -> false.

strip_prefix("hello " ++ Rest) -> Rest;
strip_prefix(Other) -> Other.

is_pal(W) -> W =:= lists:reverse(W).

caesar(S, N) ->
    [if C >= $a, C =< $z -> $a + (C - $a + N) rem 26; true -> C end || C <- S].
