-module(ets_select_key_conc).
%% select_delete, select_replace and match_delete whose spec binds the key
%% to one constant, on every hash table type, small and big (past the size
%% where a whole-table pass goes in slices), while the table is fixed (the
%% deleted key's place is kept for first/next), with several clauses binding
%% the same key, and beside writers of other keys that make the table grow
%% and shrink.
-export([main/0]).

main() ->
    [kinds(Type, N) || Type <- [set, bag, duplicate_bag], N <- [10, 6000]],
    fixed(),
    clauses(),
    concurrent(),
    ok.

show(Tag, V) -> io:format("~p: ~p~n", [Tag, V]).

err(F) ->
    try F() catch C:R -> {C, R} end.

fill(Type, N) ->
    T = ets:new(t, [Type, public]),
    [ets:insert(T, {K, V, x}) || K <- lists:seq(1, N), V <- values(Type)],
    T.

values(set) -> [0];
values(_) -> [0, 1, 1].

kinds(Type, N) ->
    T = fill(Type, N),
    show({Type, N, size}, ets:info(T, size)),
    show({Type, N, del_key}, ets:select_delete(T, [{{5, '_', '_'}, [], [true]}])),
    show({Type, N, del_missing}, ets:select_delete(T, [{{N + 1, '_', '_'}, [], [true]}])),
    show({Type, N, del_guard}, ets:select_delete(T, [{{7, '$1', '_'}, [{'>', '$1', 0}], [true]}])),
    show({Type, N, left_7}, lists:sort(ets:lookup(T, 7))),
    show({Type, N, del_false}, ets:select_delete(T, [{{8, '_', '_'}, [], [false]}])),
    show({Type, N, match_delete}, ets:match_delete(T, {9, '_', '_'})),
    show({Type, N, replace},
         err(fun() -> ets:select_replace(T, [{{3, '$1', '_'}, [], [{{3, '$1', y}}]}]) end)),
    show({Type, N, after_replace}, lists:sort(ets:lookup(T, 3))),
    show({Type, N, replace_new_key},
         err(fun() -> ets:select_replace(T, [{{4, '$1', '_'}, [], [{{40, '$1', y}}]}]) end)),
    show({Type, N, after_bad}, lists:sort(ets:lookup(T, 4))),
    show({Type, N, size_after}, ets:info(T, size)),
    show({Type, N, keys_gone}, [K || K <- [5, 9], ets:member(T, K)]),
    ets:delete(T).

%% Deleting while the table is fixed: a traversal started before goes on.
fixed() ->
    T = fill(set, 50),
    ets:safe_fixtable(T, true),
    First = ets:first(T),
    show(fixed_del, ets:select_delete(T, [{{First, '_', '_'}, [], [true]}])),
    show(fixed_walk, length(walk(T, ets:next(T, First), []))),
    show(fixed_reinsert, ets:insert(T, {First, back, x})),
    show(fixed_lookup, ets:lookup(T, First)),
    show(fixed_del_again, ets:select_delete(T, [{{First, '_', '_'}, [], [true]}])),
    ets:safe_fixtable(T, false),
    show(unfixed_size, ets:info(T, size)),
    show(unfixed_walk, length(walk(T, ets:first(T), []))),
    ets:delete(T).

walk(_, '$end_of_table', Acc) -> Acc;
walk(T, K, Acc) -> walk(T, ets:next(T, K), [K | Acc]).

%% Clauses that all bind the key to the same constant, with different guards.
clauses() ->
    T = fill(duplicate_bag, 100),
    Spec = [{{12, 0, '_'}, [], [true]}, {{12, '$1', '_'}, [{'==', '$1', 1}], [true]}],
    show(two_clauses, ets:select_delete(T, Spec)),
    show(two_clauses_left, ets:lookup(T, 12)),
    Mixed = [{{13, '_', '_'}, [], [true]}, {{14, '_', '_'}, [], [true]}],
    show(two_keys, ets:select_delete(T, Mixed)),
    show(two_keys_left, [K || K <- [13, 14], ets:member(T, K)]),
    ets:delete(T).

%% Each worker deletes its own keys one at a time while another inserts and
%% deletes others: the table grows and shrinks under them.
concurrent() ->
    T = ets:new(c, [set, public, {write_concurrency, true}]),
    Workers = 4,
    PerWorker = 3000,
    [ets:insert(T, {{W, I}, I}) || W <- lists:seq(1, Workers), I <- lists:seq(1, PerWorker)],
    Self = self(),
    Churn = spawn_link(fun() -> churn(T, 0) end),
    Pids = [spawn_link(fun() -> Self ! {self(), delete_own(T, W, PerWorker, 0)} end)
            || W <- lists:seq(1, Workers)],
    Counts = [receive {P, C} -> C end || P <- Pids],
    unlink(Churn),
    exit(Churn, kill),
    show(concurrent_deleted, Counts),
    show(concurrent_left, ets:select_count(T, [{{{'_', '_'}, '_'}, [], [true]}])),
    ets:delete(T).

delete_own(_, _, 0, Acc) -> Acc;
delete_own(T, W, I, Acc) ->
    N = ets:select_delete(T, [{{{W, I}, '$1'}, [{'=:=', '$1', I}], [true]}]),
    delete_own(T, W, I - 1, Acc + N).

churn(T, I) ->
    ets:insert(T, {I, I}),
    case I rem 3 of
        0 -> ets:select_delete(T, [{{I, '_'}, [], [true]}]);
        _ -> ok
    end,
    churn(T, I + 1).
