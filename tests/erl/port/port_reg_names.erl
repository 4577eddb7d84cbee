-module(port_reg_names).
-export([main/0]).

%% Registered ports: register/unregister/whereis/registered, port_info's
%% registered_name, the port BIFs and `!` by name, monitor by name, the name
%% freed when the port closes, and OTP's errors.

t(F) -> try F() of V -> V catch C:R -> {C, R} end.

show(Label, V) -> io:format("~s: ~p~n", [Label, V]).

main() ->
    process_flag(trap_exit, true),
    P = open_port({spawn, "cat"}, []),
    show("unregistered name", erlang:port_info(P, registered_name)),
    show("register", t(fun() -> register(myport, P) end)),
    show("again", t(fun() -> register(myport, P) end)),
    show("second name", t(fun() -> register(other, P) end)),
    show("name taken by a process", t(fun() -> register(myport, self()) end)),
    register(me, self()),
    show("name taken by a port", t(fun() -> register(me, P) end)),
    show("undefined", t(fun() -> register(undefined, open_port({spawn, "cat"}, [])) end)),
    show("not an atom", t(fun() -> register("x", P) end)),
    show("whereis", whereis(myport) =:= P),
    show("registered", lists:member(myport, registered())),
    show("registered_name", erlang:port_info(P, registered_name)),
    show("port_info keys", [K || {K, _} <- erlang:port_info(P)]),
    show("port_info by name", erlang:port_info(myport, registered_name)),
    show("port_info name", erlang:port_info(myport, name)),
    show("port_info of a process name", erlang:port_info(me, id)),
    show("port_info of no name", erlang:port_info(nosuch, id)),
    show("port_info/1 of no name", erlang:port_info(nosuch)),
    myport ! {self(), {command, "hello\n"}},
    receive {P, {data, D}} -> show("! by name", D) end,
    show("port_command by name", t(fun() -> port_command(myport, "x\n") end)),
    receive {P, {data, D2}} -> show("echo", D2) after 2000 -> show("echo", none) end,
    show("port_command/3 by name", t(fun() -> erlang:port_command(myport, "y\n", [nosuspend]) end)),
    receive {P, {data, D3}} -> show("echo", D3) after 2000 -> show("echo", none) end,
    show("set_data by name", t(fun() -> erlang:port_set_data(myport, 7) end)),
    show("get_data by name", t(fun() -> erlang:port_get_data(myport) end)),
    show("connect by name", t(fun() -> erlang:port_connect(myport, self()) end)),
    show("port_command of no name", t(fun() -> port_command(nosuch, "x") end)),
    show("port_command of a process name", t(fun() -> port_command(me, "x") end)),
    show("port_close of no name", t(fun() -> port_close(nosuch) end)),
    show("send to no name", t(fun() -> nosuch ! hi end)),
    show("link by name", t(fun() -> link(myport) end)),
    show("unregister", t(fun() -> unregister(myport) end)),
    show("unregister again", t(fun() -> unregister(myport) end)),
    show("after unregister", erlang:port_info(P, registered_name)),
    show("whereis after unregister", whereis(myport)),
    show("register again", t(fun() -> register(myport, P) end)),
    Ref = erlang:monitor(port, myport),
    show("port_close by name", t(fun() -> port_close(myport) end)),
    receive {'DOWN', Ref, port, Who, Why} -> show("DOWN", {Who, Why}) after 2000 -> show("DOWN", none) end,
    show("whereis after close", whereis(myport)),
    show("registered after close", lists:member(myport, registered())),
    show("send after close", t(fun() -> myport ! hi end)),
    show("register a closed port", t(fun() -> register(myport, P) end)),
    %% {Pid, close} by name, and a port whose child exits
    Q = open_port({spawn, "cat"}, []),
    register(q, Q),
    q ! {self(), close},
    receive {Q, closed} -> show("closed", true) end,
    show("whereis after {Pid, close}", whereis(q)),
    R = open_port({spawn, "true"}, []),
    register(r, R),
    receive {'EXIT', R, normal} -> show("exited", true) end,
    sync_name(r, 50),
    show("name taken again", t(fun() -> register(r, open_port({spawn, "cat"}, [])) end)),
    ok.

%% OTP frees an exited port's name just after the 'EXIT' goes out.
sync_name(_, 0) -> show("name freed", false);
sync_name(N, K) ->
    case whereis(N) of
        undefined -> show("name freed", true);
        _ -> timer:sleep(20), sync_name(N, K - 1)
    end.
