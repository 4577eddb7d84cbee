%% seq_trace tokens through spawn, as OTP 25: a parent with a token passes
%% it to the child as its spawn_request/spawn_reply signals do, and the
%% system tracer sees them as send/'receive' messages. spawn, spawn_link,
%% spawn_monitor, spawn_opt and spawn(node(), ...) take the reply inside
%% the BIF (OTP 25 then stores the reply's serial tagged, so the parent's
%% next serial jumps); erlang:spawn_request's reply is a message with the
%% child's token, and a request without reply still counts its serial.
%% Flags send/'receive' off each leave their half out. Children report the
%% token they start with; refs, funs and pids are named.
-module(trace_seq_spawn_conc).
-export([main/0, child/1, child_later/1, waiter/0, reporter/0]).

child(Parent) -> Parent ! {child, seq_trace:get_token()}.
%% Reports the token it started with once told: spawn_request returns before the reply is taken.
child_later(Parent) ->
    T = seq_trace:get_token(),
    receive go -> Parent ! {child, T} end.
waiter() -> receive go -> ok end.
reporter() -> T = seq_trace:get_token(), trace_seq_spawn_main ! {tok, T}.

set() ->
    seq_trace:set_token(label, 7),
    seq_trace:set_token(send, true),
    seq_trace:set_token('receive', true),
    seq_trace:set_token(print, true).

main() ->
    Self = self(),
    GL = group_leader(),
    C = spawn(fun() -> coll([]) end),
    seq_trace:set_system_tracer(C),
    set(),
    seq_trace:print(start),
    P1 = spawn(fun() -> Self ! {child, seq_trace:get_token()} end),
    R1 = receive {child, T1} -> T1 end,
    seq_trace:print({after1, seq_trace:get_token()}),
    P2 = spawn(?MODULE, child, [Self]),
    R2 = receive {child, T2} -> T2 end,
    P3 = spawn_link(?MODULE, child, [Self]),
    R3 = receive {child, T3} -> T3 end,
    {P4, M4} = spawn_monitor(?MODULE, child, [Self]),
    R4 = receive {child, T4} -> T4 end,
    receive {'DOWN', M4, _, _, _} -> ok end,
    seq_trace:print({after4, seq_trace:get_token()}),
    P5 = spawn_opt(?MODULE, child, [Self], [{priority, high}]),
    R5 = receive {child, T5} -> T5 end,
    Ref6 = erlang:spawn_request(?MODULE, child_later, [Self], [{reply_tag, mytag}]),
    P6 = receive {mytag, Ref6, ok, Pid6} -> Pid6 end,
    P6 ! go,
    R6 = receive {child, T6} -> T6 end,
    seq_trace:print({after6, seq_trace:get_token()}),
    seq_trace:set_token([]),
    unlink(P3),
    Msgs1 = dump(C),
    N1 = #{Self => main, C => coll, P1 => c1, P2 => c2, P3 => c3, P4 => c4, P5 => c5, P6 => c6, GL => gl},
    io:format("~p~n", [name([R1, R2, R3, R4, R5, R6], N1)]),
    [io:format("~p~n", [name(M, N1)]) || M <- Msgs1],
    flags_and_requests(C, GL),
    reply_modes().

%% Spawns that stay waiting; the token's flags turned off one at a time.
flags_and_requests(C, GL) ->
    Self = self(),
    set(),
    P1 = spawn(?MODULE, waiter, []),
    Tok1 = seq_trace:get_token(),
    seq_trace:print(p1),
    {P2, _} = spawn_opt(?MODULE, waiter, [], [link, monitor]),
    Tok2 = seq_trace:get_token(),
    seq_trace:set_token(send, false),
    P3 = spawn(?MODULE, waiter, []),
    Tok3 = seq_trace:get_token(),
    seq_trace:set_token(send, true),
    seq_trace:set_token('receive', false),
    P4 = spawn_link(fun() -> receive go -> ok end end),
    Tok4 = seq_trace:get_token(),
    seq_trace:set_token('receive', true),
    R7 = erlang:spawn_request(?MODULE, waiter, [], [{reply, yes}, link]),
    P7 = receive {spawn_reply, R7, ok, PP7} -> PP7 end,
    Tok7 = seq_trace:get_token(),
    R8 = erlang:spawn_request(fun() -> ok end),
    P8 = receive {spawn_reply, R8, ok, PP8} -> PP8 end,
    R9 = erlang:spawn_request(node(), ?MODULE, waiter, [], []),
    P9 = receive {spawn_reply, R9, ok, PP9} -> PP9 end,
    P10 = spawn(node(), ?MODULE, waiter, []),
    P11 = spawn(node(), fun() -> ok end),
    P12 = spawn_monitor(fun() -> ok end),
    Tok11 = seq_trace:get_token(),
    seq_trace:set_token([]),
    unlink(P2),
    unlink(P4),
    unlink(P7),
    [P ! go || P <- [P1, P2, P3, P4, P7, P9, P10]],
    Msgs = dump(C),
    N = #{Self => main, C => coll, P1 => c1, P2 => c2, P3 => c3, P4 => c4, P7 => c7, P8 => c8, P9 => c9,
          P10 => c10, P11 => c11, element(1, P12) => c12, GL => gl},
    io:format("~p~n", [name([Tok1, Tok2, Tok3, Tok4, Tok7, Tok11], N)]),
    [io:format("~p~n", [name(M, N)]) || M <- Msgs].

%% The token a spawn_request child starts with, for each {reply, _}.
reply_modes() ->
    register(trace_seq_spawn_main, self()),
    R = [begin
             seq_trace:set_token(label, 8),
             erlang:spawn_request(?MODULE, reporter, [], [{reply, Rep}]),
             seq_trace:set_token([]),
             receive {tok, T} -> seq_trace:set_token([]), {Rep, setelement(4, T, child)} end
         end || Rep <- [no, error_only, yes, success_only]],
    io:format("~p~n", [R]).

coll(Acc) ->
    receive {dump, P} -> P ! {msgs, lists:reverse(Acc)}, coll([]); M -> coll([M | Acc]) end.

dump(C) ->
    C ! {dump, self()},
    receive {msgs, Ms} -> Ms end.

name(T, N) when is_pid(T) -> maps:get(T, N, other);
name(T, _) when is_reference(T) -> ref;
name(T, _) when is_function(T) -> 'fun';
name(T, N) when is_tuple(T) -> list_to_tuple(name(tuple_to_list(T), N));
name([H | T], N) -> [name(H, N) | name(T, N)];
name(T, _) -> T.
