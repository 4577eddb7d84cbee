-module(map_small).
-export([main/0]).

%% Flat maps (up to 32 keys): construction, update, matching, guards,
%% printing, comparison and the maps module on small maps.

main() ->
    M0 = #{},
    M1 = M0#{a => 1, b => 2},
    M2 = M1#{a := 10, c => [x, y]},
    io:format("~p ~p ~p~n", [M0, M1, M2]),
    io:format("~w~n", [#{1 => one, 1.0 => float_one, "s" => str, {t} => tup, <<"b">> => bin, [] => nil, z => atom}]),
    io:format("~p~n", [#{{nested, #{k => v}} => #{inner => #{deep => [1, 2, 3]}}}]),
    sizes(),
    matching(M2),
    guards(M2),
    compare(),
    module_functions(),
    iteration(),
    keys_of_every_type(),
    ok.

sizes() ->
    L = [maps:from_list([{K, K * K} || K <- lists:seq(1, N)]) || N <- [0, 1, 2, 5, 31, 32]],
    io:format("~w~n", [[map_size(M) || M <- L]]),
    io:format("~w~n", [lists:last(L)]),
    io:format("~p~n", [lists:last(L)]).

matching(M) ->
    #{a := A, c := C} = M,
    io:format("~p ~p~n", [A, C]),
    R = case M of
            #{b := 3} -> three;
            #{b := B, a := 10} when B > 1 -> {b, B};
            _ -> other
        end,
    io:format("~p~n", [R]),
    F = fun(#{x := X}) -> {x, X}; (#{}) -> no_x; (_) -> not_a_map end,
    io:format("~p~n", [[F(#{x => 1}), F(M), F(42)]]),
    Key = c,
    #{Key := V} = M,
    io:format("~p~n", [V]).

guards(M) ->
    G = fun(X) when is_map_key(a, X), map_get(a, X) > 5 -> big_a;
           (X) when is_map(X), map_size(X) > 2 -> large;
           (X) when is_map(X) -> map;
           (_) -> other
        end,
    io:format("~p~n", [[G(M), G(#{a => 1, b => 2, c => 3}), G(#{}), G(x)]]).

compare() ->
    Ms = [#{}, #{a => 1}, #{a => 1.0}, #{b => 0}, #{a => 2}, #{1 => a}, #{1.0 => a},
          #{a => 1, b => 1}, #{a => 0, c => 0}, #{z => 1}],
    io:format("~w~n", [lists:sort(Ms)]),
    io:format("~w~n", [[{X == Y, X =:= Y, X < Y} || X <- Ms, Y <- Ms, X =/= Y, X == Y orelse X < Y]]),
    io:format("~w~n", [lists:sort([#{a => 1}, {a}, [a], 1, a, <<"a">>, "a"])]).

module_functions() ->
    M = #{a => 1, b => 2, c => 3, d => 4},
    io:format("~p~n", [[maps:get(a, M), maps:get(x, M, default), maps:find(b, M), maps:find(x, M),
                        maps:is_key(c, M), maps:is_key(x, M), maps:size(M)]]),
    io:format("~p~n", [[maps:put(e, 5, M), maps:update(a, 100, M), maps:remove(b, M), maps:remove(x, M),
                        maps:take(c, M), maps:take(x, M)]]),
    io:format("~p~n", [[maps:keys(M), maps:values(M), maps:to_list(M)]]),
    io:format("~p~n", [[maps:merge(M, #{a => merged, z => 26}), maps:merge(#{}, M), maps:merge(M, #{})]]),
    io:format("~p~n", [[maps:from_keys([x, y, x], 0), maps:from_list([{k, 1}, {k, 2}, {j, 3}]), maps:new()]]),
    io:format("~p~n", [[maps:with([a, c, z], M), maps:without([a, c, z], M)]]),
    io:format("~p~n", [[maps:map(fun(K, V) -> {K, V * 2} end, M),
                        maps:filter(fun(_, V) -> V rem 2 =:= 0 end, M),
                        maps:filtermap(fun(a, _) -> false; (b, V) -> {true, -V}; (_, _) -> true end, M)]]),
    io:format("~p~n", [[maps:fold(fun(K, V, Acc) -> [{K, V} | Acc] end, [], M),
                        maps:update_with(a, fun(V) -> V + 1 end, M),
                        maps:update_with(q, fun(V) -> V + 1 end, 0, M)]]),
    io:format("~p~n", [[maps:merge_with(fun(_, A, B) -> A + B end, M, #{a => 10, y => 20}),
                        maps:intersect(M, #{a => x, z => y}),
                        maps:intersect_with(fun(_, A, B) -> {A, B} end, M, #{b => x}),
                        maps:groups_from_list(fun(X) -> X rem 3 end, lists:seq(1, 10))]]),
    maps:foreach(fun(K, V) -> io:format("~p=~p ", [K, V]) end, M),
    io:format("~n").

iteration() ->
    M = maps:from_list([{K, integer_to_list(K)} || K <- lists:seq(1, 10)]),
    I = maps:iterator(M),
    io:format("~p~n", [I]),
    {K1, V1, I2} = maps:next(I),
    io:format("~p ~p ~p~n", [K1, V1, I2]),
    io:format("~p~n", [walk(maps:iterator(#{}), [])]),
    io:format("~p~n", [walk(I, [])]),
    io:format("~p~n", [[{K, V} || {K, V} <- maps:to_list(M), K rem 2 =:= 0]]),
    io:format("~p~n", [maps:from_list([{V, K} || {K, V} <- maps:to_list(M)])]).

walk(I, Acc) ->
    case maps:next(I) of
        none -> lists:reverse(Acc);
        {K, V, Next} -> walk(Next, [{K, V} | Acc])
    end.

keys_of_every_type() ->
    Keys = [1, -1, 1.0, -0.5, 1 bsl 70, -(1 bsl 70), a, 'B', "", "abc", [1 | 2], {}, {1, 2},
            <<>>, <<"xyz">>, #{}, #{a => 1}, self(), make_ref(), fun erlang:abs/1],
    M = maps:from_list([{K, I} || {K, I} <- lists:zip(Keys, lists:seq(1, length(Keys)))]),
    io:format("~w~n", [map_size(M)]),
    io:format("~w~n", [[maps:get(K, M) || K <- Keys]]),
    io:format("~w~n", [[I || {_, I} <- lists:sublist(maps:to_list(M), 17)]]).
