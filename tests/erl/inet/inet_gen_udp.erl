%% gen_udp over udp_inet: passive recv with and without time-outs, the
%% active modes (true, once, {active, N} with udp_passive), list and binary
%% mode, addresses of the sender, inet:port/sockname, options, errors.
-module(inet_gen_udp).
-export([main/0]).

-define(LO, {127,0,0,1}).

main() ->
    passive(),
    active(),
    active_once(),
    active_n(),
    list_mode(),
    options(),
    errors(),
    ok.

passive() ->
    {ok, A} = gen_udp:open(0, [binary, {active, false}, {ip, ?LO}]),
    {ok, B} = gen_udp:open(0, [binary, {active, false}, {ip, ?LO}]),
    {ok, PA} = inet:port(A),
    {ok, PB} = inet:port(B),
    io:format("sockname is loopback and port: ~p~n", [inet:sockname(A) =:= {ok, {?LO, PA}}]),
    ok = gen_udp:send(A, ?LO, PB, <<"hello">>),
    ok = gen_udp:send(A, {?LO, PB}, [<<"io">>, $l, "ist"]),
    {ok, {From, FromPort, D1}} = gen_udp:recv(B, 0, 2000),
    io:format("recv: ~p from A: ~p~n", [D1, {From, FromPort} =:= {?LO, PA}]),
    {ok, {_, _, D2}} = gen_udp:recv(B, 100, 2000),
    io:format("recv iolist: ~p~n", [D2]),
    io:format("recv timeout: ~p~n", [gen_udp:recv(B, 0, 20)]),
    io:format("recv 0 timeout: ~p~n", [gen_udp:recv(B, 0, 0)]),
    %% many datagrams queue up and come out in order
    [ok = gen_udp:send(A, ?LO, PB, integer_to_binary(I)) || I <- lists:seq(1, 8)],
    Got = [begin {ok, {_, _, D}} = gen_udp:recv(B, 0, 2000), binary_to_integer(D) end
           || _ <- lists:seq(1, 8)],
    io:format("8 in order: ~p~n", [Got =:= lists:seq(1, 8)]),
    %% an empty datagram
    ok = gen_udp:send(A, ?LO, PB, <<>>),
    io:format("empty: ~p~n", [element(3, element(2, gen_udp:recv(B, 0, 2000)))]),
    %% a recv waiting in another process gets the datagram sent later
    Self = self(),
    spawn(fun() -> Self ! {got, gen_udp:recv(B, 0, 2000)} end),
    timer:sleep(20),
    ok = gen_udp:send(A, ?LO, PB, <<"later">>),
    receive {got, {ok, {_, _, L}}} -> io:format("waiting recv: ~p~n", [L]) end,
    ok = gen_udp:close(A),
    ok = gen_udp:close(B).

active() ->
    {ok, A} = gen_udp:open(0, [binary, {ip, ?LO}]),
    {ok, B} = gen_udp:open(0, [binary, {ip, ?LO}]),
    {ok, PA} = inet:port(A),
    {ok, PB} = inet:port(B),
    io:format("default active: ~p~n", [inet:getopts(B, [active])]),
    ok = gen_udp:send(A, ?LO, PB, <<"ping">>),
    receive {udp, B, ?LO, PA, Ping} -> io:format("active got ~p~n", [Ping]) after 2000 -> io:format("lost~n") end,
    ok = gen_udp:send(B, ?LO, PA, <<"pong">>),
    receive {udp, A, ?LO, PB, Pong} -> io:format("active got ~p~n", [Pong]) after 2000 -> io:format("lost~n") end,
    io:format("recv on active: ~p~n", [gen_udp:recv(B, 0, 10)]),
    gen_udp:close(A),
    gen_udp:close(B).

active_once() ->
    {ok, A} = gen_udp:open(0, [binary, {ip, ?LO}, {active, false}]),
    {ok, B} = gen_udp:open(0, [binary, {ip, ?LO}, {active, once}]),
    {ok, PB} = inet:port(B),
    [ok = gen_udp:send(A, ?LO, PB, <<I>>) || I <- [1, 2, 3]],
    receive {udp, B, _, _, <<1>>} -> ok end,
    timer:sleep(20),
    io:format("after once: ~p ~p~n", [inet:getopts(B, [active]), flush()]),
    ok = inet:setopts(B, [{active, once}]),
    receive {udp, B, _, _, Two} -> io:format("once again: ~p~n", [Two]) end,
    {ok, {_, _, Three}} = gen_udp:recv(B, 0, 2000),
    io:format("then passive recv: ~p~n", [Three]),
    gen_udp:close(A),
    gen_udp:close(B).

active_n() ->
    {ok, A} = gen_udp:open(0, [binary, {ip, ?LO}, {active, false}]),
    {ok, B} = gen_udp:open(0, [binary, {ip, ?LO}, {active, 3}]),
    {ok, PB} = inet:port(B),
    io:format("active n: ~p~n", [inet:getopts(B, [active])]),
    [ok = gen_udp:send(A, ?LO, PB, <<I>>) || I <- lists:seq(1, 5)],
    Msgs = [receive {udp, B, _, _, <<I>>} -> I end || _ <- [1, 2, 3]],
    receive {udp_passive, B} -> io:format("udp_passive after ~p~n", [Msgs]) end,
    io:format("now: ~p~n", [inet:getopts(B, [active])]),
    ok = inet:setopts(B, [{active, 1}]),
    receive {udp, B, _, _, <<4>>} -> ok end,
    receive {udp_passive, B} -> io:format("udp_passive again~n") end,
    ok = inet:setopts(B, [{active, 2}]),
    receive {udp, B, _, _, <<5>>} -> ok end,
    ok = inet:setopts(B, [{active, -5}]),
    receive {udp_passive, B} -> io:format("negative count: passive~n") after 500 -> ok end,
    io:format("n too large: ~p~n", [inet:setopts(B, [{active, 40000}])]),
    gen_udp:close(A),
    gen_udp:close(B),
    io:format("left: ~p~n", [flush()]).

list_mode() ->
    {ok, A} = gen_udp:open(0, [{ip, ?LO}, {active, false}]),
    {ok, B} = gen_udp:open(0, [list, {ip, ?LO}]),
    {ok, PB} = inet:port(B),
    {ok, PA} = inet:port(A),
    io:format("mode: ~p~n", [inet:getopts(A, [mode])]),
    ok = gen_udp:send(A, ?LO, PB, "abc"),
    receive {udp, B, _, _, L} -> io:format("list active: ~p~n", [L]) end,
    ok = gen_udp:send(B, ?LO, PA, <<"xyz">>),
    {ok, {_, _, L2}} = gen_udp:recv(A, 0, 2000),
    io:format("list passive: ~p~n", [L2]),
    ok = inet:setopts(A, [binary]),
    ok = gen_udp:send(B, ?LO, PA, "bin"),
    {ok, {_, _, B3}} = gen_udp:recv(A, 0, 2000),
    io:format("switched to binary: ~p~n", [B3]),
    gen_udp:close(A),
    gen_udp:close(B).

options() ->
    {ok, S} = gen_udp:open(0, [{ip, ?LO}, {active, false}, {recbuf, 65536}, {reuseaddr, true},
                                {broadcast, true}]),
    {ok, Opts} = inet:getopts(S, [active, mode, reuseaddr, broadcast, read_packets, header,
                                  deliver, multicast_loop, multicast_ttl, dontroute]),
    io:format("options: ~p~n", [Opts]),
    {ok, [{recbuf, R}]} = inet:getopts(S, [recbuf]),
    io:format("recbuf at least asked: ~p~n", [R >= 65536]),
    io:format("bad option: ~p ~p~n", [inet:setopts(S, [{bogus, 1}]), inet:getopts(S, [bogus])]),
    io:format("bad value: ~p~n", [inet:setopts(S, [{active, sometimes}])]),
    io:format("active 7: ~p ~p~n", [inet:setopts(S, [{active, 7}]), inet:getopts(S, [active])]),
    ok = inet:setopts(S, [{active, false}]),
    io:format("type: ~p~n", [prim_inet:gettype(S)]),
    gen_udp:close(S).

errors() ->
    {ok, S} = gen_udp:open(0, [{ip, ?LO}, {active, false}]),
    io:format("send to bad address: ~p~n", [error_of(fun() -> gen_udp:send(S, {1,2,3}, 5, "x") end)]),
    io:format("send to bad port: ~p~n", [error_of(fun() -> gen_udp:send(S, ?LO, -1, "x") end)]),
    ok = gen_udp:close(S),
    io:format("send after close: ~p~n", [gen_udp:send(S, ?LO, 9, "x")]),
    io:format("recv after close: ~p~n", [gen_udp:recv(S, 0, 10)]),
    io:format("close twice: ~p~n", [gen_udp:close(S)]),
    {ok, T} = gen_udp:open(0, [{ip, ?LO}]),
    {ok, PT} = inet:port(T),
    io:format("port in use: ~p~n", [gen_udp:open(PT, [{ip, ?LO}])]),
    gen_udp:close(T),
    %% the owner's death closes its socket
    Self = self(),
    Pid = spawn(fun() -> {ok, U} = gen_udp:open(0, [{ip, ?LO}]), Self ! {sock, U}, receive stop -> ok end end),
    U = receive {sock, X} -> X end,
    Ref = monitor(process, Pid),
    Pid ! stop,
    receive {'DOWN', Ref, _, _, _} -> ok end,
    timer:sleep(20),
    io:format("closed with its owner: ~p~n", [erlang:port_info(U)]).

error_of(F) ->
    try F() catch Class:Reason -> {Class, Reason} end.

flush() ->
    receive M -> [M | flush()] after 0 -> [] end.

