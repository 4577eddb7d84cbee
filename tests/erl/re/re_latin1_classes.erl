-module(re_latin1_classes).
-export([main/0]).

%% Character classes over all 256 byte values. Without unicode, and with unicode
%% but without ucp, OTP's PCRE classifies the characters below 256 by Latin-1
%% tables (é is a letter, ² is no digit, ß is lower case); with ucp by Unicode
%% properties. Each line lists the matching values as ranges.

classes() ->
    ["\\w", "\\W", "\\d", "\\D", "\\s", "\\S", "\\h", "\\H", "\\v", "\\V",
     "[\\w]", "[^\\W]", "[\\d\\s]", "[^\\w\\s]", ".", "\\R",
     "[[:alpha:]]", "[[:alnum:]]", "[[:lower:]]", "[[:upper:]]", "[[:digit:]]",
     "[[:xdigit:]]", "[[:space:]]", "[[:blank:]]", "[[:punct:]]", "[[:graph:]]",
     "[[:print:]]", "[[:cntrl:]]", "[[:word:]]", "[[:ascii:]]",
     "[[:^alpha:]]", "[[:^lower:]]", "[^[:punct:]]", "[[:^space:]]",
     "\\w\\b", "\\b\\w", "\\w\\B", "^\\w", "\\w|!", "x?\\w",
     "(?i)[a-z]", "(?i)[\\x{c0}-\\x{de}]", "(?i)[^\\x{e0}-\\x{ff}]"].

%% Caseless, PCRE 8 reads [:lower:] and [:upper:] as [:alpha:]. Not with ucp:
%% there OTP's \p{L} and PCRE2's case-folded \p{Ll} differ (ª and º).
caseless_classes() -> ["(?i)[[:lower:]]", "(?i)[[:upper:]]", "(?i)[^[:lower:]]"].

modes() ->
    [{"bytes", fun(C) -> <<C>> end, []},
     {"latin1 list", fun(C) -> [C] end, []},
     {"unicode", fun(C) -> [C] end, [unicode]},
     {"ucp", fun(C) -> [C] end, [unicode, ucp]}].

%% [3,4,5,9] -> [{3,5},9]
ranges([]) -> [];
ranges([H | T]) -> ranges(T, H, H).
ranges([N | T], Lo, Hi) when N =:= Hi + 1 -> ranges(T, Lo, N);
ranges(T, Lo, Hi) -> [range(Lo, Hi) | ranges(T)].
range(N, N) -> N;
range(Lo, Hi) -> {Lo, Hi}.

matching(Subj, RE, Opts) ->
    [C || C <- lists:seq(0, 255), re:run(Subj(C), RE, Opts) =/= nomatch].

classes_out() ->
    [io:format("~s ~s: ~w~n", [RE, Mode, ranges(matching(Subj, RE, Opts))])
     || RE <- classes(), {Mode, Subj, Opts} <- modes()],
    [io:format("~s ~s: ~w~n", [RE, Mode, ranges(matching(Subj, RE, Opts))])
     || RE <- caseless_classes(), {Mode, Subj, Opts} <- modes(), Mode =/= "ucp"].

hex(C) -> "\\x{" ++ integer_to_list(C, 16) ++ "}".

%% For each value, the other values that a caseless pattern of it matches
%% (a negated class: does not match).
caseless_out() ->
    [begin
         Pairs = [{C, ranges([D || D <- lists:seq(0, 255), D =/= C,
                                   (re:run(Subj(D), Pat(C), [caseless | Opts]) =:= nomatch) =:= Neg])}
                  || C <- lists:seq(0, 255)],
         io:format("caseless ~s ~s: ~w~n", [Kind, Mode, [P || {_, L} = P <- Pairs, L =/= []]])
     end
     || {Kind, Pat, Neg} <- [{"char", fun hex/1, false},
                             {"class", fun(C) -> "[" ++ hex(C) ++ "]" end, false},
                             {"negated", fun(C) -> "[^" ++ hex(C) ++ "]" end, true}],
        {Mode, Subj, Opts} <- modes()].

%% A caseless back reference: which pairs (C, D) satisfy (.)\1.
backref_out() ->
    [begin
         Pairs = [{C, D} || C <- lists:seq(16#80, 255), D <- lists:seq(16#80, 255), C =/= D,
                            re:run(Subj2(C, D), "^(.)\\1$", [caseless | Opts]) =/= nomatch],
         io:format("backref ~s: ~w~n", [Mode, Pairs])
     end
     || {Mode, Subj2, Opts} <- [{"bytes", fun(C, D) -> <<C, D>> end, []},
                                {"unicode", fun(C, D) -> [C, D] end, [unicode]}]].

%% In unicode mode without ucp, PCRE's mandatory repeats of \\w and \\W take
%% only ASCII word characters ("\\w+" finds "rger" in "Ärger"), single ones
%% and optional repeats Latin-1 ones. Each pattern runs three times, as the
%% second use of a pattern or a long subject may bring other code into play.
repeats_out() ->
    S = "xÄÖéy ÄÖ Ärger ß",
    Long = lists:append(lists:duplicate(3000, "Ärger ")),
    [begin
         R = [brief(re:run(Subj, P, [unicode, global, {capture, first, list}])) || _ <- [1, 2, 3]],
         io:format("repeat ~s ~s: ~w~n", [P, K, R])
     end
     || P <- ["\\w", "\\w+", "\\w*", "\\w{2}", "\\w{1,3}", "\\w+?", "\\w?", "\\w++",
              "(?:\\w)+", "[\\w]+", "\\W+", "\\W*", "\\w\\w", "[[:alpha:]]+", "\\b\\w+",
              "(*UCP)\\w+", "(*UTF)\\w+"],
        {K, Subj} <- [{"short", S}, {"long", Long}]],
    [begin
         R = [re:run(<<"xÄÖéy ÄÖ"/utf8>>, P, [unicode, global]) || _ <- [1, 2, 3]],
         io:format("repeat binary ~s: ~w~n", [P, R])
     end || P <- ["\\w+", "\\W+"]].

%% The number of matches and the first few.
brief({match, L}) -> {length(L), lists:sublist(L, 4)};
brief(R) -> R.

p(Label, F) ->
    io:format("~s: ~p~n", [Label, try F() catch C:E -> {C, E} end]).

main() ->
    classes_out(),
    caseless_out(),
    backref_out(),
    repeats_out(),
    p("w e9", fun() -> re:run(<<233>>, "\\w") end),
    p("W e9", fun() -> re:run(<<233>>, "\\W") end),
    p("caseless A ring", fun() -> re:run("Å", "å", [caseless]) end),
    p("alpha unicode", fun() -> re:run("é", "[[:alpha:]]", [unicode]) end),
    p("boundary", fun() -> re:run("éa", "\\b", [{capture, first, index}]) end),
    p("boundaries global", fun() -> re:run("¿qué? ça µm", "\\b", [global]) end),
    p("boundaries unicode", fun() -> re:run("¿qué? ça µm", "\\b", [global, unicode]) end),
    p("words", fun() -> re:run("naïve café ½ x²", "\\w+", [global, {capture, first, list}]) end),
    p("words unicode", fun() -> re:run("naïve café ½ x²", "\\w+", [unicode, global, {capture, first, list}]) end),
    p("words ucp", fun() -> re:run("naïve café ½ x²", "\\w+", [unicode, ucp, global, {capture, first, list}]) end),
    p("split nonword", fun() -> re:split("über-straße;ÿ", "\\W+", [{return, list}]) end),
    p("replace caseless", fun() -> re:replace("ÉCOLE école", "é", "e", [caseless, global, {return, list}]) end),
    p("compiled caseless", fun() -> {ok, MP} = re:compile("ñ+", [caseless]), re:run(<<"xÑñÑ">>, MP) end),
    p("big char unicode", fun() -> re:run([16#100, 16#3B1], "\\w", [unicode]) end),
    p("big char ucp", fun() -> re:run([16#100, 16#3B1], "\\w", [unicode, ucp]) end),
    ok.
