%% Purging through OTP's system processes: the code purger and the literal
%% area collector are where OTP has them, check_process_code answers as a
%% system task of the process asked (sync and {async, Ref}), a soft purge
%% refuses while a process runs old code, a hard purge kills it, a process
%% that holds literals of the purged code keeps them intact after the area
%% is released, and code:delete/1 + code:purge/1 behave as on OTP.
-module(purge_conc).
-export([main/0]).
-include("../code/code_beams.hrl").

main() ->
    system_processes(),
    {module, cv_purge} = erlang:load_module(cv_purge, ?PURGE_V1),
    Runner = started(spawn(cv_purge, wait, [])),
    Holder = spawn(fun() -> holder(cv_purge:lit(), cv_purge:make_fun()) end),
    Holder ! {get, self()},
    receive {Holder, _, _} -> ok end,
    {module, cv_purge} = erlang:load_module(cv_purge, ?PURGE_V2),
    check_code(Runner, Holder),
    soft_purge(),
    hard_purge(Runner),
    literals_survive(Holder),
    purge_errors(),
    delete_and_purge(),
    many_processes(),
    ok.

system_processes() ->
    Purger = whereis(erts_code_purger),
    io:format("purger ~p system ~p~n", [Purger, erts_internal:is_system_process(Purger)]),
    [begin
         P = list_to_pid(S),
         {initial_call, IC} = process_info(P, initial_call),
         {priority, Prio} = process_info(P, priority),
         io:format("~s ~p ~p system ~p~n", [S, IC, Prio, erts_internal:is_system_process(P)])
     end || S <- ["<0.1.0>", "<0.2.0>", "<0.3.0>", "<0.4.0>", "<0.5.0>"]].

%% A process spawned as cv_purge:wait() runs the code current when it first
%% runs: this makes sure it is in, before the next version comes.
started(Runner) ->
    Runner ! {lit, self()},
    receive {Runner, _} -> Runner end.

holder(Lit, Fun) ->
    receive
        {get, From} -> From ! {self(), Lit, Fun}, holder(Lit, Fun);
        stop -> ok
    end.

check_code(Runner, Holder) ->
    io:format("runner in old code: ~p~n", [erlang:check_process_code(Runner, cv_purge)]),
    io:format("holder in old code: ~p~n", [erlang:check_process_code(Holder, cv_purge)]),
    io:format("self in old code: ~p~n", [erlang:check_process_code(self(), cv_purge)]),
    io:format("with allow_gc: ~p~n", [erlang:check_process_code(Runner, cv_purge, [{allow_gc, false}])]),
    async = erlang:check_process_code(Runner, cv_purge, [{async, my_request}]),
    async = erlang:check_process_code(self(), cv_purge, [{async, {self_request, 1}}]),
    receive {check_process_code, my_request, R1} -> io:format("async runner: ~p~n", [R1]) end,
    receive {check_process_code, {self_request, 1}, R2} -> io:format("async self: ~p~n", [R2]) end,
    Dead = spawn(fun() -> ok end),
    Mon = monitor(process, Dead),
    receive {'DOWN', Mon, _, _, _} -> ok end,
    io:format("dead process: ~p~n", [erlang:check_process_code(Dead, cv_purge)]),
    async = erlang:check_process_code(Dead, cv_purge, [{async, dead_req}]),
    receive {check_process_code, dead_req, R3} -> io:format("async dead: ~p~n", [R3]) end,
    io:format("module without old code: ~p~n", [erlang:check_process_code(Runner, lists)]),
    [io:format("~p: ~p~n", [Shown, catch_error(fun() -> apply(erlang, check_process_code, Args) end)])
     || {Shown, Args} <- [{not_a_pid, [not_a_pid, cv_purge]}, {string, [Runner, "cv_purge"]},
                          {bad_option, [Runner, cv_purge, [bad]]},
                          {bad_allow_gc, [Runner, cv_purge, [{allow_gc, maybe}]]},
                          {improper, [Runner, cv_purge, improper]}]].

catch_error(F) ->
    try F() of
        V -> {value, V}
    catch
        C:R:St -> {C, R, error_info(St)}
    end.

error_info([{_, _, _, Info} | _]) -> proplists:get_value(error_info, Info, none);
error_info(_) -> none.

soft_purge() ->
    io:format("code:soft_purge: ~p~n", [code:soft_purge(cv_purge)]),
    io:format("purger soft_purge: ~p~n", [erts_code_purger:soft_purge(cv_purge)]),
    io:format("old code still there: ~p~n", [erlang:check_old_code(cv_purge)]).

hard_purge(Runner) ->
    Mon = monitor(process, Runner),
    io:format("code:purge: ~p~n", [code:purge(cv_purge)]),
    receive {'DOWN', Mon, process, Runner, Why} -> io:format("runner died: ~p~n", [Why]) end,
    io:format("old code left: ~p~n", [erlang:check_old_code(cv_purge)]),
    io:format("purge again: ~p~n", [code:purge(cv_purge)]),
    io:format("purger purge again: ~p~n", [erts_code_purger:purge(cv_purge)]).

%% The literal area of version 1 is released once every process has copied
%% what it uses: the holder's terms must read the same afterwards.
literals_survive(Holder) ->
    collector_idle(),
    Holder ! {get, self()},
    receive
        {Holder, Lit, Fun} ->
            io:format("holder's literal: ~p~n", [Lit]),
            io:format("same as the new version's but for vsn: ~p~n",
                      [setelement(2, Lit, 2) =:= cv_purge:lit()]),
            io:format("fun of purged code: ~p~n", [catch_error(fun() -> Fun(x) end) =/= {value, {1, x}}])
    end,
    garbage_collect(Holder),
    Holder ! {get, self()},
    receive {Holder, Lit2, _} -> io:format("after a collection: ~p~n", [element(3, Lit2)]) end,
    Holder ! stop.

%% Asks the literal area collector until it has no area left to release.
collector_idle() ->
    Ref = make_ref(),
    list_to_pid("<0.2.0>") ! {get_status, Ref, self()},
    receive
        {Ref, idle} -> ok;
        {Ref, working} -> receive after 10 -> collector_idle() end
    end.

purge_errors() ->
    io:format("erlang:purge_module: ~p~n", [catch_error(fun() -> erlang:purge_module(cv_purge) end)]),
    io:format("erlang:purge_module(\"x\"): ~p~n", [catch_error(fun() -> erlang:purge_module("x") end)]),
    io:format("erts_internal:purge_module: ~p~n",
              [catch_error(fun() -> erts_internal:purge_module(cv_purge, prepare) end)]),
    io:format("request_system_task: ~p~n",
              [catch_error(fun() -> erts_internal:request_system_task(self(), normal, {bad}) end)]).

delete_and_purge() ->
    io:format("delete: ~p~n", [code:delete(cv_purge)]),
    io:format("loaded: ~p~n", [erlang:module_loaded(cv_purge)]),
    io:format("purge: ~p~n", [code:purge(cv_purge)]),
    io:format("call: ~p~n", [catch_error(fun() -> cv_purge:vsn() end)]),
    io:format("purge nothing: ~p ~p~n", [code:purge(cv_purge), code:soft_purge(cv_purge)]).

%% Many processes in old code, several holding literals: the purger kills
%% exactly the runners and the others' literals stay intact.
many_processes() ->
    {module, cv_purge} = erlang:load_module(cv_purge, ?PURGE_V1),
    Runners = [started(spawn(cv_purge, wait, [])) || _ <- lists:seq(1, 40)],
    Holders = [spawn(fun() -> holder(cv_purge:lit(), none) end) || _ <- lists:seq(1, 40)],
    Mons = [monitor(process, P) || P <- Runners],
    {module, cv_purge} = erlang:load_module(cv_purge, ?PURGE_V2),
    io:format("soft refuses: ~p~n", [code:soft_purge(cv_purge)]),
    io:format("purge: ~p~n", [erts_code_purger:purge(cv_purge)]),
    Downs = [receive {'DOWN', M, process, _, R} -> R end || M <- Mons],
    io:format("runners killed: ~p~n", [lists:usort(Downs)]),
    collector_idle(),
    Lits = [begin H ! {get, self()}, receive {H, L, _} -> L end end || H <- Holders],
    io:format("holders intact: ~p~n", [lists:usort([setelement(2, L, 2) =:= cv_purge:lit() || L <- Lits])]),
    [H ! stop || H <- Holders],
    ok.
