%% TCP over the socket module: open, bind, listen, accept, connect, send,
%% recv (exact length, length 0, after the peer closed), shutdown, addresses,
%% info and option values, and the errors of bad calls.
-module(sock_tcp).
-export([main/0]).

loop() -> #{family => inet, addr => loopback, port => 0}.

main() ->
    {ok, L} = socket:open(inet, stream, tcp),
    ok = socket:setopt(L, {socket, reuseaddr}, true),
    ok = socket:bind(L, loop()),
    ok = socket:listen(L),
    {ok, #{family := inet, addr := {127,0,0,1}, port := Port}} = socket:sockname(L),
    io:format("port nonzero ~p~n", [Port > 0]),
    Self = self(),
    spawn_link(fun() -> server(L, Self) end),
    {ok, C} = socket:open(inet, stream),
    ok = socket:connect(C, #{family => inet, addr => {127,0,0,1}, port => Port}),
    {ok, #{port := Port}} = socket:peername(C),
    ok = socket:send(C, <<"hello">>),
    io:format("echo ~p~n", [socket:recv(C, 5)]),
    ok = socket:send(C, [<<"io">>, "list", [$!]]),
    io:format("echo ~p~n", [socket:recv(C, 7, 2000)]),
    ok = socket:send(C, <<"big">>),
    io:format("len0 ~p~n", [socket:recv(C, 0, 2000)]),
    Big = binary:copy(<<"0123456789">>, 10000),
    ok = socket:send(C, Big),
    {ok, Back} = socket:recv(C, byte_size(Big), 5000),
    io:format("big echo ~p~n", [Back =:= Big]),
    io:format("info ~p~n", [maps:with([domain, type, protocol, ctype, num_readers, num_writers], socket:info(C))]),
    io:format("owner ~p~n", [maps:get(owner, socket:info(C)) =:= self()]),
    opts(C),
    errors(C),
    ok = socket:shutdown(C, write),
    receive {server, Result} -> io:format("server ~p~n", [Result]) end,
    io:format("after close ~p~n", [socket:recv(C, 0, 1000)]),
    ok = socket:close(C),
    io:format("closed ~p ~p ~p~n", [socket:send(C, <<"x">>), socket:recv(C, 1), socket:close(C)]),
    io:format("getopt closed ~p~n", [socket:getopt(C, {socket, type})]),
    ok = socket:close(L),
    refused().

server(L, Parent) ->
    {ok, A} = socket:accept(L, 2000),
    {ok, #{addr := {127,0,0,1}}} = socket:peername(A),
    echo(A),
    Parent ! {server, socket:close(A)}.

echo(A) ->
    case socket:recv(A, 0) of
        {ok, Data} -> ok = socket:send(A, Data), echo(A);
        {error, closed} -> ok
    end.

opts(S) ->
    Opts = [{socket, type}, {socket, domain}, {socket, protocol}, {socket, reuseaddr},
            {socket, keepalive}, {socket, acceptconn}, {socket, linger}, {socket, broadcast},
            {tcp, nodelay}, {ip, ttl}, {otp, rcvbuf}, {otp, debug}, {otp, iow},
            {otp, use_registry}, {otp, domain}, {otp, meta}, {otp, rcvctrlbuf}],
    [io:format("getopt ~p ~p~n", [O, socket:getopt(S, O)]) || O <- Opts],
    Sets = [{{tcp, nodelay}, true}, {{socket, keepalive}, true},
            {{socket, linger}, #{onoff => true, linger => 3}}, {{ip, tos}, lowdelay},
            {{otp, rcvbuf}, 4096}, {{otp, meta}, {some, "term", 1.5}},
            {{socket, reuseaddr}, 42}, {{socket, type}, dgram}, {{ip, ttl}, foo},
            {{socket, linger}, bad}, {{ip, ttl}, -5}, {{foo, bar}, 1}, {{ip, mtu}, 100}],
    [io:format("setopt ~p ~p~n", [O, socket:setopt(S, O, V)]) || {O, V} <- Sets],
    [io:format("getopt ~p ~p~n", [O, socket:getopt(S, O)])
     || O <- [{tcp, nodelay}, {socket, keepalive}, {socket, linger}, {ip, tos}, {otp, rcvbuf},
              {otp, meta}, {foo, bar}, {socket, error}]],
    io:format("native ~p~n", [socket:getopt_native(S, {socket, 2}, integer)]).

errors(S) ->
    io:format("bind bad ~p~n", [catch socket:bind(S, #{family => inet, addr => {1,2,3}})]),
    io:format("bind keys ~p~n", [catch socket:bind(S, #{family => inet, foo => 1})]),
    io:format("bind einval ~p~n", [socket:bind(S, loop())]),
    io:format("recv badarg ~p~n", [reason(catch socket:recv(S, -1))]),
    io:format("send badarg ~p~n", [reason(catch socket:send(foo, <<>>))]),
    io:format("open bad ~p~n", [catch socket:open(foo, stream, tcp)]),
    io:format("open bad ~p~n", [catch socket:open(inet, foo, tcp)]),
    io:format("open bad ~p~n", [catch socket:open(inet, stream, nosuchproto)]),
    io:format("listen dgram ~p~n", [begin {ok, U} = socket:open(inet, dgram), R = socket:listen(U), socket:close(U), R end]),
    io:format("accept unlistened ~p~n", [begin {ok, U2} = socket:open(inet, stream), R2 = socket:accept(U2, 0), socket:close(U2), R2 end]).

reason({'EXIT', {Reason, _Stack}}) -> Reason;
reason(Other) -> Other.

refused() ->
    {ok, L} = socket:open(inet, stream, tcp),
    ok = socket:bind(L, loop()),
    {ok, #{port := Port}} = socket:sockname(L),
    ok = socket:close(L),
    {ok, C} = socket:open(inet, stream, tcp),
    io:format("refused ~p~n", [socket:connect(C, #{family => inet, addr => loopback, port => Port})]),
    socket:close(C).
