%% seq_trace tokens on signals other than plain sends, as OTP 25: a link's
%% exit signal carries the exiting process's token (traced as the send of
%% {'EXIT', Pid, Reason}; trapped, it passes the token or, without one,
%% clears the receiver's); exit/2's carries none; 'DOWN' and timer messages
%% leave the receiver's token alone. Ports: port_command/2 is not traced and
%% counts nothing, Port ! {Pid, {command, D}} is traced as a send, the
%% port's data leave the token alone and a port's exit signal clears it.
%% A send to an alias is traced with the alias as addressee and carries the
%% token (or clears the receiver's). Each case prints the token after it.
-module(trace_seq_signals_conc).
-export([main/0]).

set() ->
    seq_trace:set_token(label, 7),
    seq_trace:set_token(send, true),
    seq_trace:set_token('receive', true),
    seq_trace:set_token(print, true).

tok(Tag) ->
    seq_trace:print(Tag),
    seq_trace:get_token().

main() ->
    Self = self(),
    C = spawn(fun() -> coll([]) end),
    seq_trace:set_system_tracer(C),
    process_flag(trap_exit, true),
    set(),
    P1 = spawn_link(fun() -> receive go -> exit(boom) end end),
    P1 ! go,
    receive {'EXIT', P1, _} -> ok end,
    A1 = tok(a1),
    P2 = spawn_link(fun() -> seq_trace:set_token([]), receive after 20 -> exit(boom2) end end),
    receive {'EXIT', P2, _} -> ok end,
    A2 = tok(a2),
    set(),
    {P3, M3} = spawn_monitor(fun() -> receive after 20 -> ok end end),
    receive {'DOWN', M3, _, _, _} -> ok end,
    A3 = tok(a3),
    erlang:send_after(0, self(), tick),
    receive tick -> ok end,
    A4 = tok(a4),
    P5 = spawn(fun() ->
                   process_flag(trap_exit, true),
                   Self ! ready,
                   receive {'EXIT', _, R} -> Self ! {got, R, seq_trace:get_token()} end
               end),
    receive ready -> ok end,
    exit(P5, hello),
    receive {got, _, G5} -> ok end,
    A5 = tok(a5),
    set(),
    P6 = spawn_link(fun() -> receive go -> ok end end),
    exit(P6, kill),
    receive {'EXIT', P6, _} -> ok end,
    A6 = tok(a6),
    P7 = spawn_link(fun() -> receive after 20 -> ok end end),
    process_flag(trap_exit, false),
    A7a = tok(a7a),
    receive after 60 -> ok end,
    A7 = tok(a7),
    process_flag(trap_exit, true),
    seq_trace:set_token([]),
    Msgs = dump(C),
    N = #{Self => main, C => coll, P1 => c1, P2 => c2, P3 => c3, P5 => c5, P6 => c6, P7 => c7},
    io:format("~p~n", [name([A1, A2, A3, A4, A5, G5, A6, A7a, A7], N)]),
    [io:format("~p~n", [name(M, N)]) || M <- Msgs],
    ports(C),
    aliases(C).

ports(C) ->
    Self = self(),
    P = open_port({spawn, "cat"}, [binary]),
    set(),
    true = port_command(P, <<"hello">>),
    A1 = tok(p1),
    receive {P, {data, D1}} -> ok end,
    A2 = tok(p2),
    P ! {self(), {command, <<"again">>}},
    A3 = tok(p3),
    receive {P, {data, D2}} -> ok end,
    A4 = tok(p4),
    P ! {self(), close},
    receive {P, closed} -> ok end,
    A5 = tok(p5),
    seq_trace:set_token([]),
    P2 = open_port({spawn, "cat"}, [binary]),
    set(),
    exit(P2, kill),
    receive {'EXIT', P2, _} -> ok end,
    A6 = tok(p6),
    seq_trace:set_token([]),
    Msgs = dump(C),
    N = #{Self => main, C => coll, P => port, P2 => port2},
    io:format("~p~n", [name([D1, D2, A1, A2, A3, A4, A5, A6], N)]),
    [io:format("~p~n", [name(M, N)]) || M <- Msgs].

aliases(C) ->
    Self = self(),
    Srv = spawn(fun() -> receive {call, Al} -> seq_trace:set_token([]), Al ! reply end end),
    Al = alias(),
    set(),
    Srv ! {call, Al},
    receive reply -> ok end,
    A1 = tok(al1),
    Srv2 = spawn(fun() -> receive {call, Al2} -> Al2 ! reply2 end end),
    Al2 = alias(),
    set(),
    Srv2 ! {call, Al2},
    receive reply2 -> ok end,
    A2 = tok(al2),
    seq_trace:set_token([]),
    Msgs = dump(C),
    N = #{Self => main, C => coll, Srv => srv, Al => alias, Srv2 => srv2, Al2 => alias2},
    io:format("~p~n", [name([A1, A2], N)]),
    [io:format("~p~n", [name(M, N)]) || M <- Msgs].

coll(Acc) ->
    receive {dump, P} -> P ! {msgs, lists:reverse(Acc)}, coll([]); M -> coll([M | Acc]) end.

dump(C) ->
    C ! {dump, self()},
    receive {msgs, Ms} -> Ms end.

name(T, N) when is_pid(T); is_port(T); is_reference(T) -> maps:get(T, N, other);
name(T, _) when is_function(T) -> 'fun';
name(T, N) when is_tuple(T) -> list_to_tuple(name(tuple_to_list(T), N));
name([H | T], N) -> [name(H, N) | name(T, N)];
name(T, _) -> T.
