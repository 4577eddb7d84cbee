%% gen_tcp over tcp_inet: listen/accept/connect, passive recv (a packet,
%% exactly N bytes, time-outs), the active modes (true, once, {active, N}
%% with tcp_passive), packet modes raw/1/2/4/line, list and binary mode,
%% options, names, shutdown, controlling_process, large transfers through
%% the output queue, and what each side sees when the other closes.
-module(inet_gen_tcp).
-export([main/0]).

-define(LO, {127,0,0,1}).

main() ->
    {ok, L} = gen_tcp:listen(0, [binary, {active, false}, {ip, ?LO}]),
    {ok, Port} = inet:port(L),
    names(L, Port),
    passive(L, Port),
    active(L, Port),
    packets(L, Port),
    lines(L, Port),
    list_mode(L, Port),
    options(L, Port),
    shutdown(L, Port),
    owner(L, Port),
    big(L, Port),
    closing(L, Port),
    acceptors(L, Port),
    errors(L, Port),
    ok = gen_tcp:close(L),
    io:format("connect after listener closed: ~p~n", [gen_tcp:connect(?LO, Port, [])]),
    ok.

pair(L, Port, Opts) ->
    {ok, C} = gen_tcp:connect(?LO, Port, Opts),
    {ok, A} = gen_tcp:accept(L, 2000),
    {C, A}.

names(L, Port) ->
    {C, A} = pair(L, Port, [binary, {active, false}]),
    {ok, CName} = inet:sockname(C),
    {ok, APeer} = inet:peername(A),
    {ok, AName} = inet:sockname(A),
    {ok, CPeer} = inet:peername(C),
    io:format("names cross: ~p ~p~n", [CName =:= APeer, AName =:= CPeer]),
    io:format("accepted on the listening port: ~p~n", [AName =:= {?LO, Port}]),
    io:format("listener peername: ~p~n", [inet:peername(L)]),
    io:format("listener sockname: ~p~n", [inet:sockname(L) =:= {ok, {?LO, Port}}]),
    close_pair(C, A).

close_pair(C, A) ->
    ok = gen_tcp:close(C),
    ok = gen_tcp:close(A).

passive(L, Port) ->
    {C, A} = pair(L, Port, [binary, {active, false}]),
    ok = gen_tcp:send(C, <<"hello world">>),
    io:format("recv 5: ~p~n", [gen_tcp:recv(A, 5, 2000)]),
    io:format("recv 6: ~p~n", [gen_tcp:recv(A, 6, 2000)]),
    io:format("recv timeout: ~p~n", [gen_tcp:recv(A, 0, 30)]),
    io:format("recv 0 timeout: ~p~n", [gen_tcp:recv(A, 0, 0)]),
    ok = gen_tcp:send(A, [<<"io">>, "list", [$!]]),
    io:format("recv all: ~p~n", [recv_n(C, 7, <<>>)]),
    %% a recv waiting in another process gets data sent later
    Self = self(),
    spawn(fun() -> Self ! {got, gen_tcp:recv(A, 3, 2000)} end),
    timer:sleep(20),
    ok = gen_tcp:send(C, "abc"),
    receive {got, G} -> io:format("waiting recv: ~p~n", [G]) end,
    %% recv N gathers several sends
    [ok = gen_tcp:send(C, <<I>>) || I <- lists:seq(1, 10)],
    io:format("recv 10 of 10 sends: ~p~n", [gen_tcp:recv(A, 10, 2000)]),
    ok = prim_inet:unrecv(A, <<"back">>),
    io:format("unrecv: ~p~n", [gen_tcp:recv(A, 4, 2000)]),
    ok = inet:setopts(A, [{header, 2}]),
    ok = gen_tcp:send(C, <<"header">>),
    io:format("header 2: ~p~n", [gen_tcp:recv(A, 6, 2000)]),
    ok = gen_tcp:send(C, <<"h">>),
    io:format("header 2 of 1 byte: ~p~n", [gen_tcp:recv(A, 1, 2000)]),
    ok = gen_tcp:send(C, <<"hh">>),
    io:format("header 2 of 2 bytes: ~p~n", [gen_tcp:recv(A, 2, 2000)]),
    ok = inet:setopts(A, [{header, 0}]),
    close_pair(C, A).

recv_n(_, 0, Acc) -> Acc;
recv_n(S, N, Acc) ->
    {ok, D} = gen_tcp:recv(S, 0, 2000),
    recv_n(S, N - byte_size(D), <<Acc/binary, D/binary>>).

active(L, Port) ->
    {C, A} = pair(L, Port, [binary, {active, true}]),
    io:format("accepted socket copies the listener's active: ~p~n", [inet:getopts(A, [active])]),
    ok = inet:setopts(A, [{active, true}]),
    ok = gen_tcp:send(C, <<"to a">>),
    io:format("active: ~p~n", [collect(A, 4, <<>>)]),
    ok = gen_tcp:send(A, <<"to c">>),
    io:format("active: ~p~n", [collect(C, 4, <<>>)]),
    io:format("recv on active: ~p~n", [gen_tcp:recv(C, 0, 10)]),
    %% once, with packets so each message is one send
    ok = inet:setopts(A, [{packet, 2}, {active, once}]),
    ok = inet:setopts(C, [{packet, 2}]),
    [ok = gen_tcp:send(C, <<I>>) || I <- [1, 2, 3]],
    receive {tcp, A, One} -> io:format("once: ~p~n", [One]) end,
    timer:sleep(20),
    io:format("after once: ~p ~p~n", [inet:getopts(A, [active]), flush()]),
    ok = inet:setopts(A, [{active, 2}]),
    Two = [receive {tcp, A, D} -> D end || _ <- [1, 2]],
    receive {tcp_passive, A} -> io:format("tcp_passive after ~p~n", [Two]) end,
    io:format("now: ~p~n", [inet:getopts(A, [active])]),
    ok = inet:setopts(A, [{active, 5}]),
    ok = inet:setopts(A, [{active, -2}]),
    io:format("5 - 2: ~p~n", [inet:getopts(A, [active])]),
    ok = inet:setopts(A, [{active, -3}]),
    receive {tcp_passive, A} -> io:format("count to 0: passive~n") end,
    close_pair(C, A),
    io:format("left: ~p~n", [flush()]).

collect(_, 0, Acc) -> Acc;
collect(S, N, Acc) ->
    receive {tcp, S, D} -> collect(S, N - byte_size(D), <<Acc/binary, D/binary>>)
    after 2000 -> {lost, Acc}
    end.

packets(L, Port) ->
    [begin
         {C, A} = pair(L, Port, [binary, {active, false}, {packet, N}]),
         ok = inet:setopts(A, [{packet, N}]),
         ok = gen_tcp:send(C, <<"first">>),
         ok = gen_tcp:send(C, <<>>),
         ok = gen_tcp:send(C, binary:copy(<<"x">>, 200)),
         {ok, P1} = gen_tcp:recv(A, 0, 2000),
         {ok, P2} = gen_tcp:recv(A, 0, 2000),
         {ok, P3} = gen_tcp:recv(A, 0, 2000),
         io:format("packet ~p: ~p ~p ~p~n", [N, P1, P2, byte_size(P3)]),
         io:format("packet ~p recv N: ~p~n", [N, gen_tcp:recv(A, 3, 10)]),
         %% the header as raw bytes on the other side
         ok = inet:setopts(A, [{packet, raw}]),
         ok = gen_tcp:send(C, <<"ab">>),
         io:format("packet ~p on the wire: ~p~n", [N, gen_tcp:recv(A, N + 2, 2000)]),
         close_pair(C, A)
     end || N <- [1, 2, 4]],
    {C, A} = pair(L, Port, [binary, {active, false}, {packet, 1}]),
    io:format("packet 1 too big: ~p~n", [gen_tcp:send(C, binary:copy(<<"y">>, 300))]),
    ok = inet:setopts(A, [{packet, 4}, {packet_size, 10}]),
    ok = inet:setopts(C, [{packet, 4}]),
    ok = gen_tcp:send(C, binary:copy(<<"z">>, 20)),
    io:format("over packet_size: ~p~n", [gen_tcp:recv(A, 0, 2000)]),
    close_pair(C, A).

lines(L, Port) ->
    {C, A} = pair(L, Port, [binary, {active, false}]),
    ok = inet:setopts(A, [{packet, line}]),
    ok = gen_tcp:send(C, <<"one\ntwo\nthr">>),
    ok = gen_tcp:send(C, <<"ee\n">>),
    io:format("lines: ~p~n", [[element(2, gen_tcp:recv(A, 0, 2000)) || _ <- [1, 2, 3]]]),
    ok = inet:setopts(A, [{active, true}]),
    ok = gen_tcp:send(C, <<"four\nfive\n">>),
    io:format("active lines: ~p~n", [[receive {tcp, A, D} -> D end || _ <- [1, 2]]]),
    ok = inet:setopts(A, [{line_delimiter, $;}]),
    ok = gen_tcp:send(C, <<"a;b;">>),
    io:format("delimiter: ~p~n", [[receive {tcp, A, D} -> D end || _ <- [1, 2]]]),
    close_pair(C, A),
    flush().

list_mode(L, Port) ->
    {C, A} = pair(L, Port, [list, {active, false}]),
    ok = inet:setopts(A, [list]),
    ok = gen_tcp:send(C, <<"bytes">>),
    io:format("list recv: ~p~n", [gen_tcp:recv(A, 5, 2000)]),
    ok = inet:setopts(A, [{active, once}]),
    ok = gen_tcp:send(C, "more"),
    receive {tcp, A, D} -> io:format("list active: ~p~n", [D]) end,
    close_pair(C, A).

options(L, Port) ->
    {C, A} = pair(L, Port, [binary, {active, false}, {nodelay, true}, {keepalive, true},
                            {send_timeout, 5000}, {exit_on_close, false}]),
    {ok, Opts} = inet:getopts(C, [active, packet, mode, nodelay, keepalive, reuseaddr, header,
                                  exit_on_close, send_timeout, send_timeout_close, linger,
                                  packet_size, delay_send, high_watermark, low_watermark,
                                  high_msgq_watermark, low_msgq_watermark, show_econnreset,
                                  deliver, tos, priority, dontroute, read_packets]),
    io:format("options: ~p~n", [Opts]),
    ok = inet:setopts(C, [{linger, {true, 3}}, {nodelay, false}, {delay_send, true}, {header, 2}]),
    io:format("changed: ~p~n", [inet:getopts(C, [linger, nodelay, delay_send, header])]),
    {ok, [{sndbuf, Snd}, {recbuf, Rcv}]} = inet:getopts(C, [sndbuf, recbuf]),
    io:format("buffers positive: ~p~n", [Snd > 0 andalso Rcv > 0]),
    io:format("listener options: ~p~n", [inet:getopts(L, [active, mode, packet])]),
    io:format("bad: ~p ~p ~p ~p~n", [inet:setopts(C, [{packet, bogus}]), inet:setopts(C, [{nodelay, 3}]),
                                  inet:getopts(C, [nosuch]), inet:getopts(C, [line_delimiter])]),
    io:format("stat keys: ~p~n", [[K || {K, _} <- element(2, inet:getstat(C))]]),
    ok = gen_tcp:send(C, <<"12345">>),
    {ok, _} = gen_tcp:recv(A, 5, 2000),
    io:format("stat counts: ~p ~p~n", [inet:getstat(C, [send_cnt, send_oct, send_max]),
                                       inet:getstat(A, [recv_oct, recv_cnt])]),
    close_pair(C, A).

shutdown(L, Port) ->
    {C, A} = pair(L, Port, [binary, {active, false}]),
    ok = gen_tcp:send(C, <<"before">>),
    ok = gen_tcp:shutdown(C, write),
    io:format("after peer's shutdown: ~p ~p~n", [gen_tcp:recv(A, 6, 2000), gen_tcp:recv(A, 0, 2000)]),
    io:format("shut side still reads: ~p~n", [element(1, gen_tcp:recv(C, 0, 50))]),
    io:format("send on shut side: ~p~n", [gen_tcp:send(C, <<"x">>)]),
    close_pair(C, A).

owner(L, Port) ->
    {C, A} = pair(L, Port, [binary, {active, true}, {packet, 2}]),
    ok = inet:setopts(A, [{active, true}, {packet, 2}]),
    Self = self(),
    New = spawn(fun() -> receive go -> ok end,
                         receive {tcp, A, D} -> Self ! {new_owner_got, D} end,
                         receive {tcp, A, D2} -> Self ! {new_owner_got, D2} end end),
    ok = gen_tcp:send(C, <<"early">>),
    timer:sleep(20),
    io:format("controlling_process: ~p~n", [gen_tcp:controlling_process(A, New)]),
    io:format("not the owner any more: ~p~n", [gen_tcp:controlling_process(A, self())]),
    New ! go,
    ok = gen_tcp:send(C, <<"late">>),
    Ref = monitor(process, New),
    [receive {new_owner_got, D} -> io:format("new owner got ~p~n", [D]) end || _ <- [1, 2]],
    %% the owner's death closes the socket: the peer sees it
    receive {'DOWN', Ref, _, _, _} -> ok end,
    receive {tcp_closed, C} -> io:format("peer saw the owner die~n") after 2000 -> io:format("no close~n") end,
    io:format("old owner has: ~p~n", [flush()]),
    ok = gen_tcp:close(C).

big(L, Port) ->
    {C, A} = pair(L, Port, [binary, {active, false}]),
    Data = << <<(I rem 251)>> || I <- lists:seq(1, 3000000) >>,
    Self = self(),
    spawn(fun() -> Self ! {sent, gen_tcp:send(C, Data)} end),
    timer:sleep(50), %% the reader starts late: the writer's queue fills
    Got = recv_n(A, byte_size(Data), <<>>),
    receive {sent, R} -> io:format("3 MB sent: ~p~n", [R]) end,
    io:format("3 MB received intact: ~p~n", [Got =:= Data]),
    %% closing with output still queued delivers it first
    ok = gen_tcp:send(A, Data),
    ok = gen_tcp:close(A),
    io:format("queued output arrives after close: ~p~n", [recv_n(C, byte_size(Data), <<>>) =:= Data]),
    io:format("then: ~p~n", [gen_tcp:recv(C, 0, 2000)]),
    ok = gen_tcp:close(C).

closing(L, Port) ->
    {C, A} = pair(L, Port, [binary, {active, false}]),
    ok = gen_tcp:close(C),
    io:format("passive recv: ~p~n", [gen_tcp:recv(A, 0, 2000)]),
    io:format("passive recv again: ~p~n", [gen_tcp:recv(A, 0, 2000)]),
    io:format("passive send: ~p~n", [gen_tcp:send(A, <<"x">>)]),
    io:format("passive send again: ~p~n", [gen_tcp:send(A, <<"x">>)]),
    io:format("port still there: ~p~n", [erlang:port_info(A, connected) =/= undefined]),
    io:format("close: ~p~n", [gen_tcp:close(A)]),
    {C2, A2} = pair(L, Port, [binary, {active, true}]),
    ok = gen_tcp:close(A2),
    receive {tcp_closed, C2} -> io:format("active: tcp_closed~n") after 2000 -> io:format("none~n") end,
    timer:sleep(20),
    io:format("active port gone: ~p~n", [erlang:port_info(C2)]),
    io:format("active send: ~p~n", [gen_tcp:send(C2, <<"x">>)]),
    io:format("active recv: ~p~n", [gen_tcp:recv(C2, 0)]),
    io:format("close: ~p~n", [gen_tcp:close(C2)]),
    %% data sent just before the close still comes, then the close
    {C3, A3} = pair(L, Port, [binary, {active, true}, {packet, 4}]),
    ok = inet:setopts(A3, [{packet, 4}]),
    ok = gen_tcp:send(A3, <<"last words">>),
    ok = gen_tcp:close(A3),
    receive {tcp, C3, W} -> io:format("got ~p~n", [W]) end,
    receive {tcp_closed, C3} -> io:format("then tcp_closed~n") end,
    %% exit_on_close false: the socket stays to send
    {C4, A4} = pair(L, Port, [binary, {active, true}, {exit_on_close, false}]),
    ok = gen_tcp:shutdown(A4, write),
    receive {tcp_closed, C4} -> io:format("half closed~n") end,
    io:format("send after tcp_closed: ~p~n", [gen_tcp:send(C4, <<"still">>)]),
    io:format("other side gets it: ~p~n", [gen_tcp:recv(A4, 5, 2000)]),
    close_pair(C4, A4),
    io:format("left: ~p~n", [flush()]).

acceptors(L, Port) ->
    Self = self(),
    Ps = [spawn(fun() -> {ok, S} = gen_tcp:accept(L, 2000),
                         {ok, D} = gen_tcp:recv(S, 1, 2000),
                         Self ! {accepted, D},
                         gen_tcp:close(S) end) || _ <- [1, 2, 3]],
    timer:sleep(20),
    Cs = [begin {ok, C} = gen_tcp:connect(?LO, Port, [binary, {active, false}]),
                ok = gen_tcp:send(C, <<I>>), C end || I <- [1, 2, 3]],
    Got = lists:sort([receive {accepted, <<D>>} -> D end || _ <- Ps]),
    io:format("three acceptors: ~p~n", [Got]),
    [gen_tcp:close(C) || C <- Cs],
    io:format("accept timeout: ~p~n", [gen_tcp:accept(L, 30)]),
    io:format("accept 0: ~p~n", [gen_tcp:accept(L, 0)]),
    %% closing a listener answers the accepts waiting on it
    {ok, L2} = gen_tcp:listen(0, [{ip, ?LO}]),
    W = spawn(fun() -> Self ! {waited, gen_tcp:accept(L2)} end),
    timer:sleep(20),
    ok = gen_tcp:close(L2),
    receive {waited, R} -> io:format("accept on a closed listener: ~p~n", [R]) end,
    Ref = monitor(process, W),
    receive {'DOWN', Ref, _, _, _} -> ok end.

errors(L, Port) ->
    {ok, Free} = gen_tcp:listen(0, [{ip, ?LO}]),
    {ok, FreePort} = inet:port(Free),
    ok = gen_tcp:close(Free),
    io:format("refused: ~p~n", [gen_tcp:connect(?LO, FreePort, [])]),
    io:format("in use: ~p~n", [gen_tcp:listen(Port, [{ip, ?LO}])]),
    io:format("recv on listener: ~p~n", [gen_tcp:recv(L, 0, 10)]),
    io:format("send on listener: ~p~n", [gen_tcp:send(L, <<"x">>)]),
    io:format("bad address: ~p~n", [error_of(fun() -> gen_tcp:connect({1,2,3}, Port, []) end)]),
    io:format("bad option: ~p~n", [error_of(fun() -> gen_tcp:connect(?LO, Port, [{packet, 3}]) end)]),
    timer:sleep(20),
    flush().

error_of(F) ->
    try F() catch Class:Reason -> {Class, Reason} end.

flush() ->
    receive M -> [M | flush()] after 0 -> [] end.

