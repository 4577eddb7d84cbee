%% match, match_object, select (all forms, continuations), select_count,
%% select_delete, select_replace, match_delete, tab2list and foldl over
%% every table type, with OTP 25's errors.
-module(ets_select).
-export([main/0]).
-include_lib("stdlib/include/ms_transform.hrl").

show(Label, V) -> io:format("~p: ~p~n", [Label, V]).

s(L) when is_list(L) -> lists:sort(L);
s(X) -> X.

err(F) ->
    try F() of
        V -> {ok, s(V)}
    catch
        C:R:S ->
            [{M, Fn, A, Loc} | _] = S,
            {C, R, {M, Fn, if is_list(A) -> length(A); true -> A end}, [I || {error_info, I} <- Loc]}
    end.

main() ->
    [kind(T) || T <- [set, ordered_set, bag, duplicate_bag]],
    errors(),
    ok.

fill(T) ->
    ets:insert(T, [{N, N rem 3, integer_to_list(N)} || N <- lists:seq(1, 20)]),
    ets:insert(T, {5, extra, "five"}).

kind(Type) ->
    show(type, Type),
    T = ets:new(t, [Type, public]),
    fill(T),
    show(tab2list, s(ets:tab2list(T))),
    show(match, s(ets:match(T, {'$1', 0, '_'}))),
    show(match_two, s(ets:match(T, {'$1', '$2', "1" ++ '_'}))),
    show(match_object, s(ets:match_object(T, {'_', 1, '_'}))),
    show(match_key, s(ets:match_object(T, {5, '_', '_'}))),
    show(select, s(ets:select(T, [{{'$1', '$2', '_'}, [{'>', '$1', 15}], [{{'$2', '$1'}}]}]))),
    show(select_fun2ms, s(ets:select(T, ets:fun2ms(fun({K, R, _}) when R =:= 2, K < 10 -> K * 10 end)))),
    show(select_object, s(ets:select(T, [{{5, '_', '_'}, [], ['$_']}]))),
    show(select_multi, s(ets:select(T, [{{'$1', 0, '_'}, [], [{{zero, '$1'}}]}, {{'$1', 1, '_'}, [{'<', '$1', 5}], [{{one, '$1'}}]}]))),
    show(select_reverse, ets:select_reverse(T, [{{'$1', '_', '_'}, [{'<', '$1', 6}], ['$1']}]) =:=
             case Type of ordered_set -> [5, 4, 3, 2, 1]; _ -> ets:select_reverse(T, [{{'$1', '_', '_'}, [{'<', '$1', 6}], ['$1']}]) end),
    show(select_count, ets:select_count(T, [{{'_', 0, '_'}, [], [true]}])),
    show(select_count_false, ets:select_count(T, [{{'_', 0, '_'}, [], [false]}])),
    show(chunks, chunks(T, 4)),
    show(chunks_reverse, rchunks(T, 7)),
    show(match_chunks, mchunks(T)),
    show(limit_empty, ets:select(T, [{{nokey, '_', '_'}, [], ['$_']}], 3)),
    show(end_cont, ets:select('$end_of_table')),
    show(foldl, lists:sort(ets:foldl(fun({K, _, _}, A) -> [K | A] end, [], T))),
    show(match_delete, ets:match_delete(T, {'_', 2, '_'})),
    show(after_match_delete, ets:info(T, size)),
    show(select_delete, ets:select_delete(T, [{{'$1', '_', '_'}, [{'>', '$1', 15}], [true]}])),
    show(after_select_delete, s(ets:select(T, [{{'$1', '_', '_'}, [], ['$1']}]))),
    case Type of
        bag -> show(replace_bag, err(fun() -> ets:select_replace(T, [{{'$1', '$2', '$3'}, [], [{{'$1', '$2', x}}]}]) end));
        _ ->
            show(select_replace, ets:select_replace(T, [{{'$1', 0, '$3'}, [], [{{'$1', zero, '$3'}}]}])),
            show(replace_key_change, err(fun() -> ets:select_replace(T, [{{'$1', '$2', '$3'}, [], [{{x, '$2', '$3'}}]}]) end)),
            show(replace_float_key, err(fun() -> ets:select_replace(T, [{{3, '$2', '$3'}, [], [{{3.0, '$2', '$3'}}]}]) end)),
            show(replaced, s(ets:match_object(T, {'_', zero, '_'})))
    end,
    show(select_delete_all, ets:select_delete(T, [{'_', [], [true]}])),
    show(empty, {ets:info(T, size), ets:tab2list(T), ets:select(T, [{'_', [], ['$_']}], 5)}),
    ets:delete(T).

chunks(T, N) -> collect(ets:select(T, [{{'$1', '_', '_'}, [], ['$1']}], N), fun ets:select/1).
rchunks(T, N) -> collect(ets:select_reverse(T, [{{'$1', '_', '_'}, [], ['$1']}], N), fun ets:select_reverse/1).
mchunks(T) -> collect(ets:match(T, {'$1', 0, '_'}, 2), fun ets:match/1).

%% All results, and whether no chunk was larger than asked (sizes vary for hash tables).
collect(First, Next) -> collect(First, Next, []).
collect('$end_of_table', _Next, Acc) -> {length(Acc), lists:sort(Acc)};
collect({R, Cont}, Next, Acc) -> collect(Next(Cont), Next, R ++ Acc).

errors() ->
    T = ets:new(t, []),
    ets:insert(T, {1, a}),
    show(bad_spec, err(fun() -> ets:select(T, [{'_', [], ['$1']}]) end)),
    show(bad_spec2, err(fun() -> ets:select(T, not_a_spec) end)),
    show(bad_guard, err(fun() -> ets:select(T, [{{'$1', '_'}, [{foo, '$1'}], ['$_']}]) end)),
    show(bad_limit, err(fun() -> ets:select(T, [{'_', [], ['$_']}], 0) end)),
    show(bad_cont, err(fun() -> ets:select(foo) end)),
    show(no_table, err(fun() -> ets:select(nosuch, [{'_', [], ['$_']}]) end)),
    show(no_table_match, err(fun() -> ets:match(nosuch, '_') end)),
    show(count_bad, err(fun() -> ets:select_count(T, bad) end)),
    show(delete_bad, err(fun() -> ets:select_delete(T, bad) end)),
    show(match_nontuple, ets:match(T, '$1')),
    show(match_object_nontuple, ets:match_object(T, '_')),
    show(guard_exception, ets:select(T, [{{'$1', '$2'}, [{'>', {element, 5, '$_'}, 1}], ['$1']}])),
    show(body_const, ets:select(T, [{{'$1', '_'}, [], [{const, {'$1'}}]}])),
    show(body_nested, ets:select(T, [{{'$1', '$2'}, [], [[{{'$2', '$1'}}, '$$']]}])),
    ets:delete(T),
    show(deleted_cont, err(fun() ->
                                   T2 = ets:new(t2, []),
                                   ets:insert(T2, [{N} || N <- lists:seq(1, 10)]),
                                   {_, C} = ets:select(T2, [{'_', [], ['$_']}], 2),
                                   ets:delete(T2),
                                   ets:select(C)
                           end)),
    ok.
