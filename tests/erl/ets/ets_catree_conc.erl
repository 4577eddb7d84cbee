%% ordered_set with write_concurrency (a contention-adapting tree in
%% erbium): writers of disjoint key ranges run at once while a walker
%% checks that first/next and select stay in term order; then every
%% whole-table call (iteration both ways, select with continuations,
%% select_delete, select_replace, slot, match, delete_all_objects) must see
%% exactly the objects the writers left, across all the tree's parts.
-module(ets_catree_conc).
-export([main/0]).

-define(PROCS, 4).
-define(N, 6000).

main() ->
    T = ets:new(t, [public, ordered_set, {write_concurrency, true}]),
    Self = self(),
    Walker = spawn_link(fun() -> Self ! {walked, walk_loop(T, 0)} end),
    Pids = [spawn_link(fun() -> Self ! {done, self(), writer(T, P)} end) || P <- lists:seq(1, ?PROCS)],
    Found = [receive {done, P, F} -> F end || P <- Pids],
    Walker ! stop,
    WalkOk = receive {walked, W} -> W end,
    io:format("found per writer: ~p~n", [Found]),
    io:format("walker saw only ordered keys: ~p~n", [WalkOk]),
    check_all(T),
    ets:delete(T),
    mixed_keys().

key(I) -> (I * 7919) rem 100003.

%% Inserts its range in scattered order, looks every key up, deletes the
%% odd-indexed ones and bumps the rest.
writer(T, P) ->
    [true = ets:insert(T, {{P, key(I)}, I}) || I <- lists:seq(1, ?N)],
    Found = length([x || I <- lists:seq(1, ?N), ets:member(T, {P, key(I)})]),
    [true = ets:delete(T, {P, key(I)}) || I <- lists:seq(1, ?N, 2)],
    [ets:update_element(T, {P, key(I)}, {2, -I}) || I <- lists:seq(2, ?N, 2)],
    Found.

walk_loop(T, Rounds) ->
    receive stop -> Rounds > 0
    after 0 ->
        Ok = ordered(walk(T, ets:first(T), [])) andalso
             ordered([K || {K, _} <- ets:select(T, [{{{2, '_'}, '_'}, [], ['$_']}])]) andalso
             ordered(lists:reverse([K || {K, _} <- last_chunk(T)])),
        case Ok of
            true -> walk_loop(T, Rounds + 1);
            false -> false
        end
    end.

last_chunk(T) ->
    case ets:select_reverse(T, [{'_', [], ['$_']}], 50) of
        '$end_of_table' -> [];
        {Objs, _} -> Objs
    end.

walk(_T, '$end_of_table', Acc) -> lists:reverse(Acc);
walk(T, K, Acc) ->
    %% a key may be deleted between first/next calls: go on after it anyway
    Next = try ets:next(T, K) catch error:badarg -> '$end_of_table' end,
    walk(T, Next, [K | Acc]).

ordered([A, B | Rest]) when A < B -> ordered([B | Rest]);
ordered([_, _ | _]) -> false;
ordered(_) -> true.

check_all(T) ->
    All = ets:tab2list(T),
    Expect = lists:sort([{{P, key(I)}, -I} || P <- lists:seq(1, ?PROCS), I <- lists:seq(2, ?N, 2)]),
    io:format("size ~p, tab2list as expected: ~p~n", [ets:info(T, size), All =:= Expect]),
    io:format("first ~p last ~p~n", [ets:first(T), ets:last(T)]),
    Keys = walk(T, ets:first(T), []),
    io:format("first/next walk: ~p~n", [Keys =:= [K || {K, _} <- Expect]]),
    Back = walk_back(T, ets:last(T), []),
    io:format("last/prev walk: ~p~n", [Back =:= [K || {K, _} <- Expect]]),
    io:format("next/prev at each writer's edge: ~p~n",
              [[{ets:next(T, {P, 100003}), ets:prev(T, {P, -1})} || P <- lists:seq(1, ?PROCS)]]),
    io:format("select chunks: ~p~n", [chunks(ets:select(T, [{'_', [], ['$_']}], 777), []) =:= Expect]),
    io:format("select_reverse chunks: ~p~n",
              [chunks(ets:select_reverse(T, [{'_', [], ['$_']}], 555), []) =:= lists:reverse(Expect)]),
    io:format("range select {3, _}: ~p~n",
              [length(ets:select(T, [{{{3, '_'}, '_'}, [], ['$_']}]))]),
    io:format("select_count V < -5000: ~p~n", [ets:select_count(T, [{{'_', '$1'}, [{'<', '$1', -5000}], [true]}])]),
    io:format("slot 0 and 11999: ~p ~p~n", [ets:slot(T, 0), ets:slot(T, 11999)]),
    io:format("match {4, _}: ~p~n", [length(ets:match(T, {{4, '$1'}, '_'}))]),
    io:format("select_replace: ~p~n",
              [ets:select_replace(T, [{{'$1', '$2'}, [{'<', '$2', -5990}], [{{'$1', {'-', '$2'}}}]}])]),
    io:format("select_delete P = 2: ~p~n", [ets:select_delete(T, [{{{2, '_'}, '_'}, [], [true]}])]),
    io:format("size ~p memory consistent ~p~n", [ets:info(T, size), ets:info(T, memory) > 0]),
    true = ets:delete_all_objects(T),
    io:format("after delete_all_objects: ~p ~p ~p~n", [ets:info(T, size), ets:first(T), ets:tab2list(T)]),
    true = ets:insert(T, [{{9, I}, I} || I <- lists:seq(1, 100)]),
    io:format("reused: ~p ~p ~p~n", [ets:info(T, size), ets:first(T), ets:last(T)]).

walk_back(_T, '$end_of_table', Acc) -> Acc;
walk_back(T, K, Acc) -> walk_back(T, ets:prev(T, K), [K | Acc]).

chunks('$end_of_table', Acc) -> lists:append(lists:reverse(Acc));
chunks({Objs, Cont}, Acc) -> chunks(ets:select(Cont), [Objs | Acc]).

%% Keys of every type from concurrent writers still come out in term order.
mixed_keys() ->
    T = ets:new(m, [public, ordered_set, {write_concurrency, auto}]),
    Self = self(),
    Gens = [fun(I) -> I end, fun(I) -> I * 1.5 end, fun(I) -> list_to_atom("a" ++ integer_to_list(I)) end,
            fun(I) -> {I, x} end, fun(I) -> integer_to_list(I) end, fun(I) -> <<I:32>> end],
    Pids = [spawn_link(fun() ->
                               [ets:insert(T, {G(I), I}) || I <- lists:seq(1, 2000)],
                               Self ! {done, self()}
                       end) || G <- Gens],
    [receive {done, P} -> ok end || P <- Pids],
    Keys = walk(T, ets:first(T), []),
    io:format("mixed: ~p keys, ordered ~p, equals sort ~p~n",
              [length(Keys), ordered(Keys), Keys =:= lists:sort([K || {K, _} <- ets:tab2list(T)])]),
    io:format("mixed first ~p last ~p~n", [ets:first(T), ets:last(T)]).
