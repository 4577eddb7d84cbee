-module(map_errors).
-export([main/0]).

%% Errors from map syntax and the maps BIFs, on flat and hash maps.

try_it(F) ->
    try F() of
        V -> {ok, V}
    catch
        C:R -> {C, R}
    end.

%% Hides a value from the compiler, so that it does not warn about the errors.
id(X) -> X.

main() ->
    Small = id(#{a => 1}),
    Large = maps:from_list([{K, K} || K <- lists:seq(1, 40)]),
    NotMap = id([not_a_map]),
    Cases =
        [fun() -> Small#{b := 2} end,
         fun() -> Large#{41 := 2} end,
         fun() -> Large#{1 := x, 99 := y} end,
         fun() -> NotMap#{a => 1} end,
         fun() -> NotMap#{a := 1} end,
         fun() -> #{b := _} = Small end,
         fun() -> #{99 := _} = Large end,
         fun() -> map_size(NotMap) end,
         fun() -> map_get(b, Small) end,
         fun() -> map_get(99, Large) end,
         fun() -> map_get(a, NotMap) end,
         fun() -> is_map_key(a, NotMap) end,
         fun() -> maps:get(b, Small) end,
         fun() -> maps:get(99, Large) end,
         fun() -> maps:get(a, NotMap) end,
         fun() -> maps:get(a, NotMap, default) end,
         fun() -> maps:find(a, NotMap) end,
         fun() -> maps:is_key(a, NotMap) end,
         fun() -> maps:put(a, 1, NotMap) end,
         fun() -> maps:update(b, 1, Small) end,
         fun() -> maps:update(99, 1, Large) end,
         fun() -> maps:update(a, 1, NotMap) end,
         fun() -> maps:remove(a, NotMap) end,
         fun() -> maps:take(a, NotMap) end,
         fun() -> maps:take(b, Small) end,
         fun() -> maps:take(99, Large) end,
         fun() -> maps:keys(NotMap) end,
         fun() -> maps:values(NotMap) end,
         fun() -> maps:to_list(NotMap) end,
         fun() -> maps:size(NotMap) end,
         fun() -> maps:merge(NotMap, Small) end,
         fun() -> maps:merge(Large, NotMap) end,
         fun() -> maps:from_list(NotMap) end,
         fun() -> maps:from_list([{a, 1} | b]) end,
         fun() -> maps:from_list([{a, 1, c}]) end,
         fun() -> maps:from_list(not_a_list) end,
         fun() -> maps:from_keys([a | b], 1) end,
         fun() -> maps:from_keys(b, 1) end,
         fun() -> maps:iterator(NotMap) end,
         fun() -> maps:next(NotMap) end,
         fun() -> maps:next([0 | NotMap]) end,
         fun() -> maps:fold(fun(_, _, A) -> A end, 0, NotMap) end,
         fun() -> maps:map(fun(_, V) -> V end, NotMap) end,
         fun() -> maps:filter(fun(_, _) -> true end, NotMap) end,
         fun() -> maps:with([a], NotMap) end,
         fun() -> maps:without([a], NotMap) end,
         fun() -> maps:update_with(b, fun(V) -> V end, Small) end,
         fun() -> maps:update_with(99, fun(V) -> V end, Large) end,
         fun() -> maps:fold(fun(K, _, _) -> throw({stop_at, K}) end, 0, Small) end,
         fun() -> maps:map(fun(K, _) when K > 20 -> erlang:error({too_big, K}); (_, V) -> V end,
                           maps:from_list([{K, K} || K <- lists:seq(1, 21)])) end],
    [io:format("~p~n", [try_it(F)]) || F <- Cases],
    ok.
