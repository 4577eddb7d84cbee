%% Trace messages of ports (OTP 25): `ports` gives open, closed,
%% getting_linked and getting_unlinked; `send` what the port sends its
%% owner; `'receive'` the commands and closes it gets, by `!`, port_command
%% and port_close. Set on one port, on new_ports, and turned off.
-module(trace_port_msgs).
-export([main/0]).

collector(Acc) ->
    receive
        {done, From} -> From ! {msgs, lists:reverse(Acc)};
        M -> collector([M | Acc])
    end.

msgs(T) ->
    T ! {done, self()},
    receive {msgs, L} -> L end.

anon(T, Names) when is_tuple(T) -> list_to_tuple([anon(E, Names) || E <- tuple_to_list(T)]);
anon(L, Names) when is_list(L) -> [anon(E, Names) || E <- L];
anon(E, Names) ->
    case lists:keyfind(E, 1, Names) of
        {_, N} -> N;
        false when is_pid(E) -> pid;
        false when is_port(E) -> port;
        false -> E
    end.

echo(Port, Data) ->
    receive {Port, {data, D}} -> io:format("echo ~p ~p~n", [Data, D]) after 2000 -> io:format("no echo~n") end.

main() ->
    T = spawn(fun() -> collector([]) end),
    Names0 = [{T, tracer}, {self(), main}],
    io:format("new_ports ~p~n", [erlang:trace(new_ports, true, [ports, send, 'receive', {tracer, T}])]),
    P1 = open_port({spawn, "cat"}, [binary]),
    P1 ! {self(), {command, <<"hi">>}},
    echo(P1, hi),
    link(P1),
    unlink(P1),
    port_command(P1, <<"x">>),
    echo(P1, x),
    port_command(P1, ["a", <<"b">>]),
    echo(P1, ab),
    port_close(P1),
    P2 = open_port({spawn, "cat"}, []),
    P2 ! {self(), close},
    receive {P2, closed} -> ok end,
    io:format("new off ~p~n", [erlang:trace(new_ports, false, [ports, send, 'receive'])]),
    P3 = open_port({spawn, "cat"}, [binary]),
    io:format("one port ~p~n", [erlang:trace(P3, true, ['receive', {tracer, T}])]),
    io:format("flags ~p~n", [erlang:trace_info(P3, flags)]),
    port_command(P3, <<"y">>),
    echo(P3, y),
    io:format("one off ~p~n", [erlang:trace(P3, false, [all])]),
    port_command(P3, <<"z">>),
    echo(P3, z),
    port_close(P3),
    Names = [{P1, port1}, {P2, port2}, {P3, port3} | Names0],
    [io:format("~p~n", [anon(M, Names)]) || M <- msgs(T)],
    ok.
