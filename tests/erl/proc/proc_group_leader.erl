-module(proc_group_leader).
-export([main/0]).

%% group_leader/0,2: every process has one, spawned processes inherit it,
%% and it can be changed for oneself or for another process.

main() ->
    GL = group_leader(),
    io:format("leader is a pid: ~p, alive: ~p~n", [is_pid(GL), is_process_alive(GL)]),
    io:format("user leads: ~p~n", [GL =:= whereis(user)]),
    Self = self(),
    spawn(fun() -> Self ! {inherited, group_leader()} end),
    receive {inherited, G} -> io:format("child inherits: ~p~n", [G =:= GL]) end,
    {group_leader, G1} = process_info(self(), group_leader),
    io:format("process_info agrees: ~p~n", [G1 =:= GL]),
    %% changing one's own leader
    Other = spawn(fun() -> receive stop -> ok end end),
    %% (no output while Other leads: it answers no I/O requests)
    true = group_leader(Other, self()),
    Changed = group_leader() =:= Other,
    spawn(fun() -> Self ! {inherited, group_leader()} end),
    receive {inherited, G2} -> ok end,
    true = group_leader(GL, self()),
    io:format("changed: ~p~n", [Changed]),
    io:format("new child inherits the new one: ~p, restored: ~p~n", [G2 =:= Other, group_leader() =:= GL]),
    %% changing another process's leader: it sees the change before later messages
    Child = spawn(fun() -> receive report -> Self ! {now, group_leader()} end end),
    true = group_leader(Other, Child),
    Child ! report,
    receive {now, G3} -> io:format("other process changed: ~p~n", [G3 =:= Other]) end,
    {group_leader, G4} = process_info(Other, group_leader),
    io:format("leader's own leader inherited: ~p~n", [G4 =:= GL]),
    Other ! stop,
    %% bad arguments
    Dead = spawn(fun() -> ok end),
    Ref = monitor(process, Dead),
    receive {'DOWN', Ref, process, Dead, _} -> ok end,
    io:format("dead target: ~p~n", [catch_reason(fun() -> group_leader(self(), Dead) end)]),
    io:format("not a pid: ~p~n", [catch_reason(fun() -> group_leader(foo, self()) end)]),
    io:format("target not a pid: ~p~n", [catch_reason(fun() -> group_leader(self(), bar) end)]),
    %% the target waits, so it is alive when its leader changes on any scheduler
    Waiter = spawn(fun() -> receive stop -> ok end end),
    io:format("a dead leader is allowed: ~p~n", [group_leader(Dead, Waiter)]),
    Waiter ! stop.

catch_reason(F) ->
    try F() of
        V -> {returned, V}
    catch
        C:R:S ->
            [{M, Fn, Args, _} | _] = S,
            {C, R, M, Fn, length(Args)}
    end.
