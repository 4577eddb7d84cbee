%% Links, monitors and owners of ports: 'EXIT' and 'DOWN' from ports, a port
%% closing when its owner dies, port_connect, messages sent to a port with !,
%% exit/2 on a port, port_info items, erlang:ports/0 and port data.
-module(port_link).
-export([main/0]).

r() -> receive M -> strip(M) after 5000 -> timeout end.
rs(N) -> [r() || _ <- lists:seq(1, N)].

strip({P, M}) when is_port(P) -> {'P', M};
strip({'EXIT', P, R}) when is_port(P) -> {'EXIT', 'P', R};
strip({'DOWN', _, port, P, R}) when is_port(P) -> {'DOWN', port, 'P', R};
strip(M) -> M.

reason(F) -> try F() catch C:R -> {C, R} end.

main() ->
    process_flag(trap_exit, true),
    monitors(),
    owner_death(),
    connect(),
    bang(),
    exits(),
    info(),
    data(),
    ok.

monitors() ->
    P = open_port({spawn, "cat"}, []),
    Ref = monitor(port, P),
    io:format("is_reference: ~p~n", [is_reference(Ref)]),
    port_close(P),
    io:format("close with monitor: ~p~n", [rs(2)]),
    Ref2 = monitor(port, P),
    io:format("monitor closed: ~p~n", [receive {'DOWN', Ref2, port, P, R} -> R after 1000 -> timeout end]),
    P2 = open_port({spawn, "cat"}, []),
    Ref3 = monitor(port, P2),
    true = demonitor(Ref3),
    port_close(P2),
    io:format("after demonitor: ~p~n", [rs(2)]),
    P3 = open_port({spawn, "echo done"}, []),
    Ref4 = monitor(port, P3),
    io:format("down at eof: ~p~n", [rs(3)]),
    demonitor(Ref4, [flush]),
    io:format("bad monitor: ~p~n", [reason(fun() -> monitor(port, self()) end)]).

owner_death() ->
    Self = self(),
    Pid = spawn(fun() ->
                        P = open_port({spawn, "cat"}, []),
                        Self ! {port, P},
                        receive stop -> exit(crash) end
                end),
    P = receive {port, Port} -> Port end,
    Ref = monitor(port, P),
    link(P),
    io:format("links: ~p~n", [length(element(2, erlang:port_info(P, links)))]),
    Pid ! stop,
    io:format("owner died: ~p~n", [rs(2)]),
    io:format("port gone: ~p~n", [erlang:port_info(P)]),
    _ = Ref,
    io:format("link to closed: ~p~n", [catch link(P)]),
    io:format("link noproc msg: ~p~n", [rs(1)]).

connect() ->
    Self = self(),
    P = open_port({spawn, "cat"}, []),
    Pid = spawn(fun() ->
                        receive go -> ok end,
                        port_command(P, "to new owner"),
                        receive {P, {data, D}} -> Self ! {got, D} end,
                        receive stop -> ok end
                end),
    true = erlang:port_connect(P, Pid),
    unlink(P),
    io:format("connected: ~p~n", [erlang:port_info(P, connected) =:= {connected, Pid}]),
    Pid ! go,
    io:format("new owner got: ~p~n", [r()]),
    Ref = monitor(port, P),
    Pid ! stop,
    io:format("new owner exit closes: ~p~n", [receive {'DOWN', Ref, port, P, R} -> R after 5000 -> timeout end]),
    io:format("bad connect: ~p~n", [reason(fun() -> erlang:port_connect(P, self()) end)]).

bang() ->
    P = open_port({spawn, "cat"}, []),
    P ! {self(), {command, "banged"}},
    io:format("command msg: ~p~n", [r()]),
    Other = spawn(fun() -> receive _ -> ok end end),
    P ! {self(), {connect, Other}},
    io:format("connect msg: ~p~n", [r()]),
    io:format("owner: ~p~n", [erlang:port_info(P, connected) =:= {connected, Other}]),
    P2 = open_port({spawn, "cat"}, []),
    P2 ! {self(), close},
    io:format("close msg: ~p~n", [rs(2)]),
    P3 = open_port({spawn, "cat"}, []),
    P3 ! {self(), bogus},
    io:format("bad message: ~p~n", [rs(1)]),
    %% {connect, Pid} by message does not link the new owner: its death leaves the port open
    exit(Other, kill),
    io:format("other owner killed: ~p ~p~n", [rs(1), erlang:port_info(P, name)]),
    port_close(P),
    io:format("closed: ~p~n", [rs(1)]).

exits() ->
    P = open_port({spawn, "cat"}, []),
    exit(P, normal),
    io:format("exit normal: ~p~n", [rs(1)]),
    P2 = open_port({spawn, "cat"}, []),
    exit(P2, kill),
    io:format("exit kill: ~p~n", [rs(1)]),
    P3 = open_port({spawn, "cat"}, []),
    exit(P3, reason),
    io:format("exit reason: ~p~n", [rs(1)]),
    io:format("exit closed: ~p~n", [exit(P3, reason)]).

info() ->
    P = open_port({spawn, "cat"}, [binary]),
    port_command(P, "12345"),
    {P, {data, _}} = receive M -> M end,
    Items = [name, connected, input, output, registered_name, monitors, queue_size, parallelism],
    io:format("items: ~p~n", [[strip_info(erlang:port_info(P, I)) || I <- Items]]),
    {os_pid, OsPid} = erlang:port_info(P, os_pid),
    io:format("os_pid: ~p~n", [is_integer(OsPid)]),
    {id, Id} = erlang:port_info(P, id),
    io:format("id: ~p~n", [is_integer(Id)]),
    io:format("info keys: ~p~n", [[K || {K, _} <- erlang:port_info(P)]]),
    R = monitor(port, P),
    io:format("monitored_by: ~p~n", [erlang:port_info(P, monitored_by) =:= {monitored_by, [self()]}]),
    demonitor(R),
    io:format("bad item: ~p~n", [reason(fun() -> erlang:port_info(P, bogus) end)]),
    io:format("bad port: ~p~n", [reason(fun() -> erlang:port_info(self(), name) end)]),
    io:format("in ports(): ~p~n", [lists:member(P, erlang:ports())]),
    port_close(P),
    rs(1),
    io:format("after close: ~p ~p~n", [lists:member(P, erlang:ports()), erlang:port_info(P, name)]),
    io:format("port_to_list: ~p~n", [lists:prefix("#Port<0.", erlang:port_to_list(P))]),
    io:format("is_port: ~p ~p~n", [is_port(P), is_port(self())]),
    io:format("compare: ~p~n", [[P < self(), P > make_ref(), P > 1, P =:= P]]),
    io:format("term_to_binary: ~p~n", [binary_to_term(term_to_binary(P)) =:= P]).

strip_info({connected, Pid}) when is_pid(Pid) -> {connected, pid};
strip_info(I) -> I.

data() ->
    P = open_port({spawn, "cat"}, []),
    io:format("no data: ~p~n", [erlang:port_get_data(P)]),
    true = erlang:port_set_data(P, {some, [data, <<"bin">>]}),
    io:format("data: ~p~n", [erlang:port_get_data(P)]),
    port_close(P),
    rs(1),
    io:format("closed data: ~p~n", [reason(fun() -> erlang:port_get_data(P) end)]).
