-module(re_run_opts).
-export([main/0]).

%% re:run/2,3 and re:compile/1,2: every option, capture specs and value
%% types, global matching, and the errors (badarg, compile errors, limits).

t(F) ->
    try F() of R -> R catch C:E -> {C, E} end.

p(Label, F) -> io:format("~s: ~p~n", [Label, t(F)]).

%% The pattern tuple without erbium's or OTP's private bytes.
shape({ok, {re_pattern, N, U, C, B}}) when is_binary(B) -> {ok, {re_pattern, N, U, C}};
shape(Other) -> Other.

main() ->
    S = "The quick brown fox\njumps over the lazy dog\r\nAND RUNS",
    Runs = [
        {"plain", "o", []},
        {"caseless", "the", [caseless, global]},
        {"multiline", "^\\w+", [multiline, global, {capture, all, list}]},
        {"no multiline", "^\\w+", [global, {capture, all, list}]},
        {"dotall", "fox.jumps", [dotall]},
        {"no dotall", "fox.jumps", []},
        {"extended", "q u i c k  # comment", [extended]},
        {"firstline", "lazy", [firstline]},
        {"ungreedy", "q.*o", [ungreedy, {capture, first, list}]},
        {"greedy", "q.*o", [{capture, first, list}]},
        {"anchored", "quick", [anchored]},
        {"anchored ok", "The", [anchored]},
        {"notbol", "^The", [notbol]},
        {"noteol", "RUNS$", [noteol]},
        {"notempty", "x*", [notempty]},
        {"notempty_atstart", "x*", [notempty_atstart, global]},
        {"offset", "o", [{offset, 15}]},
        {"offset global", "o", [{offset, 15}, global]},
        {"newline cr", "dog$", [multiline, {newline, cr}]},
        {"newline lf", "dog$", [multiline, {newline, lf}]},
        {"newline crlf", "dog$", [multiline, {newline, crlf}]},
        {"newline anycrlf", "dog$", [multiline, {newline, anycrlf}]},
        {"newline any", "dog$", [multiline, {newline, any}]},
        {"bsr_anycrlf", "dog\\R", [bsr_anycrlf]},
        {"bsr_unicode", "dog\\R", [bsr_unicode]},
        {"no_auto_capture", "(qu)(?<n>ick)", [no_auto_capture]},
        {"dupnames", "(?<w>fox)|(?<w>dog)", [dupnames, global, {capture, [w], list}]},
        {"never_utf", "fox", [never_utf]},
        {"no_start_optimize", "fox", [no_start_optimize]},
        {"dollar_endonly", "RUNS$", [dollar_endonly]},
        {"ucp", "\\w+", [ucp, unicode, {capture, first, binary}]},
        {"capture none", "(q)(u)", [{capture, none}]},
        {"capture first", "(q)(u)", [{capture, first}]},
        {"capture all_but_first", "(q)(u)", [{capture, all_but_first, binary}]},
        {"capture numbers", "(q)(u)(x)?", [{capture, [2, 0, 3, 7], list}]},
        {"capture names", "(?<a>q)(?<b>u)(?<c>x)?", [{capture, [b, "a", <<"c">>, nosuch], index}]},
        {"capture all_names", "(?<z>q)(?<a>u)", [{capture, all_names, list}]},
        {"capture all_names none", "(q)", [{capture, all_names}]},
        {"capture empty list", "(q)", [{capture, []}]},
        {"unset trailing", "(q)(x)?(u)?", [{capture, all, binary}]},
        {"unset middle", "(q)(x)?(u)", [{capture, all, list}]},
        {"global list", "\\b\\w", [global, {capture, all, list}]},
        {"global none", "o", [global, {capture, none}]},
        {"global nomatch", "zzz", [global]},
        {"empty global", "", [global]},
        {"empty global crlf", "(?=\\n)|$", [global, {newline, crlf}]},
        {"match_limit", "(a+)+$", [{match_limit, 10}]},
        {"match_limit report", "(\\w+\\s?)+$", [{match_limit, 10}, report_errors]},
        {"recursion report", "(\\w+\\s?)+$", [{match_limit_recursion, 2}, report_errors]},
        {"report compile", "(unclosed", [report_errors]},
        {"compile error", "(unclosed", []},
        {"bad option", "o", [bogus]},
        {"bad capture", "o", [{capture, all, bogus}]},
        {"bad capture group", "o", [{capture, [-1]}]},
        {"bad offset", "o", [{offset, -1}]},
        {"offset at end", "$", [{offset, byte_size(list_to_binary(S))}]},
        {"bad limit", "o", [{match_limit, foo}]},
        {"not a list", "o", global}
    ],
    [p(L, fun() -> re:run(S, RE, O) end) || {L, RE, O} <- Runs],
    [p(L ++ " (binary)", fun() -> re:run(list_to_binary(S), RE, O) end) || {L, RE, O} <- Runs],
    p("run/2", fun() -> re:run("abc", "b") end),
    p("iodata subject", fun() -> re:run(["a", [<<"b">>, $c] | <<"d">>], "bcd") end),
    p("iodata pattern", fun() -> re:run("abcd", [$b, <<"c">>]) end),
    p("bad subject", fun() -> re:run(abc, "b") end),
    p("bad subject list", fun() -> re:run([$a, 256], "b") end),
    p("bad pattern", fun() -> re:run("abc", 42) end),
    p("bad pattern tuple", fun() -> re:run("abc", {re_pattern, 0, 0, 0, <<"x">>}) end),
    compiled(S),
    compile_errors().

compiled(S) ->
    {ok, MP} = re:compile("(?<w>o\\w)", [caseless]),
    p("compiled", fun() -> re:run(S, MP, [global, {capture, all_names, list}]) end),
    p("compiled anchored", fun() -> re:run(S, MP, [anchored]) end),
    p("compiled offset", fun() -> re:run(S, MP, [{offset, 30}]) end),
    p("compiled newline", fun() -> re:run(S, MP, [{newline, crlf}]) end),
    p("compiled + compile opt", fun() -> re:run(S, MP, [caseless]) end),
    p("compiled + unicode", fun() -> re:run(S, MP, [unicode]) end),
    p("compiled report_errors", fun() -> re:run(S, MP, [report_errors]) end),
    p("inspect", fun() -> re:inspect(MP, namelist) end),
    {ok, MP2} = re:compile("(?<b>x)(?<a>y)(?<b>z)?", [dupnames]),
    p("inspect dup", fun() -> re:inspect(MP2, namelist) end),
    p("inspect bad", fun() -> re:inspect(MP2, other) end),
    p("inspect not pattern", fun() -> re:inspect(foo, namelist) end),
    p("version", fun() -> is_binary(re:version()) end),
    [p("shape " ++ io_lib:format("~p", [O]), fun() -> shape(re:compile(R, O)) end)
     || {R, O} <- [{"abc", []}, {"(a)(b)(?:c)", []}, {"(a)", [unicode]},
                   {"x", [{newline, crlf}]}, {"x", [{newline, anycrlf}]},
                   {"x", [{newline, any}]}, {"x", [{newline, cr}]}, {<<"(a)|(b)">>, [anchored]},
                   {"x", [unicode, ucp]}, {"x", [global]}, {"x", [report_errors]},
                   {"x", [{offset, 1}]}, {"x", [{newline, foo}]}, {"x", notalist}]],
    p("compile/1", fun() -> shape(re:compile("a|b")) end).

compile_errors() ->
    [p("error " ++ R, fun() -> shape(re:compile(R)) end)
     || R <- ["a(b", "a[b", "*a", "a)", "a\\", "[b-a]", "(?<n>a)(?<n>b)", "a{3,2}",
              "(?<=a+)b", "(?P<x", "a{99999}", "[[:foo:]]", "(?<=x|yy)", "(?z)",
              "\\1(a)", "\\p{Foo}"]],
    p("never_utf + unicode", fun() -> re:compile("x", [unicode, never_utf]) end).
