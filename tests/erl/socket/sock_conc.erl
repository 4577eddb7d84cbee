%% Sockets from many processes at once: several acceptors on one listening
%% socket, clients echoing in parallel (each message waits in recv, so the
%% poller wakes readers on every scheduler), UDP senders into one receiver,
%% and sockets closed by their owners' exits while others wait on them.
-module(sock_conc).
-export([main/0]).

-define(CLIENTS, 24).
-define(ROUNDS, 40).

main() ->
    {ok, L} = socket:open(inet, stream, tcp),
    ok = socket:bind(L, #{family => inet, addr => loopback, port => 0}),
    ok = socket:listen(L, 64),
    {ok, Addr} = socket:sockname(L),
    Acceptors = [spawn_link(fun() -> acceptor(L) end) || _ <- lists:seq(1, 4)],
    Self = self(),
    [spawn_link(fun() -> Self ! {client, N, client(Addr, N)} end) || N <- lists:seq(1, ?CLIENTS)],
    Results = [receive {client, N, R} -> R end || N <- lists:seq(1, ?CLIENTS)],
    io:format("tcp clients ok ~p of ~p~n", [length([ok || ok <- Results]), ?CLIENTS]),
    [unlink(A) || A <- Acceptors],
    ok = socket:close(L),
    udp_fan_in(),
    owners_exit(),
    io:format("sockets left ~p~n", [settle(100)]).

%% The echo processes close their sockets when they see the clients' ends.
settle(0) -> socket:number_of();
settle(N) ->
    case socket:number_of() of
        0 -> 0;
        _ -> timer:sleep(50), settle(N - 1)
    end.

acceptor(L) ->
    case socket:accept(L) of
        {ok, S} ->
            Pid = spawn(fun() -> receive go -> echo(S) end end),
            ok = socket:setopt(S, {otp, controlling_process}, Pid),
            Pid ! go,
            acceptor(L);
        {error, closed} -> ok
    end.

echo(S) ->
    case socket:recv(S, 0) of
        {ok, D} -> ok = socket:send(S, D), echo(S);
        {error, closed} -> socket:close(S)
    end.

client(Addr, N) ->
    {ok, S} = socket:open(inet, stream, tcp),
    ok = socket:connect(S, Addr, 5000),
    R = rounds(S, N, 1),
    socket:close(S),
    R.

rounds(_S, _N, R) when R > ?ROUNDS -> ok;
rounds(S, N, R) ->
    Msg = list_to_binary(io_lib:format("client ~p round ~p", [N, R])),
    ok = socket:send(S, Msg),
    case socket:recv(S, byte_size(Msg), 5000) of
        {ok, Msg} -> rounds(S, N, R + 1);
        Other -> {bad, N, R, Other}
    end.

udp_fan_in() ->
    {ok, U} = socket:open(inet, dgram, udp),
    ok = socket:bind(U, #{family => inet, addr => loopback, port => 0}),
    {ok, Addr} = socket:sockname(U),
    Senders = 8, Each = 25,
    [spawn(fun() ->
                   {ok, S} = socket:open(inet, dgram, udp),
                   [ok = socket:sendto(S, <<I:8, J:8>>, Addr) || J <- lists:seq(1, Each)],
                   socket:close(S)
           end) || I <- lists:seq(1, Senders)],
    Got = collect(U, Senders * Each, []),
    io:format("udp datagrams ~p distinct ~p~n", [length(Got), length(lists:usort(Got))]),
    socket:close(U).

collect(_U, 0, Acc) -> Acc;
collect(U, N, Acc) ->
    case socket:recvfrom(U, 0, 5000) of
        {ok, {_, D}} -> collect(U, N - 1, [D | Acc]);
        {error, timeout} -> Acc
    end.

%% Each owner opens a socket, a second process waits in recv on it, and the
%% owner exits: the waiter gets closed, the monitor 'DOWN'.
owners_exit() ->
    Self = self(),
    N = 16,
    [spawn(fun() ->
                   {ok, S} = socket:open(inet, dgram, udp),
                   ok = socket:bind(S, #{family => inet, addr => loopback, port => 0}),
                   spawn(fun() -> Self ! {waited, socket:recv(S, 0)} end),
                   Self ! {opened, S},
                   receive after 50 -> exit(done) end
           end) || _ <- lists:seq(1, N)],
    Socks = [receive {opened, S} -> S end || _ <- lists:seq(1, N)],
    Refs = [socket:monitor(S) || S <- Socks],
    Downs = [receive {'DOWN', R, socket, _, I} -> I after 5000 -> none end || R <- Refs],
    Waits = [receive {waited, W} -> W after 5000 -> none end || _ <- Socks],
    io:format("downs ~p~nwaiters ~p~n", [lists:usort(Downs), lists:usort(Waits)]).
