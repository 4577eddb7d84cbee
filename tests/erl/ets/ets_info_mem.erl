-module(ets_info_mem).
-export([main/0]).

%% ets:info(T, memory) in words as OTP 25 counts it: an empty table of
%% every kind and option, and for ordered_set every object (the tuple, its
%% binaries as heap binaries or ProcBins, nested terms) exactly; hash
%% tables grow and shrink back. ets:info(T, binary): the refc binaries a
%% table holds ({Address, Size, RefCount}; addresses not printed).

main() ->
    Opts = [[], [{write_concurrency, true}], [{write_concurrency, auto}], [{read_concurrency, true}],
            [{write_concurrency, true}, {read_concurrency, true}]],
    [io:format("empty ~p ~p: ~p~n", [Type, O, ets:info(ets:new(t, [Type | O]), memory)])
     || Type <- [set, ordered_set, bag, duplicate_bag], O <- Opts],
    oset(),
    hash(),
    binaries(),
    io:format("done~n").

big_bin() -> binary:copy(<<"0123456789">>, 20).

oset() ->
    T = ets:new(t, [ordered_set]),
    M0 = ets:info(T, memory),
    Objects = [{1, a}, {2, 1.5}, {3, "abc"}, {4, {x, y, [z]}}, {5, <<"small">>},
               {6, big_bin()}, {7, <<1:3>>}, {8, #{a => 1, b => 2}}, {9, 123456789012345678901234567890},
               {10, [big_bin(), <<"x">>]}],
    [begin
         ets:insert(T, O),
         io:format("oset ~p: ~p~n", [element(1, O), ets:info(T, memory) - M0]),
         ets:delete(T, element(1, O)),
         0 = ets:info(T, memory) - M0
     end || O <- Objects],
    ets:insert(T, Objects),
    io:format("oset all: ~p~n", [ets:info(T, memory) - M0]),
    ets:insert(T, {6, small}),
    io:format("oset replaced: ~p~n", [ets:info(T, memory) - M0]),
    ets:delete_all_objects(T),
    io:format("oset emptied: ~p~n", [ets:info(T, memory) - M0]),
    ets:delete(T).

hash() ->
    [begin
         T = ets:new(t, [Type]),
         M0 = ets:info(T, memory),
         [ets:insert(T, {K, K}) || K <- lists:seq(1, 3000)],
         M1 = ets:info(T, memory),
         ets:delete_all_objects(T),
         M2 = ets:info(T, memory),
         io:format("~p grows ~p, back to empty ~p~n", [Type, M1 > M0 + 3000 * 3, M2 =:= M0]),
         ets:delete(T)
     end || Type <- [set, bag, duplicate_bag]].

binaries() ->
    B = big_bin(),
    [begin
         T = ets:new(t, [Type]),
         io:format("~p no binaries: ~p~n", [Type, ets:info(T, binary)]),
         ets:insert(T, [{1, B}, {2, <<"heap">>}, {3, [B, B]}]),
         Bins = ets:info(T, binary),
         io:format("~p binaries: ~p~n", [Type, lists:sort([{Size, is_integer(A)} || {A, Size, _} <- Bins])]),
         ets:delete(T)
     end || Type <- [set, ordered_set]].
