%% An echo server under many concurrent clients: an acceptor loop hands each
%% connection to a handler (controlling_process, {active, once}); clients
%% connect at once from many processes, some with {packet, 4} doing passive
%% round trips, some streaming raw data in active mode, some dying with their
%% socket open. Sockets are driven from every scheduler while the poller
%% delivers: run under ASan and TSan as a *_conc test.
-module(inet_echo_conc).
-export([main/0]).

-define(LO, {127,0,0,1}).
-define(PACKET_CLIENTS, 24).
-define(ROUNDS, 100).
-define(STREAM_CLIENTS, 8).
-define(STREAM_BYTES, 200000).
-define(DYING, 8).

main() ->
    Before = erlang:ports(),
    {ok, L} = gen_tcp:listen(0, [binary, {active, false}, {ip, ?LO}, {backlog, 128}]),
    {ok, Port} = inet:port(L),
    Server = spawn_link(fun() -> acceptor(L) end),
    Self = self(),
    Packet = [spawn_link(fun() -> Self ! {sum, self(), packet_client(Port, N)} end)
              || N <- lists:seq(1, ?PACKET_CLIENTS)],
    Stream = [spawn_link(fun() -> Self ! {sum, self(), stream_client(Port, N)} end)
              || N <- lists:seq(1, ?STREAM_CLIENTS)],
    Dying = [spawn(fun() -> dying_client(Port) end) || _ <- lists:seq(1, ?DYING)],
    io:format("packet sums: ~p~n", [[receive {sum, P, S} -> S end || P <- Packet]]),
    io:format("stream sums: ~p~n", [[receive {sum, P, S} -> S end || P <- Stream]]),
    wait_dead(Dying),
    Server ! {stop, self()},
    receive {handled, H} -> io:format("connections handled: ~p~n", [H]) end,
    ok = gen_tcp:close(L),
    io:format("ports left: ~p~n", [left(Before, 100)]).

%% The acceptor: each connection gets a handler that owns its socket.
acceptor(L) ->
    process_flag(trap_exit, true),
    acceptor(L, 0, []).

acceptor(L, N, Handlers) ->
    receive
        {stop, From} ->
            [receive {'EXIT', H, _} -> ok end || H <- Handlers],
            From ! {handled, N}
    after 0 ->
        case gen_tcp:accept(L, 50) of
            {ok, S} ->
                H = spawn_link(fun() -> receive go -> handler(S) end end),
                ok = gen_tcp:controlling_process(S, H),
                H ! go,
                acceptor(L, N + 1, [H | Handlers]);
            {error, timeout} ->
                acceptor(L, N, Handlers)
        end
    end.

%% The first byte says the client's kind: p (packet 4) or s (raw stream).
handler(S) ->
    case gen_tcp:recv(S, 1, 5000) of
        {ok, <<"p">>} -> ok = inet:setopts(S, [{packet, 4}, {active, once}]), echo(S);
        {ok, <<"s">>} -> ok = inet:setopts(S, [{active, once}]), echo(S);
        {error, closed} -> ok
    end.

echo(S) ->
    receive
        {tcp, S, D} ->
            ok = gen_tcp:send(S, D),
            ok = inet:setopts(S, [{active, once}]),
            echo(S);
        {tcp_closed, S} ->
            ok
    after 10000 ->
        exit(handler_stuck)
    end.

packet_client(Port, N) ->
    {ok, S} = gen_tcp:connect(?LO, Port, [binary, {active, false}]),
    ok = gen_tcp:send(S, <<"p">>),
    ok = inet:setopts(S, [{packet, 4}]),
    Sum = lists:sum([round_trip(S, N * I) || I <- lists:seq(1, ?ROUNDS)]),
    ok = gen_tcp:close(S),
    Sum.

round_trip(S, V) ->
    ok = gen_tcp:send(S, integer_to_binary(V)),
    {ok, D} = gen_tcp:recv(S, 0, 5000),
    binary_to_integer(D).

%% Streams bytes while reading the echo in active mode; the echo may come in
%% any cut, so only the total and a checksum are compared.
stream_client(Port, N) ->
    {ok, S} = gen_tcp:connect(?LO, Port, [binary, {active, true}]),
    ok = gen_tcp:send(S, <<"s">>),
    Chunk = << <<((N + I) rem 256)>> || I <- lists:seq(1, 1000) >>,
    Writer = spawn_link(fun() -> [ok = gen_tcp:send(S, Chunk) || _ <- lists:seq(1, ?STREAM_BYTES div 1000)] end),
    Sum = read_stream(S, ?STREAM_BYTES, 0),
    unlink(Writer),
    ok = gen_tcp:close(S),
    Sum.

read_stream(_, 0, Sum) -> Sum;
read_stream(S, Left, Sum) ->
    receive
        {tcp, S, D} -> read_stream(S, Left - byte_size(D), Sum + lists:sum(binary_to_list(D)))
    after 10000 -> {stuck, Left}
    end.

%% Connects, says something, and exits with the socket open: its handler
%% sees the close.
dying_client(Port) ->
    {ok, S} = gen_tcp:connect(?LO, Port, [binary, {active, false}]),
    ok = gen_tcp:send(S, <<"p">>),
    ok = inet:setopts(S, [{packet, 4}]),
    ok = gen_tcp:send(S, <<"bye">>),
    exit(done).

wait_dead(Pids) ->
    [begin Ref = monitor(process, P), receive {'DOWN', Ref, _, _, _} -> ok end end || P <- Pids].

left(Before, 0) -> erlang:ports() -- Before;
left(Before, N) ->
    case erlang:ports() -- Before of
        [] -> [];
        _ -> timer:sleep(10), left(Before, N - 1)
    end.

