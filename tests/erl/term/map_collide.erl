-module(map_collide).
-export([main/0]).

%% Integer keys whose first 32 hash bits are equal (found by search): the
%% trie goes deeper than 8 levels, where OTP 25 rehashes the key with the
%% depth as salt. Their order, insertion and removal must match OTP.

pairs() ->
    [{388950, 892162}, {409845, 625435}, {392768, 707725}, {407586, 710891},
     {924938, 968407}, {412884, 605474}, {426156, 967209}, {119919, 827997}].

main() ->
    Colliding = lists:append([[A, B] || {A, B} <- pairs()]),
    Keys = Colliding ++ lists:seq(1, 40),
    M = maps:from_list([{K, K} || K <- Keys]),
    io:format("~w~n~w~n", [maps:keys(M), M]),
    One = lists:foldl(fun(K, Acc) -> Acc#{K => K} end, #{}, lists:reverse(Keys)),
    io:format("~w~n", [{One =:= M, maps:keys(One) =:= maps:keys(M)}]),
    Removed = lists:foldl(fun maps:remove/2, M, [A || {A, _} <- pairs()]),
    io:format("~w~n", [maps:keys(Removed)]),
    Back = lists:foldl(fun(K, Acc) -> Acc#{K => back} end, Removed, [A || {A, _} <- pairs()]),
    io:format("~w~n", [maps:keys(Back) =:= maps:keys(M)]),
    io:format("~w~n", [[maps:get(K, M) || K <- Colliding] =:= Colliding]),
    Small = maps:from_list([{K, K} || K <- Colliding ++ lists:seq(1, 16)]),
    io:format("~w~n", [Small]),
    io:format("~w~n", [walk(maps:iterator(M), [])]).

walk(I, Acc) ->
    case maps:next(I) of
        none -> lists:reverse(Acc);
        {K, _, Next} -> walk(Next, [K | Acc])
    end.
