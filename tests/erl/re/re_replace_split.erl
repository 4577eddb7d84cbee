-module(re_replace_split).
-export([main/0]).

%% What OTP's re.beam builds on re:run: replace/3,4, split/2,3 and their
%% option variants, over latin-1 and unicode subjects.

t(F) ->
    try F() of R -> R catch C:E -> {C, E} end.

p(Label, F) -> io:format("~s: ~p~n", [Label, t(F)]).

main() ->
    S = "alpha, beta,gamma ,  delta,,epsilon",
    B = list_to_binary(S),
    [p("replace " ++ io_lib:format("~p", [{R, W, O}]), fun() -> re:replace(Subj, R, W, O) end)
     || Subj <- [S, B],
        {R, W, O} <- [{",", ";", []},
                      {",", ";", [global]},
                      {"\\s*,\\s*", "|", [global, {return, list}]},
                      {"(\\w+)", "<\\1>", [global, {return, binary}]},
                      {"(\\w+)", "<&>", [global, {return, list}]},
                      {"(?<w>a\\w)", "[\\g{w}]", [global, {return, list}]},
                      {"(\\w)(\\w)", "\\2\\1", [{return, list}]},
                      {"A", "x", [caseless, global, {return, list}]},
                      {"", "-", [global, {return, list}]},
                      {"e", fun(M, _) -> [M, M] end, [global, {return, list}]},
                      {"(e)(p)?", fun(M, G) -> io_lib:format("~p", [{M, G}]) end, [global, {return, binary}]},
                      {"^", ">", [multiline, global, {return, list}]},
                      {"zzz", "y", [{return, list}]},
                      {"a", "\\0\\0", [{offset, 5}, global, {return, list}]},
                      {"(", "x", []},
                      {"a", "x", [bogus]},
                      {"a", "x", [{return, foo}]}]],
    [p("split " ++ io_lib:format("~p", [{R, O}]), fun() -> re:split(Subj, R, O) end)
     || Subj <- [S, B],
        {R, O} <- [{",", []},
                   {",", [{return, list}]},
                   {"\\s*,\\s*", [{return, list}, trim]},
                   {",", [{parts, 2}, {return, list}]},
                   {",", [{parts, infinity}, {return, binary}]},
                   {"(,)", [{return, list}, group]},
                   {"(,)", [{return, list}]},
                   {"", [{return, list}]},
                   {"x*", [{return, list}]},
                   {",", [trim, {return, list}, {parts, 3}]},
                   {"\\s", [caseless, {return, list}]},
                   {"(", []},
                   {",", [{parts, -1}]},
                   {",", [global]}]],
    p("split/2", fun() -> re:split("a b  c", " ") end),
    p("split empty", fun() -> re:split("", ",", [{return, list}]) end),
    p("split trailing", fun() -> re:split("a,b,,,", ",", [{return, list}]) end),
    p("split trailing trim", fun() -> re:split("a,b,,,", ",", [{return, list}, trim]) end),
    p("split parts 0", fun() -> re:split("a,b,,,", ",", [{return, list}, {parts, 0}]) end),
    U = "grüße, 日本語, ℕ",
    p("unicode replace", fun() -> re:replace(U, "\\w+", "[&]", [unicode, ucp, global, {return, list}]) end),
    p("unicode replace binary", fun() -> re:replace(U, "ß", "ss", [unicode, {return, binary}]) end),
    p("unicode split", fun() -> re:split(U, ",\\s*", [unicode, {return, list}]) end),
    p("unicode split binary", fun() -> re:split(unicode:characters_to_binary(U), ",\\s*", [unicode, {return, binary}]) end),
    p("unicode empty split", fun() -> re:split("日本", "", [unicode, {return, list}]) end),
    p("latin1 replace", fun() -> re:replace(<<"caf", 233>>, <<233>>, "e", [{return, list}]) end),
    p("bad unicode", fun() -> re:replace(<<255, 254>>, "x", "y", [unicode]) end),
    {ok, MP} = re:compile("(\\d+)"),
    p("compiled replace", fun() -> re:replace("a1b22c333", MP, "<\\1>", [global, {return, list}]) end),
    p("compiled split", fun() -> re:split("a1b22c333", MP, [{return, list}]) end),
    p("compiled split group", fun() -> re:split("a1b22c333", MP, [{return, list}, group]) end),
    %% grun: global matching in Erlang over re:internal_run/4
    [p("grun " ++ io_lib:format("~p", [{Subj, R, O}]), fun() -> re:grun(Subj, R, O) end)
     || {Subj, R, O} <- [{"abcabc", "b", {[], []}},
                         {"abcabc", "(b)(c)", {[{capture, all, list}], []}},
                         {"abcabc", "", {[], []}},
                         {<<"aXbXc">>, "X", {[{capture, first, binary}], [], list}},
                         {"abc", "(", {[], []}}]].
