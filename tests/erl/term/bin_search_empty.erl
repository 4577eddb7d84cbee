-module(bin_search_empty).
%% binary:match/matches/split/replace where the searched part is empty: OTP
%% answers before it reads the pattern (so even [] or a bad pattern gives
%% nomatch, [], [Subject] or Subject), but only when the scope ends at 0.
-export([main/0]).

t(F) ->
    try F() catch C:R -> {C, R} end.

main() ->
    Pats = [[], [<<>>], a, <<>>, [<<"a">>, <<>>], [a], <<"a">>, [<<"b">>]],
    [io:format("~p: ~p~n",
               [P, [t(fun() -> binary:match(<<>>, P) end),
                    t(fun() -> binary:matches(<<>>, P) end),
                    t(fun() -> binary:split(<<>>, P) end),
                    t(fun() -> binary:split(<<>>, P, [global]) end),
                    t(fun() -> binary:replace(<<>>, P, <<"x">>) end),
                    t(fun() -> binary:match(<<"abc">>, P, [{scope, {0, 0}}]) end),
                    t(fun() -> binary:matches(<<"abc">>, P, [{scope, {0, 0}}]) end),
                    t(fun() -> binary:split(<<"abc">>, P, [{scope, {0, 0}}]) end),
                    t(fun() -> binary:replace(<<"abc">>, P, <<"x">>, [{scope, {0, 0}}]) end),
                    t(fun() -> binary:match(<<"abc">>, P, [{scope, {1, 0}}]) end),
                    t(fun() -> binary:matches(<<"abc">>, P, [{scope, {3, 0}}]) end),
                    t(fun() -> binary:split(<<"abc">>, P, [{scope, {1, 0}}]) end),
                    t(fun() -> binary:replace(<<"abc">>, P, <<"x">>, [{scope, {1, 0}}]) end),
                    t(fun() -> binary:match(<<"abc">>, P, [{scope, {1, -1}}]) end),
                    t(fun() -> binary:match(<<>>, P, [bad]) end),
                    t(fun() -> binary:match(<<>>, P, [{scope, {0, 1}}]) end),
                    t(fun() -> binary:match(<<"ab">>, P) end)]])
     || P <- Pats].
