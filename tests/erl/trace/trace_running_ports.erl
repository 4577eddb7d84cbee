%% running_ports: {trace, Port, in | out, Task} around each task a port runs,
%% named as OTP 25 names them (open, command, control, call, info, link,
%% unlink, connect, monitor, demonitor, close, and 0 for I/O), for ports
%% traced from birth (new_ports) and after (trace/3 on the port); a bad
%% signal's EXIT comes between in and out, a close has no out.
-module(trace_running_ports).
-export([main/0]).

flush(P) ->
    receive
        {trace, P, W, C} -> io:format("  ~p ~p~n", [W, C]), flush(P);
        {'EXIT', P, R} -> io:format("  EXIT ~p~n", [R]), flush(P)
    after 200 -> ok
    end.

step(Name, P, F) ->
    io:format("~s~n", [Name]),
    R = (catch F()),
    io:format("  -> ~p~n", [norm(R, P)]),
    flush(P).

norm({'EXIT', {Reason, _}}, _) -> {'EXIT', Reason};
norm(P, P) -> port;
norm({name, N}, _) -> {name, N};
norm(X, _) when is_reference(X) -> ref;
norm(X, _) -> X.

main() ->
    process_flag(trap_exit, true),
    0 = erlang:trace(new_ports, true, [running_ports]),
    P = open_port({spawn, "cat"}, [binary]),
    io:format("open~n"),
    flush(P),
    step("command", P, fun() -> port_command(P, <<"hi">>), receive {P, {data, D}} -> D end end),
    step("bang command", P, fun() -> P ! {self(), {command, <<"yo">>}}, receive {P, {data, D}} -> D end end),
    step("control", P, fun() -> erlang:port_control(P, 0, []) end),
    step("call", P, fun() -> erlang:port_call(P, 0, []) end),
    step("info", P, fun() -> erlang:port_info(P, name) end),
    step("info/1", P, fun() -> length(erlang:port_info(P)) > 0 end),
    step("unlink", P, fun() -> unlink(P) end),
    step("link", P, fun() -> link(P) end),
    step("connect", P, fun() -> erlang:port_connect(P, self()) end),
    step("monitor", P, fun() -> R = monitor(port, P), demonitor(R) end),
    step("set data", P, fun() -> erlang:port_set_data(P, x), erlang:port_get_data(P) end),
    step("close", P, fun() -> port_close(P) end),
    0 = erlang:trace(new_ports, false, [running_ports]),
    %% traced after opening: a bad signal closes it
    Q = open_port({spawn, "cat"}, [binary]),
    1 = erlang:trace(Q, true, [running_ports]),
    step("command later", Q, fun() -> port_command(Q, <<"x">>), receive {Q, {data, D}} -> D end end),
    step("bad signal", Q, fun() -> Q ! hello end),
    %% a kill closes it
    K = open_port({spawn, "cat"}, [binary]),
    1 = erlang:trace(K, true, [running_ports]),
    step("kill", K, fun() -> exit(K, kill) end),
    %% {Pid, close}
    C = open_port({spawn, "cat"}, [binary]),
    1 = erlang:trace(C, true, [running_ports]),
    step("bang close", C, fun() -> C ! {self(), close}, receive {C, closed} -> closed end end),
    %% trace_info shows the flag
    T = open_port({spawn, "cat"}, [binary]),
    1 = erlang:trace(T, true, [running_ports]),
    io:format("~p~n", [erlang:trace_info(T, flags)]),
    1 = erlang:trace(T, false, [running_ports]),
    step("untraced", T, fun() -> port_command(T, <<"x">>) end),
    port_close(T),
    flush(T),
    ok.
