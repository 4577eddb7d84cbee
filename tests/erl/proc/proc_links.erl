-module(proc_links).
-export([main/0]).

main() ->
    process_flag(trap_exit, true),
    P1 = spawn_link(fun() -> exit(crashed) end),
    receive {'EXIT', P1, R1} -> io:format("exit: ~p~n", [R1]) end,
    P2 = spawn_link(fun() -> ok end),
    receive {'EXIT', P2, R2} -> io:format("normal: ~p~n", [R2]) end,
    P3 = spawn_link(fun() -> receive after infinity -> ok end end),
    exit(P3, kill),
    receive {'EXIT', P3, R3} -> io:format("killed: ~p~n", [R3]) end,
    P4 = spawn_link(fun() -> receive after infinity -> ok end end),
    exit(P4, shutdown),
    receive {'EXIT', P4, R4} -> io:format("shutdown: ~p~n", [R4]) end,
    %% a chain: a linked process that does not trap dies with its partner
    Self = self(),
    Chain = spawn(fun() ->
                          C = spawn_link(fun() -> receive go -> exit(chain_reason) end end),
                          Self ! {child, C},
                          receive after infinity -> ok end
                  end),
    link(Chain),
    receive {child, C} -> C ! go end,
    receive {'EXIT', Chain, RC} -> io:format("chain: ~p~n", [RC]) end,
    %% trapping process survives and gets a message
    T = spawn(fun() ->
                      process_flag(trap_exit, true),
                      L = spawn_link(fun() -> exit(inner) end),
                      receive {'EXIT', L, Why} -> Self ! {trapped, Why} end
              end),
    receive {trapped, W} -> io:format("trapped: ~p ~p~n", [W, is_pid(T)]) end,
    %% unlink stops propagation
    U = spawn_link(fun() -> receive go -> exit(ignored) end end),
    unlink(U),
    U ! go,
    receive {'EXIT', U, _} -> io:format("unlink failed~n") after 50 -> io:format("unlinked~n") end,
    %% link to a dead process
    Dead = spawn(fun() -> ok end),
    wait_dead(Dead),
    link(Dead),
    receive {'EXIT', Dead, RD} -> io:format("noproc: ~p~n", [RD]) end,
    process_flag(trap_exit, false),
    io:format("link dead, not trapping: ~p~n", [reason(catch link(Dead))]),
    io:format("exit normal to other: ~p~n", [exit(spawn(fun() -> ok end), normal)]).

reason({'EXIT', {R, _Stack}}) -> R;
reason(Other) -> Other.

wait_dead(P) ->
    case is_process_alive(P) of
        true -> receive after 1 -> wait_dead(P) end;
        false -> ok
    end.
