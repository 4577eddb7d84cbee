-module(re_scan).
-export([main/0]).

%% re:run over 10 MB of text with a few patterns: global matches of a
%% literal word, of a character-class word pattern with captures, of an
%% anchored multiline line pattern, and one search that finds nothing;
%% then a split of a 1 MB slice into lines and a replace on it (re.beam's
%% Erlang code over re:run). Compiled once, as a program would; runs three
%% times and reports the best time.

-define(MB, 10).
-define(RUNS, 3).

main() ->
    Text = text(?MB * 1024 * 1024),
    {ok, Word} = re:compile("lorem"),
    {ok, Caps} = re:compile("\\b(\\w{3})(\\w*)ing\\b"),
    {ok, Line} = re:compile("^(\\d+): (\\w+)", [multiline]),
    {ok, None} = re:compile("zq[xj]{3}"),
    Slice = binary:part(Text, 0, 1024 * 1024),
    {Best, Check} = bench_time:best(?RUNS, fun() -> run(Text, Slice, Word, Caps, Line, None) end),
    io:format("CHECK ~w~n", [Check]),
    io:format("RESULT re_scan ~b~n", [Best]).

run(Text, Slice, Word, Caps, Line, None) ->
    {match, W} = re:run(Text, Word, [global, {capture, first, index}]),
    {match, C} = re:run(Text, Caps, [global, {capture, all_but_first, binary}]),
    {match, L} = re:run(Text, Line, [global, {capture, [2], list}]),
    nomatch = re:run(Text, None, []),
    Lines = re:split(Slice, "\n", [{return, binary}]),
    Replaced = re:replace(Slice, "ipsum", "IPSUM", [global, {return, binary}]),
    {length(W), length(C), length(L), length(Lines), byte_size(Replaced)}.

%% Numbered lines of pseudo-random words, built deterministically.
text(Bytes) ->
    Words = {<<"lorem">>, <<"ipsum">>, <<"dolor">>, <<"running">>, <<"sit">>, <<"amet">>,
             <<"singing">>, <<"consectetur">>, <<"adipiscing">>, <<"elit">>, <<"sed">>, <<"do">>},
    text(Bytes, 1, 12345, Words, []).

text(Left, _, _, _, Acc) when Left =< 0 -> iolist_to_binary(lists:reverse(Acc));
text(Left, N, Seed, Words, Acc) ->
    {Ws, Seed1} = words(8, Seed, Words, []),
    L = iolist_to_binary([integer_to_list(N), ": ", lists:join(" ", Ws), "\n"]),
    text(Left - byte_size(L), N + 1, Seed1, Words, [L | Acc]).

words(0, Seed, _, Acc) -> {Acc, Seed};
words(K, Seed, Words, Acc) ->
    S = (Seed * 1103515245 + 12345) band 16#7FFFFFFF,
    words(K - 1, S, Words, [element(1 + (S bsr 16) rem tuple_size(Words), Words) | Acc]).
