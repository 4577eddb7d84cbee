-module(re_unicode).
-export([main/0]).

%% Unicode patterns and subjects: lists of code points, UTF-8 binaries,
%% ucp classes, byte offsets in results, and invalid UTF-8.

t(F) ->
    try F() of R -> R catch C:E -> {C, E} end.

p(Label, F) -> io:format("~s: ~p~n", [Label, t(F)]).

main() ->
    L = "Ärger über Öl: 日本語テキスト, émoji 😀 end",
    B = unicode:characters_to_binary(L),
    [p(Lab ++ K, fun() -> re:run(Subj, RE, O) end)
     || {K, Subj} <- [{" list", L}, {" binary", B}],
        {Lab, RE, O} <- [{"index", "über", [unicode]},
                         {"list", "(\\w+):", [unicode, {capture, all, list}]},
                         {"binary", "日本(語)", [unicode, {capture, all, binary}]},
                         {"ucp word", "\\w+", [unicode, ucp, global, {capture, all, list}]},
                         {"ascii word", "\\w+", [unicode, global, {capture, all, list}]},
                         {"caseless", "öl", [unicode, caseless, {capture, all, list}]},
                         {"caseless ucp", "ÄRGER", [unicode, ucp, caseless]},
                         {"dot", "(.)\\s+end", [unicode, {capture, all_but_first, list}]},
                         {"emoji", "\\x{1F600}", [unicode]},
                         {"property", "\\p{Han}+", [unicode, {capture, first, list}]},
                         {"empty global", "", [unicode, global, {offset, 40}]},
                         {"offset", "\\w", [unicode, {offset, 1}]},
                         {"offset mid char", "\\w", [unicode, {offset, 1}, global]}]],
    p("bytes without unicode", fun() -> re:run(B, "über", [{capture, all, list}]) end),
    p("latin1 list", fun() -> re:run([$a, 252, $b], [252], [{capture, all, list}]) end),
    p("latin1 binary", fun() -> re:run(<<$a, 252, $b>>, <<252>>, [{capture, all, binary}]) end),
    p("invalid utf8 subject", fun() -> re:run(<<"a", 255, "b">>, "b", [unicode]) end),
    p("invalid utf8 pattern", fun() -> re:run("ab", <<255>>, [unicode]) end),
    p("code point too big", fun() -> re:run([16#110000], "a", [unicode]) end),
    p("unicode pattern list", fun() -> re:compile("日本", [unicode]) =/= error end),
    {ok, MP} = re:compile("(?<n>本)", [unicode]),
    p("unicode name", fun() -> re:inspect(MP, namelist) end),
    p("unicode name capture", fun() -> re:run(L, MP, [{capture, all_names, list}]) end),
    p("compiled unicode, list subject", fun() -> re:run(L, MP) end).
