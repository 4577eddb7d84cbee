%% binary:compile_pattern/1 and the searches that take its result, directly
%% and through string's functions that compile patterns.
-module(binary_compile_pattern).
-export([main/0]).
main() ->
    B = binary:compile_pattern(<<"ab">>),
    L = binary:compile_pattern([<<"ab">>]),
    M = binary:compile_pattern([<<"a">>, <<"bc">>]),
    io:format("~p~n", [[element(1, B), element(1, L), element(1, M), is_reference(element(2, B)),
                        binary:match(<<"xxabyy">>, B), binary:match(<<"xxabyy">>, L),
                        binary:matches(<<"abcabc">>, M),
                        binary:split(<<"1ab2ab3">>, B, [global]),
                        binary:split(<<"1ab2bc3">>, M, [global, trim]),
                        string:lexemes("a b  c", " "), string:split("a,b,c", ",", all),
                        string:replace("a-b-c", "-", "+", all)]]),
    %% a compiled pattern outlives the process that made it
    Self = self(),
    spawn(fun() -> Self ! {cp, binary:compile_pattern(<<"zz">>)} end),
    P = receive {cp, C} -> C end,
    erlang:garbage_collect(),
    io:format("~p~n", [binary:match(<<"aazzbb">>, P)]).
