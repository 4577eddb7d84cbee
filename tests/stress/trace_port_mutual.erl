%% Two ports that trace each other: port A's tracer is port B and B's is A
%% ('receive' and running_ports), while processes on every scheduler send
%% commands to both. An event is reported under the traced port's lock and
%% its message goes to the other port: waiting there for the tracer's lock
%% livelocked (each thread holding one port and retrying the other), so
%% a busy tracer port gets its message after the event. Then a port whose
%% reply to its owner is traced to the port itself (it used to spin on its
%% own lock). The program must finish,
%% and every trace message must reach its port (output counted by the
%% ports' `output` item, which must grow by at least the commands' bytes
%% plus one message per command).
-module(trace_port_mutual).
-export([main/0]).

-define(SENDERS, 8).
-define(COMMANDS, 3000).

open() -> open_port({spawn, "cat"}, [binary, out]).

sender(Port, Parent) ->
    [true = port_command(Port, <<I:32>>) || I <- lists:seq(1, ?COMMANDS)],
    Parent ! done.

main() ->
    A = open(),
    B = open(),
    1 = erlang:trace(A, true, ['receive', running_ports, {tracer, B}]),
    1 = erlang:trace(B, true, ['receive', running_ports, {tracer, A}]),
    Self = self(),
    [spawn(fun() -> sender(P, Self) end) || _ <- lists:seq(1, ?SENDERS div 2), P <- [A, B]],
    [receive done -> ok end || _ <- lists:seq(1, ?SENDERS)],
    %% a port whose reply to its owner is traced to the port itself: {C, connected}
    %% enters the owner's queue under C's lock, and the 'receive' message goes to C
    C = open(),
    1 = erlang:trace(self(), true, ['receive', {tracer, C}]),
    [begin C ! {self(), {connect, self()}}, receive {C, connected} -> ok end end || _ <- lists:seq(1, 500)],
    1 = erlang:trace(self(), false, ['receive']),
    {output, OutC} = erlang:port_info(C, output),
    io:format("C ~p~n", [OutC >= 500 * 20]),
    erlang:yield(),
    {output, OutA} = erlang:port_info(A, output),
    {output, OutB} = erlang:port_info(B, output),
    %% each command: 4 bytes, and at least 3 trace messages of 20+ bytes to the other port
    Min = ?COMMANDS * ?SENDERS div 2 * (4 + 3 * 20),
    io:format("A ~p~nB ~p~n", [OutA >= Min, OutB >= Min]),
    port_close(A),
    port_close(B),
    port_close(C),
    io:format("done~n").
