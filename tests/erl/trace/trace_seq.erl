%% seq_trace as OTP 25: tokens, labels, serial numbers, the system tracer's
%% {seq_trace, Label, Info} messages for send, 'receive' and print, token
%% propagation (and loss on a message without one), set_token/1 with a
%% token tuple, reset_seq_trace, time stamps, and the match-spec actions
%% set_seq_token, get_seq_token and is_seq_trace. Nothing is printed while
%% the main process holds a token (io would carry it through the io system).
-module(trace_seq).
-export([main/0, traced/1]).

traced(X) -> X.

main() ->
    Self = self(),
    C = spawn(fun() -> coll([]) end),
    E = spawn(fun() -> echo() end),
    Names = #{Self => main, E => echo, C => coll},
    false = seq_trace:set_system_tracer(C),
    R1 = [seq_trace:set_token(label, 7), seq_trace:set_token(send, true),
          seq_trace:set_token('receive', true), seq_trace:set_token(print, true)],
    Replies1 = [ask(E, N) || N <- [a, b]],
    P1 = [seq_trace:print(first), seq_trace:print(7, second), seq_trace:print(9, third),
          erlang:seq_trace_print(fourth), erlang:seq_trace_print(8, fifth)],
    T1 = seq_trace:get_token(),
    Info1 = [seq_trace:get_token(K) || K <- [label, serial, send, 'receive', print, timestamp]],
    Old = seq_trace:set_token([]),
    Replies2 = [ask(E, c)],
    seq_trace:set_token({5, tuple_label, 40, Self, 30}),
    T2 = seq_trace:get_token(),
    Replies3 = [ask(E, d)],
    seq_trace:set_token(serial, {100, 200}),
    Replies4 = [ask(E, e)],
    seq_trace:set_token(timestamp, true),
    E ! {Self, stamped},
    Stamped = receive {echoed, stamped, _} -> ok end,
    seq_trace:set_token([]),
    seq_trace:set_token(label, gone),
    true = erlang:system_flag(reset_seq_trace, true),
    AfterReset = seq_trace:get_token(),
    seq_trace:set_token([]),
    Ms = ms_actions(),
    Msgs = dump(C),
    io:format("~p~n", [name([R1, Replies1, P1, T1, Info1, Old, Replies2, T2, Replies3, Replies4, Stamped,
                              AfterReset], Names)]),
    [io:format("~p~n", [name(strip(M), Names)]) || M <- Msgs],
    io:format("~p~n", [Ms]),
    io:format("~p~n", [seq_trace:set_system_tracer(false) =:= C]),
    io:format("~p~n", [seq_trace:get_system_tracer()]).

ask(E, N) ->
    E ! {self(), N},
    receive {echoed, N, Token} -> Token end.

echo() ->
    receive {P, N} -> P ! {echoed, N, seq_trace:get_token()}, echo() end.

coll(Acc) ->
    receive {dump, P} -> P ! {msgs, lists:reverse(Acc)}; M -> coll([M | Acc]) end.

dump(C) ->
    C ! {dump, self()},
    receive {msgs, Ms} -> Ms end.

%% A time stamp's value varies: only its shape is kept.
strip({seq_trace, L, I, {_, _, _}}) -> {seq_trace, L, I, now_stamp};
strip(M) -> M.

%% Match-spec actions on a traced call: set the label, report the token and is_seq_trace.
ms_actions() ->
    Self = self(),
    T = spawn(fun() -> tracer([]) end),
    erlang:trace_pattern({?MODULE, traced, 1},
                         [{['$1'], [{is_seq_trace}], [{message, {{seq, {get_seq_token}}}}]},
                          {'_', [], [{message, {{set, {set_seq_token, label, 99}, {get_seq_token}, {is_seq_trace}}}}]}],
                         [local]),
    erlang:trace(Self, true, [call, {tracer, T}]),
    traced(1),
    traced(2),
    seq_trace:set_token([]),
    traced(3),
    erlang:trace(Self, false, [call]),
    erlang:trace_pattern({?MODULE, traced, 1}, false, [local]),
    T ! {dump, Self},
    receive {msgs, Ms} -> name([Extra || {trace, _, call, _, Extra} <- Ms], #{Self => main}) end.

tracer(Acc) ->
    receive {dump, P} -> P ! {msgs, lists:reverse(Acc)}; M -> tracer([M | Acc]) end.

name(T, N) when is_pid(T) -> maps:get(T, N, other);
name(T, N) when is_tuple(T) -> list_to_tuple(name(tuple_to_list(T), N));
name([H | T], N) -> [name(H, N) | name(T, N)];
name(T, _) -> T.
