-module(map_literal).
-export([main/0]).

% Map literals from the literal chunk: one of more than 32 keys is a hash
% map in OTP (printed in hash order), one of 32 or fewer a flat map.

main() ->
    Large = large(),
    io:format("~w~n~w~n", [Large, maps:keys(Large)]),
    io:format("~w~n", [Large#{41 => {v, 41}}]),
    io:format("~w~n", [maps:remove(1, maps:remove(2, maps:remove(3, maps:remove(4, maps:remove(5, maps:remove(6, maps:remove(7, maps:remove(8, Large))))))))]),
    io:format("~w~n", [Large =:= maps:from_list([{K, {v, K}} || K <- lists:seq(1, 40)])]),
    io:format("~w~n", [small()]),
    io:format("~w~n", [[maps:get(K, Large) || K <- [1, 20, 40]]]).

large() -> #{1 => {v, 1}, 2 => {v, 2}, 3 => {v, 3}, 4 => {v, 4}, 5 => {v, 5}, 6 => {v, 6}, 7 => {v, 7}, 8 => {v, 8}, 9 => {v, 9}, 10 => {v, 10}, 11 => {v, 11}, 12 => {v, 12}, 13 => {v, 13}, 14 => {v, 14}, 15 => {v, 15}, 16 => {v, 16}, 17 => {v, 17}, 18 => {v, 18}, 19 => {v, 19}, 20 => {v, 20}, 21 => {v, 21}, 22 => {v, 22}, 23 => {v, 23}, 24 => {v, 24}, 25 => {v, 25}, 26 => {v, 26}, 27 => {v, 27}, 28 => {v, 28}, 29 => {v, 29}, 30 => {v, 30}, 31 => {v, 31}, 32 => {v, 32}, 33 => {v, 33}, 34 => {v, 34}, 35 => {v, 35}, 36 => {v, 36}, 37 => {v, 37}, 38 => {v, 38}, 39 => {v, 39}, 40 => {v, 40}}.

small() -> #{"z" => 1, 3 => 2, {t} => 3, 2.5 => 4, [] => 5}.
