-module(ets_select_long).
-export([main/0]).

%% Whole-table passes over tables big enough that erbium runs them in
%% slices, yielding between them (select, select_reverse, match,
%% match_object, select_count, select_delete, select_replace, match_delete,
%% tab2list): results must be exactly OTP's. Hash tables' results are
%% sorted (their order is the table's own); ordered_set ones are not.

-define(N, 30000).

main() ->
    [run(Type) || Type <- [ordered_set, set, bag, duplicate_bag]],
    partly_bound(),
    io:format("done~n").

fill(Type) ->
    T = ets:new(t, [Type, public]),
    [ets:insert(T, {K rem 20000, K, K rem 7}) || K <- lists:seq(1, ?N)],
    T.

show(Type, Label, L) when is_list(L) ->
    Shown = case Type of ordered_set -> L; _ -> lists:sort(L) end,
    io:format("~p ~p: ~p ~p ~p~n", [Type, Label, length(L), erlang:phash2(Shown), lists:sublist(Shown, 3)]);
show(Type, Label, V) ->
    io:format("~p ~p: ~p~n", [Type, Label, V]).

run(Type) ->
    T = fill(Type),
    show(Type, size, ets:info(T, size)),
    show(Type, select, ets:select(T, [{{'$1', '$2', 3}, [{'>', '$2', 100}], [{{'$2', '$1'}}]}])),
    show(Type, select_reverse, ets:select_reverse(T, [{{'$1', '_', '$3'}, [{'<', '$1', 5000}], ['$3']}])),
    show(Type, match, ets:match(T, {'$1', '_', 2})),
    show(Type, match_object, ets:match_object(T, {'_', '_', 5})),
    show(Type, tab2list, ets:tab2list(T)),
    show(Type, count, ets:select_count(T, [{{'_', '$1', '_'}, [{'==', {'rem', '$1', 3}, 0}], [true]}])),
    show(Type, all_count, ets:select_count(T, [{'_', [], [true]}])),
    Replace = case Type of
                  bag -> catch ets:select_replace(T, [{{'$1', '$2', 1}, [], [{{'$1', '$2', 100}}]}]);
                  _ -> ets:select_replace(T, [{{'$1', '$2', 1}, [], [{{'$1', '$2', 100}}]}])
              end,
    show(Type, replace, strip(Replace)),
    show(Type, bad_replace, strip(catch ets:select_replace(T, [{{'$1', '$2', 4}, [], [{{{{'$1'}}, '$2', 4}}]}]))),
    show(Type, after_replace, ets:select_count(T, [{{'_', '_', 100}, [], [true]}])),
    show(Type, delete, ets:select_delete(T, [{{'$1', '_', '_'}, [{'<', '$1', 10000}], [true]}])),
    show(Type, match_delete, ets:match_delete(T, {'_', '_', 6})),
    show(Type, left, ets:tab2list(T)),
    show(Type, fixed, ets:info(T, safe_fixed)),
    show(Type, delete_all, ets:select_delete(T, [{'_', [], [true]}])),
    show(Type, empty, ets:tab2list(T)),
    ets:delete(T).

strip({'EXIT', {Reason, _}}) -> {'EXIT', Reason};
strip(V) -> V.

partly_bound() ->
    T = ets:new(t, [ordered_set]),
    [ets:insert(T, {{K rem 3, K}, K}) || K <- lists:seq(1, ?N)],
    show(ordered_set, group, ets:select(T, [{{{1, '$1'}, '_'}, [], ['$1']}])),
    show(ordered_set, group_rev, ets:select_reverse(T, [{{{2, '$1'}, '_'}, [{'>', '$1', 29000}], ['$1']}])),
    show(ordered_set, group_delete, ets:select_delete(T, [{{{0, '_'}, '_'}, [], [true]}])),
    show(ordered_set, rest, ets:select_count(T, [{'_', [], [true]}])),
    ets:delete(T).
