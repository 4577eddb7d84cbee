%% procs trace: spawn, spawned (with set_on_spawn), exit, link, unlink,
%% getting_linked, getting_unlinked, register, unregister.
-module(trace_procs).
-export([main/0, child/1]).

collect(Names) ->
    receive
        M when element(1, M) =:= trace -> [norm(M, Names) | collect(Names)]
    after 100 -> []
    end.

norm(T, Names) when is_tuple(T) -> list_to_tuple(norm(tuple_to_list(T), Names));
norm(L, Names) when is_list(L) -> [norm(E, Names) || E <- L];
norm(P, Names) when is_pid(P) ->
    case lists:keyfind(P, 1, Names) of {P, N} -> N; false -> other_pid end;
norm(F, _) when is_function(F) -> a_fun;
norm(X, _) -> X.

child(X) -> receive stop -> exit(X) end.

stop_untraced(P, C) ->
    erlang:trace(P, false, [all]),
    erlang:trace(C, false, [all]),
    exit(P, kill),
    exit(C, kill).

%% Messages of one tracee arrive in order; different tracees' may interleave.
print(L) -> [io:format("~p~n", [M]) || M <- lists:keysort(2, L)].

main() ->
    Self = self(),
    Partner = spawn(fun() -> receive stop -> ok end end),
    T = spawn(fun() ->
                      receive go -> ok end,
                      C1 = spawn(?MODULE, child, [normal]),
                      Self ! {c1, C1},
                      link(Partner),
                      unlink(Partner),
                      register(trace_procs_name, self()),
                      unregister(trace_procs_name),
                      register(trace_procs_name2, self()),
                      C2 = spawn_link(?MODULE, child, [bye]),
                      Self ! {c2, C2},
                      process_flag(trap_exit, true),
                      C2 ! stop,
                      receive {'EXIT', C2, bye} -> ok end,
                      C3 = spawn(fun() -> receive stop -> ok end end),
                      Self ! {c3, C3},
                      receive go2 -> ok end,
                      exit(done)
              end),
    io:format("~p~n", [erlang:trace(T, true, [procs])]),
    T ! go,
    C1 = receive {c1, X1} -> X1 end,
    C2 = receive {c2, X2} -> X2 end,
    C3 = receive {c3, X3} -> X3 end,
    Names = [{Self, tracer}, {T, tracee}, {Partner, partner}, {C1, c1}, {C2, c2}, {C3, c3}],
    %% a partner links to the tracee and unlinks
    Partner2 = spawn(fun() -> link(T), unlink(T), link(T), receive stop -> exit(kill_me) end end),
    timer:sleep(50),
    Names2 = [{Partner2, partner2} | Names],
    Partner2 ! stop,
    timer:sleep(50),
    T ! go2,
    timer:sleep(50),
    print(collect(Names2)),
    C1 ! stop, C3 ! stop, Partner ! stop,
    %% set_on_spawn: the child reports spawned, its exit, and its own children
    T2 = spawn(fun() ->
                       receive go -> ok end,
                       C = spawn(?MODULE, child, [normal]),
                       Self ! {c, C},
                       C ! stop,
                       Self ! done
               end),
    erlang:trace(T2, true, [procs, set_on_spawn]),
    T2 ! go,
    C = receive {c, Y} -> Y end,
    receive done -> ok end,
    timer:sleep(50),
    print(collect([{T2, tracee2}, {C, child} | Names])),
    %% spawn_link with set_on_spawn: spawn and link, then the child's spawned and
    %% getting_linked, in that order
    T6 = spawn(fun() ->
                       receive go -> ok end,
                       C6 = spawn_link(fun() -> receive stop -> ok end end),
                       Self ! {c6, C6},
                       receive stop -> ok end
               end),
    erlang:trace(T6, true, [procs, set_on_spawn]),
    T6 ! go,
    C6 = receive {c6, X6} -> X6 end,
    timer:sleep(50),
    [io:format("~p~n", [M]) || M <- collect([{T6, tracee6}, {C6, child6} | Names])],
    stop_untraced(T6, C6),
    %% spawn of a fun
    T4 = spawn(fun() -> receive go -> ok end, spawn(fun() -> ok end), Self ! done end),
    erlang:trace(T4, true, [procs]),
    T4 ! go,
    receive done -> ok end,
    timer:sleep(50),
    print(collect([{T4, tracee4} | Names])),
    %% killed
    T5 = spawn(fun() -> receive go -> ok end end),
    erlang:trace(T5, true, [procs]),
    exit(T5, kill),
    timer:sleep(50),
    print(collect([{T5, tracee5} | Names])),
    ok.
