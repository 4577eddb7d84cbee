-module(compat_map_order).
-export([main/0]).
main() ->
    M = maps:from_list([{K, K * 2} || K <- lists:seq(1, 40)]),
    io:format("~p~n", [M]), io:format("~p~n", [maps:keys(M)]),
    M3 = maps:from_list([{integer_to_binary(K), {K}} || K <- lists:seq(1, 50)]),
    io:format("~w~n", [maps:values(M3)]),
    I = maps:iterator(M), {K1, V1, I2} = maps:next(I), {K2, _, _} = maps:next(I2), io:format("~p~n", [{K1, V1, K2}]),
    ok.
