-module(map_binkeys).
-export([main/0]).

%% Large maps keyed by binaries and bitstrings (hashed byte-wise as in
%% OTP 25, including unaligned sub-binaries and trailing bits).

main() ->
    Sets =
        [{short, [<<"bin_", (integer_to_binary(K))/binary>> || K <- lists:seq(1, 120)]},
         {long, [<<K:32, 0:200, K:16>> || K <- lists:seq(1, 40)]},
         {empty_and_odd, [<<>>, <<0>>, <<0, 0>>] ++ [list_to_binary(lists:duplicate(K, "ab")) || K <- lists:seq(1, 40)]},
         {bits, [<<K:13>> || K <- lists:seq(1, 40)] ++ [<<K:3>> || K <- lists:seq(0, 7)]},
         {sub, [Sub || K <- lists:seq(1, 40), <<_:3, Sub:10/binary, _/bits>> <- [<<K:5, (list_to_binary(lists:duplicate(12, K)))/binary>>]]},
         {in_tuples, [{<<K:16>>, [<<K>>]} || K <- lists:seq(1, 50)]}],
    [begin
         M = maps:from_list([{K, N} || {K, N} <- lists:zip(Ks, lists:seq(1, length(Ks)))]),
         io:format("~p ~w~n~w~n", [Name, map_size(M), maps:values(M)]),
         io:format("~w~n", [[maps:get(K, M) || K <- Ks] =:= lists:seq(1, length(Ks))])
     end || {Name, Ks} <- Sets],
    M = maps:from_list([{<<K:16>>, K} || K <- lists:seq(1, 40)]),
    io:format("~w~n", [M]),
    io:format("~p~n", [maps:remove(<<1:16>>, maps:remove(<<2:16>>, M))]),
    ok.
