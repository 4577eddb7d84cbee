%% ETS tables of every type: keyed access, iteration, counters, elements,
%% and OTP 25's exceptions (reason and the BIF frame's error_info).
-module(ets_basic).
-export([main/0]).

types() -> [set, ordered_set, bag, duplicate_bag].

main() ->
    [kind(T) || T <- types()],
    errors(),
    counters(),
    elements(),
    ordered(),
    keypos(),
    binaries(),
    ok.

show(Label, V) -> io:format("~p: ~p~n", [Label, V]).

%% Results of hash tables come in an order of their own: sort lists.
s(L) when is_list(L) -> lists:sort(L);
s(X) -> X.

err(F) ->
    try F() of
        V -> {ok, s(V)}
    catch
        C:R:S ->
            [{M, Fn, A, Loc} | _] = S,
            {C, R, {M, Fn, arity(A)}, [I || {error_info, I} <- Loc]}
    end.

arity(A) when is_list(A) -> length(A);
arity(A) -> A.

kind(Type) ->
    show(type, Type),
    T = ets:new(tab, [Type]),
    show(insert, ets:insert(T, {a, 1})),
    show(insert_list, ets:insert(T, [{b, 2}, {c, 3}, {a, 1}, {a, 4}])),
    show(lookup_a, s(ets:lookup(T, a))),
    show(lookup_none, ets:lookup(T, zz)),
    show(member, {ets:member(T, a), ets:member(T, zz)}),
    show(size, ets:info(T, size)),
    show(insert_new, ets:insert_new(T, {a, 9})),
    show(insert_new2, ets:insert_new(T, {d, 9})),
    show(insert_new_list, ets:insert_new(T, [{e, 1}, {a, 2}])),
    show(insert_new_list2, ets:insert_new(T, [{e, 1}, {f, 2}])),
    show(all, s(all(T))),
    show(lookup_element, err(fun() -> ets:lookup_element(T, a, 2) end)),
    show(lookup_element_missing, err(fun() -> ets:lookup_element(T, zz, 2) end)),
    show(lookup_element_pos, err(fun() -> ets:lookup_element(T, a, 3) end)),
    show(lookup_element_pos0, err(fun() -> ets:lookup_element(T, a, 0) end)),
    show(take, s(ets:take(T, a))),
    show(take_again, ets:take(T, a)),
    ets:insert(T, [{g, 1}, {g, 2}, {g, 2}]),
    show(g, s(ets:lookup(T, g))),
    show(delete_object, ets:delete_object(T, {g, 2})),
    show(g_after, s(ets:lookup(T, g))),
    show(delete_key, ets:delete(T, g)),
    show(g_gone, ets:lookup(T, g)),
    show(keys, s(walk(T, ets:first(T)))),
    show(foldl, s(ets:foldl(fun({K, _}, Acc) -> [K | Acc] end, [], T))),
    show(foldr_count, ets:foldr(fun(_, N) -> N + 1 end, 0, T)),
    show(delete_all, ets:delete_all_objects(T)),
    show(empty, {ets:info(T, size), ets:first(T), all(T)}),
    show(reuse, ets:insert(T, {x, 1})),
    show(delete, ets:delete(T)),
    show(after_delete, err(fun() -> ets:lookup(T, x) end)),
    show(info_after_delete, {ets:info(T), ets:info(T, size)}),
    ok.

%% Every object, through first/next and lookup (select and match are tested apart).
all(T) -> lists:append([ets:lookup(T, K) || K <- walk(T, ets:first(T))]).

walk(_T, '$end_of_table') -> [];
walk(T, K) -> [K | walk(T, ets:next(T, K))].

errors() ->
    show(new_bad_name, err(fun() -> ets:new("x", []) end)),
    show(new_bad_opt, err(fun() -> ets:new(x, [bad]) end)),
    show(new_improper, err(fun() -> ets:new(x, [set | bag]) end)),
    show(new_keypos0, err(fun() -> ets:new(x, [{keypos, 0}]) end)),
    show(new_wc, err(fun() -> ets:new(x, [{write_concurrency, maybe}]) end)),
    show(new_rc, err(fun() -> ets:new(x, [{read_concurrency, auto}]) end)),
    show(new_last_type_wins, ets:info(ets:new(x, [set, bag]), type)),
    N = ets:new(named, [named_table, public]),
    show(named, N),
    show(named_again, err(fun() -> ets:new(named, [named_table]) end)),
    show(unnamed_same_name, is_reference(ets:new(named, []))),
    show(lookup_missing, err(fun() -> ets:lookup(nosuch, 1) end)),
    show(lookup_bad_id, err(fun() -> ets:lookup(make_ref(), 1) end)),
    show(lookup_badtype, err(fun() -> ets:lookup({x}, 1) end)),
    show(insert_not_tuple, err(fun() -> ets:insert(named, foo) end)),
    show(insert_empty_tuple, err(fun() -> ets:insert(named, {}) end)),
    show(insert_bad_list, err(fun() -> ets:insert(named, [{a}, b]) end)),
    show(insert_improper, err(fun() -> ets:insert(named, [{a} | {b}]) end)),
    show(nothing_inserted, all(named)),
    show(insert_empty_list, ets:insert(named, [])),
    show(delete_object_bad, err(fun() -> ets:delete_object(named, foo) end)),
    show(next_missing, err(fun() -> ets:next(named, nokey) end)),
    show(first_empty, ets:first(named)),
    show(slot_neg, err(fun() -> ets:slot(named, -1) end)),
    show(slot_big, err(fun() -> ets:slot(named, 1000000) end)),
    show(slot_atom, err(fun() -> ets:slot(named, a) end)),
    show(info_bad, err(fun() -> ets:info(named, nonsense) end)),
    show(info_badarg, err(fun() -> ets:info(1) end)),
    show(info_missing, ets:info(nosuch)),
    show(whereis, is_reference(ets:whereis(named))),
    show(whereis_none, ets:whereis(nosuch)),
    show(whereis_bad, err(fun() -> ets:whereis(1) end)),
    show(rename_bad, err(fun() -> ets:rename(named, 1) end)),
    ets:new(other, [named_table]),
    show(rename_taken, err(fun() -> ets:rename(named, other) end)),
    show(rename, ets:rename(named, renamed)),
    show(old_name, err(fun() -> ets:lookup(named, 1) end)),
    show(new_name, ets:insert(renamed, {1})),
    show(name_info, ets:info(renamed, name)),
    show(delete_missing, err(fun() -> ets:delete(nosuch) end)),
    show(delete_key_missing_table, err(fun() -> ets:delete(nosuch, 1) end)),
    show(setopts_bad, err(fun() -> ets:setopts(renamed, [{foo, 1}]) end)),
    show(setopts_heir, ets:setopts(renamed, {heir, self(), data})),
    show(heir_info, ets:info(renamed, heir) =:= self()),
    show(setopts_none, ets:setopts(renamed, [{heir, none}])),
    show(heir_none, ets:info(renamed, heir)),
    show(give_away_self, err(fun() -> ets:give_away(renamed, self(), x) end)),
    show(give_away_bad, err(fun() -> ets:give_away(renamed, notapid, x) end)),
    show(safe_fix_bad, err(fun() -> ets:safe_fixtable(renamed, maybe) end)),
    show(fixed, {ets:safe_fixtable(renamed, true), ets:info(renamed, fixed)}),
    {_, Fixers} = ets:info(renamed, safe_fixed),
    show(fixers, Fixers =:= [{self(), 1}]),
    show(unfixed, {ets:safe_fixtable(renamed, false), ets:info(renamed, fixed), ets:info(renamed, safe_fixed)}),
    access(),
    ok.

access() ->
    Prot = ets:new(prot, [named_table, protected]),
    Priv = ets:new(priv, [named_table, private]),
    ets:insert(prot, {k, v}),
    ets:insert(priv, {k, v}),
    Self = self(),
    spawn(fun() ->
                  R = [err(fun() -> ets:lookup(prot, k) end),
                       err(fun() -> ets:insert(prot, {x}) end),
                       err(fun() -> ets:delete(prot) end),
                       err(fun() -> ets:lookup(priv, k) end),
                       err(fun() -> ets:insert(priv, {x}) end),
                       err(fun() -> ets:info(priv, size) end),
                       err(fun() -> ets:setopts(prot, {heir, none}) end),
                       err(fun() -> ets:give_away(prot, self(), x) end)],
                  Self ! {res, R}
          end),
    receive {res, R} -> [show(access, X) || X <- R] end,
    show(own_private, ets:lookup(Priv, k)),
    show(own_protected, ets:lookup(Prot, k)),
    ok.

counters() ->
    T = ets:new(c, [set]),
    ets:insert(T, {k, 0, 10, x}),
    show(incr, ets:update_counter(T, k, 1)),
    show(incr_pos, ets:update_counter(T, k, {3, 5})),
    show(incr_list, ets:update_counter(T, k, [{2, 1}, {3, -1}, {2, 10}])),
    show(threshold_up, ets:update_counter(T, k, {2, 100, 50, 7})),
    show(threshold_down, ets:update_counter(T, k, {3, -100, 0, -1})),
    show(obj, ets:lookup(T, k)),
    show(big, ets:update_counter(T, k, {2, 1 bsl 70})),
    show(big_back, ets:update_counter(T, k, {2, -(1 bsl 70)})),
    show(obj2, ets:lookup(T, k)),
    show(default, ets:update_counter(T, new, {2, 5}, {whatever, 100})),
    show(default_obj, ets:lookup(T, new)),
    show(no_key, err(fun() -> ets:update_counter(T, missing, 1) end)),
    show(keypos, err(fun() -> ets:update_counter(T, k, {1, 1}) end)),
    show(position, err(fun() -> ets:update_counter(T, k, {9, 1}) end)),
    show(not_integer, err(fun() -> ets:update_counter(T, k, {4, 1}) end)),
    show(bad_incr, err(fun() -> ets:update_counter(T, k, {2, a}) end)),
    show(bad_op, err(fun() -> ets:update_counter(T, k, {2}) end)),
    show(bad_list, err(fun() -> ets:update_counter(T, k, [{2, 1}, {4, 1}]) end)),
    show(unchanged, ets:lookup(T, k)),
    show(many_ops, ets:update_counter(T, k, [{2, 1} || _ <- lists:seq(1, 40)])),
    show(no_ops, ets:update_counter(T, k, [])),
    show(no_elements, ets:update_element(T, k, [])),
    B = ets:new(b, [bag]),
    ets:insert(B, {k, 1}),
    show(bag_counter, err(fun() -> ets:update_counter(B, k, 1) end)),
    O = ets:new(o, [ordered_set]),
    ets:insert(O, {1, 0}),
    show(ordered_float_key, ets:update_counter(O, 1.0, 5)),
    show(ordered_obj, ets:lookup(O, 1)),
    ok.

elements() ->
    T = ets:new(e, [set]),
    ets:insert(T, {k, a, b, c}),
    show(update_element, ets:update_element(T, k, {2, x})),
    show(update_elements, ets:update_element(T, k, [{3, y}, {4, {nested, [1, 2]}}])),
    show(obj, ets:lookup(T, k)),
    show(missing, ets:update_element(T, zz, {2, x})),
    show(keypos, err(fun() -> ets:update_element(T, k, {1, x}) end)),
    show(position, err(fun() -> ets:update_element(T, k, {5, x}) end)),
    show(bad, err(fun() -> ets:update_element(T, k, x) end)),
    B = ets:new(b, [duplicate_bag]),
    show(bag, err(fun() -> ets:update_element(B, k, {2, x}) end)),
    ok.

ordered() ->
    T = ets:new(o, [ordered_set]),
    ets:insert(T, [{K} || K <- [5, 3.0, b, "str", {t}, 1, a, 2.5, <<"bin">>, [], 10]]),
    show(order, all(T)),
    show(first_last, {ets:first(T), ets:last(T)}),
    show(next_prev, {ets:next(T, 3), ets:prev(T, 3), ets:next(T, 4), ets:prev(T, 4)}),
    show(ends, {ets:next(T, <<"bin">>), ets:prev(T, 1), ets:next(T, zzz), ets:prev(T, -1)}),
    show(float_int, {ets:lookup(T, 3), ets:member(T, 5.0), ets:insert(T, {3}), ets:lookup(T, 3.0)}),
    show(walk_back, back(T, ets:last(T))),
    show(slot, [ets:slot(T, I) || I <- [0, 1, 10, 11]]),
    show(take, ets:take(T, 5.0)),
    show(delete_object_exact, {ets:delete_object(T, {1.0}), ets:lookup(T, 1)}),
    ok.

back(_T, '$end_of_table') -> [];
back(T, K) -> [K | back(T, ets:prev(T, K))].

keypos() ->
    T = ets:new(k, [{keypos, 2}]),
    show(kp_insert, ets:insert(T, [{a, 1}, {b, 2}, {c, 1}])),
    show(kp_lookup, ets:lookup(T, 1)),
    show(kp_short, err(fun() -> ets:insert(T, {x}) end)),
    ets:insert(T, {7, 3, 0}),
    show(kp_counter, ets:update_counter(T, 3, {1, 10})),
    show(kp_default_pos, err(fun() -> ets:update_counter(T, 2, 10) end)),
    show(kp_info, ets:info(T, keypos)),
    ok.

binaries() ->
    T = ets:new(bin, [duplicate_bag]),
    Big = list_to_binary(lists:duplicate(1000, $x)),
    Sub = binary:part(Big, 10, 100),
    ets:insert(T, [{1, Big}, {1, Sub}, {2, <<"small">>}]),
    [{1, B1}, {1, B2}] = ets:lookup(T, 1),
    show(bins, {byte_size(B1), byte_size(B2), B1 =:= Big, B2 =:= Sub}),
    ets:delete(T, 1),
    show(still, byte_size(Big)),
    ok.
