-module(bin_search).
-export([main/0]).

%% binary:match/2,3, binary:matches/2,3, binary:split/2,3 and
%% integer_to_binary/1,2 (small integers take a path of their own).

main() ->
    S = <<"one,two,,three,,">>,
    show(binary:match(S, <<",">>)),
    show(binary:match(S, <<"x">>)),
    show(binary:match(S, [<<"t">>, <<"tw">>, <<"two">>])),
    show(binary:match(S, [<<"wo">>, <<"two">>])),
    show(binary:match(S, <<",">>, [{scope, {4, 5}}])),
    show(binary:match(S, <<",">>, [{scope, {9, -5}}])),
    show(binary:match(S, <<"three">>, [{scope, {0, 12}}])),
    show(binary:matches(S, <<",">>)),
    show(binary:matches(<<"aaaa">>, <<"aa">>)),
    show(binary:matches(S, [<<",">>, <<",,">>])),
    show(binary:matches(S, <<",">>, [{scope, {3, 8}}])),
    show(binary:split(S, <<",">>)),
    show(binary:split(S, <<",">>, [global])),
    show(binary:split(S, <<",">>, [global, trim])),
    show(binary:split(S, <<",">>, [global, trim_all])),
    show(binary:split(S, [<<",">>, <<",,">>], [global])),
    show(binary:split(S, <<",">>, [{scope, {5, 6}}, global])),
    show(binary:split(<<>>, <<",">>)),
    show(binary:split(<<>>, <<",">>, [trim])),
    show(binary:split(<<",">>, <<",">>, [global, trim])),
    show(binary:split(<<"abc">>, <<"x">>, [global, trim_all])),
    Big = binary:copy(<<"0123456789">>, 1000),
    show(length(binary:split(Big, <<"5">>, [global]))),
    show(binary:match(Big, <<"9012">>, [{scope, {9000, 1000}}])),
    [show(catch_reason(F)) || F <- [fun() -> binary:match(S, <<>>) end,
                                   fun() -> binary:match(S, []) end,
                                   fun() -> binary:match(S, [<<"a">>, <<>>]) end,
                                   fun() -> binary:match(S, <<"a">>, [{scope, {10, 10}}]) end,
                                   fun() -> binary:match(S, <<"a">>, [global]) end,
                                   fun() -> binary:split(S, <<"a">>, [bogus]) end,
                                   fun() -> binary:matches(not_binary, <<"a">>) end,
                                   fun() -> binary:split(<<1:7>>, <<"a">>) end]],
    show([integer_to_binary(I) || I <- [0, 7, -7, 1 bsl 59 - 1, -(1 bsl 59), 1 bsl 64, -(1 bsl 70)]]),
    show([integer_to_binary(I, B) || {I, B} <- [{255, 16}, {-255, 16}, {35, 36}, {5, 2}, {-1 bsl 59, 2}, {1 bsl 65, 36}]]),
    show(catch_reason(fun() -> integer_to_binary(10, 37) end)).

show(T) -> io:format("~p~n", [T]).

catch_reason(F) ->
    try F() of
        V -> {returned, V}
    catch
        C:R -> {C, R}
    end.
