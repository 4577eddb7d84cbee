-module(inet_echo).
-export([main/0]).

%% TCP echo round trips over loopback: 4 clients, each 10,000 times sends a
%% {packet, 4} message and waits for its echo (passive recv); one handler per
%% connection echoes in {active, once} mode. Measures prim_inet's port
%% protocol, the tcp_inet driver's send and framing, and the poller's
%% wake-ups on both sides.

-define(CLIENTS, 4).
-define(ROUNDS, 10000).
-define(RUNS, 3).

main() ->
    {ok, L} = gen_tcp:listen(0, [binary, {active, false}, {ip, {127,0,0,1}}, {packet, 4}]),
    {ok, Port} = inet:port(L),
    {Best, Sum} = bench_time:best(?RUNS, fun() -> run(L, Port) end),
    gen_tcp:close(L),
    io:format("CHECK inet_echo ~b clients x ~b round trips, sum ~b~n", [?CLIENTS, ?ROUNDS, Sum]),
    io:format("RESULT inet_echo ~b~n", [Best]).

run(L, Port) ->
    Self = self(),
    Clients = [spawn_link(fun() -> Self ! {sum, self(), client(Port, N)} end) || N <- lists:seq(1, ?CLIENTS)],
    [begin {ok, S} = gen_tcp:accept(L), serve(S) end || _ <- Clients],
    lists:sum([receive {sum, C, S} -> S end || C <- Clients]).

serve(S) ->
    H = spawn(fun() -> receive go -> inet:setopts(S, [{active, once}]), echo(S) end end),
    ok = gen_tcp:controlling_process(S, H),
    H ! go.

echo(S) ->
    receive
        {tcp, S, D} ->
            gen_tcp:send(S, D),
            inet:setopts(S, [{active, once}]),
            echo(S);
        {tcp_closed, S} ->
            ok
    end.

client(Port, N) ->
    {ok, S} = gen_tcp:connect({127,0,0,1}, Port, [binary, {active, false}, {packet, 4}, {nodelay, true}]),
    Sum = loop(S, N, ?ROUNDS, 0),
    gen_tcp:close(S),
    Sum.

loop(_, _, 0, Sum) -> Sum;
loop(S, N, I, Sum) ->
    ok = gen_tcp:send(S, integer_to_binary(N * I)),
    {ok, D} = gen_tcp:recv(S, 0),
    loop(S, N, I - 1, Sum + binary_to_integer(D)).

