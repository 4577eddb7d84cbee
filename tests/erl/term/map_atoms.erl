-module(map_atoms).
-export([main/0]).

%% Large maps with atom keys. OTP 25 hashes an atom by its index in the
%% atom table, so the order of such a map's pairs depends on the order in
%% which the VM created its atoms and differs between VMs: everything here
%% is printed sorted, or as flat maps (32 keys or fewer: sorted by key).

main() ->
    Atoms = [list_to_atom("key_" ++ integer_to_list(K)) || K <- lists:seq(1, 300)],
    M = maps:from_list([{A, N} || {A, N} <- lists:zip(Atoms, lists:seq(1, 300))]),
    io:format("~w~n", [map_size(M)]),
    io:format("~w~n", [lists:sort(maps:to_list(M)) =:= lists:sort(lists:zip(Atoms, lists:seq(1, 300)))]),
    io:format("~w~n", [[maps:get(A, M) || A <- lists:sublist(Atoms, 10)]]),
    io:format("~w~n", [lists:sum(maps:values(M))]),
    io:format("~w~n", [maps:to_list(M) =:= lists:zip(maps:keys(M), maps:values(M))]),
    M2 = lists:foldl(fun(A, Acc) -> Acc#{A := -maps:get(A, Acc)} end, M, [A || {A, I} <- lists:zip(Atoms, lists:seq(1, 300)), I rem 7 =:= 1]),
    io:format("~w~n", [lists:sort([V || V <- maps:values(M2), V < 0])]),
    Small = lists:foldl(fun maps:remove/2, M, lists:nthtail(20, Atoms)),
    io:format("~p~n", [Small]),
    io:format("~w~n", [maps:keys(Small)]),
    Records = maps:from_list([{A, {A, N, [A]}} || {A, N} <- lists:zip(Atoms, lists:seq(1, 300))]),
    #{key_77 := {key_77, N77, _}} = Records,
    io:format("~w~n", [N77]),
    io:format("~w~n", [lists:sort(maps:keys(maps:filter(fun(_, {_, N, _}) -> N rem 50 =:= 0 end, Records)))]),
    io:format("~w~n", [maps:fold(fun(_, {_, N, _}, Acc) -> Acc + N end, 0, Records)]),
    Mixed = M#{1 => one, "two" => 2, {3} => three},
    io:format("~w~n", [[maps:get(K, Mixed) || K <- [1, "two", {3}, key_300]]]),
    io:format("~w~n", [Mixed =:= maps:merge(M, #{1 => one, "two" => 2, {3} => three})]),
    io:format("~w~n", [lists:sort(maps:keys(maps:without(lists:sublist(Atoms, 295), Mixed)))]).
