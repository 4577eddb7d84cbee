%% Table ownership: give_away and 'ETS-TRANSFER', heirs when the owner dies,
%% tables dying with their owner, names freed, fixations of dead processes,
%% ets:all/0 and ets:i/0.
-module(ets_owner).
-export([main/0]).

show(Label, V) -> io:format("~p: ~p~n", [Label, V]).

err(F) ->
    try F() of
        V -> {ok, V}
    catch
        C:R:S ->
            [{M, Fn, A, Loc} | _] = S,
            {C, R, {M, Fn, if is_list(A) -> length(A); true -> A end}, [I || {error_info, I} <- Loc]}
    end.

main() ->
    Self = self(),
    %% a table dies with its owner, and its name is free again
    P1 = spawn(fun() -> ets:new(dies, [named_table, public]), ets:insert(dies, {a, 1}), Self ! made, receive stop -> ok end end),
    receive made -> ok end,
    show(while_alive, ets:lookup(dies, a)),
    M1 = monitor(process, P1),
    P1 ! stop,
    receive {'DOWN', M1, _, _, _} -> ok end,
    show(after_owner_died, err(fun() -> ets:lookup(dies, a) end)),
    show(name_free, ets:new(dies, [named_table]) =:= dies),
    ets:delete(dies),

    %% give_away sends 'ETS-TRANSFER' and moves ownership
    T = ets:new(given, [protected]),
    ets:insert(T, {k, v}),
    Taker = spawn(fun() ->
                          receive
                              {'ETS-TRANSFER', Tab, From, Data} ->
                                  Self ! {got, Tab =:= T, From =:= Self, Data, ets:info(Tab, owner) =:= self()},
                                  ets:insert(Tab, {taken, yes}),
                                  Self ! inserted,
                                  receive stop -> ok end
                          end
                  end),
    show(give_away, ets:give_away(T, Taker, hello)),
    receive {got, _, _, _, _} = G -> show(transfer, G) end,
    receive inserted -> ok end,
    show(no_longer_owner, err(fun() -> ets:insert(T, {x}) end)),
    show(read_still, lists:sort(ets:tab2list(T))),
    show(give_back, err(fun() -> ets:give_away(T, self(), x) end)),
    MT = monitor(process, Taker),
    Taker ! stop,
    receive {'DOWN', MT, _, _, _} -> ok end,
    show(taker_died, ets:info(T)),

    %% an heir gets the table when the owner dies
    Heir = spawn(fun() -> heir(Self) end),
    Owner = spawn(fun() ->
                          Tab = ets:new(inherited, [named_table, {heir, Heir, heir_data}]),
                          ets:insert(Tab, {1, one}),
                          Self ! {owner_ready, ets:info(Tab, heir) =:= Heir},
                          receive stop -> exit(shutdown) end
                  end),
    receive {owner_ready, HeirSet} -> show(heir_set, HeirSet) end,
    Owner ! stop,
    receive {heir_got, Info} -> show(heir_got, Info) end,
    show(owner_now_heir, ets:info(inherited, owner) =:= Heir),
    show(heir_after, ets:info(inherited, heir) =:= Heir),
    %% the heir dies too: no heir left (it is itself), the table goes
    MH = monitor(process, Heir),
    Heir ! stop,
    receive {'DOWN', MH, _, _, _} -> ok end,
    show(heir_died, ets:info(inherited)),

    %% an heir that is dead already: the table is deleted
    Dead = spawn(fun() -> ok end),
    MD = monitor(process, Dead),
    receive {'DOWN', MD, _, _, _} -> ok end,
    O2 = spawn(fun() -> ets:new(orphan, [named_table, {heir, Dead, x}]), Self ! ready2, receive stop -> ok end end),
    receive ready2 -> ok end,
    MO2 = monitor(process, O2),
    O2 ! stop,
    receive {'DOWN', MO2, _, _, _} -> ok end,
    show(dead_heir, ets:info(orphan)),

    %% setopts changes the heir; give_away to a dead process fails
    T3 = ets:new(t3, []),
    show(give_dead, err(fun() -> ets:give_away(T3, Dead, x) end)),
    show(setopts_heir, ets:setopts(T3, [{heir, Dead, d}])),
    show(setopts_heir_info, ets:info(T3, heir) =:= Dead),

    %% a process fixing a table dies: its fixation goes
    Fixer = spawn(fun() -> ets:safe_fixtable(T3, true), Self ! fixed, receive stop -> ok end end),
    receive fixed -> ok end,
    show(fixed_by_other, ets:info(T3, fixed)),
    MF = monitor(process, Fixer),
    Fixer ! stop,
    receive {'DOWN', MF, _, _, _} -> ok end,
    show(fix_gone, ets:info(T3, fixed)),

    %% ets:all/0 lists ids and names
    N = ets:new(listed, [named_table]),
    All = ets:all(),
    show(all, {lists:member(N, All), lists:member(T3, All), lists:member(T, All)}),
    ets:delete(T3),
    show(all_after_delete, lists:member(T3, ets:all())),
    ok.

heir(Parent) ->
    receive
        {'ETS-TRANSFER', Tab, _From, Data} ->
            Parent ! {heir_got, {Tab, Data, ets:lookup(Tab, 1)}},
            heir(Parent);
        stop -> ok
    end.
