%% Sockets opened and closed by the thousand from many processes at once, in
%% every way they can end (closed by their owner, by the peer, by the owner's
%% death, with output still queued, with a recv or accept waiting): no
%% descriptor and no port may be left behind.
-module(inet_stress).
-export([main/0]).

-define(LO, {127,0,0,1}).
-define(WORKERS, 8).
-define(ROUNDS, 150).

main() ->
    Fds = fds(),
    Ports = erlang:ports(),
    Self = self(),
    Ws = [spawn_link(fun() -> worker(N), Self ! {done, self()} end) || N <- lists:seq(1, ?WORKERS)],
    [receive {done, W} -> ok end || W <- Ws],
    io:format("workers done: ~p~n", [length(Ws)]),
    io:format("ports left: ~p~n", [settle(fun() -> erlang:ports() -- Ports end, 200)]),
    io:format("descriptors left: ~p~n", [settle(fun() -> fds() -- Fds end, 200)]).

worker(N) ->
    {ok, L} = gen_tcp:listen(0, [binary, {active, false}, {ip, ?LO}]),
    {ok, Port} = inet:port(L),
    [round(L, Port, N, I) || I <- lists:seq(1, ?ROUNDS)],
    ok = gen_tcp:close(L).

round(L, Port, N, I) ->
    {ok, C} = gen_tcp:connect(?LO, Port, [binary, {active, false}]),
    {ok, A} = gen_tcp:accept(L, 5000),
    case (N + I) rem 5 of
        0 -> ok = gen_tcp:send(C, <<"x">>), {ok, _} = gen_tcp:recv(A, 1, 5000),
             gen_tcp:close(C), {error, closed} = gen_tcp:recv(A, 0, 5000), gen_tcp:close(A);
        1 -> ok = inet:setopts(C, [{active, true}]), gen_tcp:close(A),
             receive {tcp_closed, C} -> ok after 5000 -> exit(no_close) end;
        2 -> Pid = spawn(fun() -> receive _ -> ok end end),
             ok = gen_tcp:controlling_process(A, Pid), exit(Pid, kill),
             {error, closed} = gen_tcp:recv(C, 0, 5000), gen_tcp:close(C);
        3 -> ok = gen_tcp:send(A, binary:copy(<<"q">>, 200000)), gen_tcp:close(A),
             200000 = drain(C, 0), gen_tcp:close(C);
        4 -> Self = self(),
             spawn(fun() -> Self ! {r, gen_tcp:recv(A, 0)} end), timer:sleep(1),
             gen_tcp:close(A), receive {r, _} -> ok end, gen_tcp:close(C)
    end,
    {ok, U} = gen_udp:open(0, [{ip, ?LO}]),
    {ok, UP} = inet:port(U),
    ok = gen_udp:send(U, ?LO, UP, <<"u">>),
    receive {udp, U, _, _, _} -> ok after 5000 -> exit(no_udp) end,
    gen_udp:close(U).

drain(S, N) ->
    case gen_tcp:recv(S, 0, 5000) of
        {ok, D} -> drain(S, N + byte_size(D));
        {error, closed} -> N
    end.

fds() ->
    {ok, Names} = file:list_dir("/proc/self/fd"),
    lists:sort(Names).

settle(F, 0) -> F();
settle(F, N) ->
    case F() of
        [] -> [];
        _ -> timer:sleep(10), settle(F, N - 1)
    end.

