-module(re_global_empty).
-export([main/0]).

%% Global matching after an empty match. OTP's loop (re:grun) retries an empty
%% match anchored with notempty_atstart at the offset where that search
%% started, not where the empty match is; so after a lookbehind's empty match
%% further on nothing is retried, and the search resumes one character on.

t(F) ->
    try F() of R -> R catch C:E -> {C, E} end.

p(Label, F) -> io:format("~s: ~p~n", [Label, t(F)]).

patterns() ->
    ["(?<=a).*?", "(?<=a)", "", "x*", "a*", "a??", "a*?", "\\b", "\\B", "(?=b)|b",
     "(?<=x)|a", "(?=c)|bc", "$", "^", "(?m)^", "(?m)$", "a|", "|a", "(a)|(?=b)",
     "a\\K", "(?<=\\s)\\w*", "\\w*", "é*", "(?<=é)", "\\X??", "[^b]*?"].

subjects() ->
    ["abcabc", "", "a", "baaa", "ab", "abab", "xay", "aaa", "abc bca cab",
     "x\ny\n", "é à ü", "ééaé", "日本a語", "a\r\nb\r\n"].

main() ->
    [p(io_lib:format("run ~p ~p~s", [RE, S, K]),
       fun() -> re:run(S, RE, [global | O]) end)
     || RE <- patterns(), S <- subjects(),
        {K, O} <- [{"", []}, {" unicode", [unicode]}]],
    [p(io_lib:format("split ~p ~p~s", [RE, S, K]),
       fun() -> re:split(S, RE, [{return, list} | O]) end)
     || RE <- patterns(), S <- subjects(),
        {K, O} <- [{"", []}, {" unicode", [unicode]}]],
    [p(io_lib:format("replace ~p ~p~s", [RE, S, K]),
       fun() -> re:replace(S, RE, "-", [global, {return, list} | O]) end)
     || RE <- patterns(), S <- subjects(),
        {K, O} <- [{"", []}, {" unicode", [unicode]}]],
    p("offset", fun() -> re:run("abcabc", "(?<=a).*?", [global, {offset, 2}]) end),
    p("offset end", fun() -> re:run("abc", "", [global, {offset, 3}]) end),
    p("binary", fun() -> re:run(<<"abcabc">>, "(?<=a).*?", [global, {capture, all, binary}]) end),
    p("list capture", fun() -> re:run("abcabc", "(?<=a)(.*?)", [global, {capture, all, list}]) end),
    p("capture none", fun() -> re:run("abcabc", "(?<=a).*?", [global, {capture, none}]) end),
    p("all_but_first", fun() -> re:run("xaxbx", "(?<=x)(a|b)?", [global, {capture, all_but_first, index}]) end),
    p("compiled", fun() -> {ok, MP} = re:compile("(?<=a).*?"), re:run("abcabc", MP, [global]) end),
    p("compiled unicode", fun() -> {ok, MP} = re:compile("(?<=é)", [unicode]), re:run("éaé", MP, [global]) end),
    p("crlf", fun() -> re:run("a\r\nb", "", [global, {newline, crlf}]) end),
    p("crlf any", fun() -> re:run("a\r\nb", "(?m)$", [global, {newline, any}]) end),
    p("anycrlf split", fun() -> re:split("a\r\nb\r\n", "", [{newline, anycrlf}, {return, list}]) end),
    p("notempty", fun() -> re:run("abcabc", "(?<=a).*?", [global, notempty]) end),
    p("anchored", fun() -> re:run("aab", "a*", [global, anchored]) end),
    p("split parts", fun() -> re:split("abcabc", "(?<=a).*?", [{parts, 2}, {return, list}]) end),
    p("split trim", fun() -> re:split("abcabc", "x*", [trim, {return, list}]) end),
    p("split group", fun() -> re:split("abcabc", "(?<=a)(.*?)", [group, {return, list}]) end),
    p("replace amp", fun() -> re:replace("abcabc", "(?<=a).*?", "[&]", [global, {return, list}]) end),
    p("replace binary", fun() -> re:replace(<<"ééaé"/utf8>>, "(?<=é)", "-", [global, unicode, {return, binary}]) end),
    p("limit", fun() -> re:run("aaaaaaaaaaaaaaaaaaaab", "(a+)+$|b", [global, {match_limit, 1000}]) end),
    p("limit report", fun() -> re:run("aaaaaaaaaaaaaaaaaaaab", "(a+)+$|b", [global, {match_limit, 1000}, report_errors]) end),
    Slow = "b" ++ lists:duplicate(24, $a) ++ "c",
    p("limit after a match", fun() -> re:run(Slow, "b|(a+)+$", [global, {match_limit, 5000}]) end),
    p("limit after a match report", fun() -> re:run(Slow, "b|(a+)+$", [global, {match_limit, 5000}, report_errors]) end),
    p("limit split", fun() -> re:split(Slow, "b|(a+)+$", [{match_limit, 5000}, {return, list}]) end),
    ok.
