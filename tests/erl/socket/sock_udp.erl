%% UDP over the socket module: sendto/recvfrom, sendmsg/recvmsg, recv on a
%% connected datagram socket, truncation to the asked length, local (Unix)
%% datagram sockets, and the errors of bad addresses.
-module(sock_udp).
-export([main/0]).

main() ->
    {ok, A} = socket:open(inet, dgram, udp),
    {ok, B} = socket:open(inet, dgram),
    ok = socket:bind(A, #{family => inet, addr => loopback, port => 0}),
    ok = socket:bind(B, #{family => inet, addr => loopback, port => 0}),
    {ok, AAddr} = socket:sockname(A),
    {ok, #{port := BPort} = BAddr} = socket:sockname(B),
    ok = socket:sendto(B, <<"ping">>, AAddr),
    {ok, {From, Data}} = socket:recvfrom(A, 0, 2000),
    io:format("recvfrom ~p ~p~n", [Data, From =:= BAddr]),
    ok = socket:sendto(A, <<"pong">>, From),
    {ok, {_, Pong}} = socket:recvfrom(B, 0, [], 2000),
    io:format("pong ~p~n", [Pong]),
    ok = socket:sendmsg(B, #{addr => AAddr, iov => [<<"a">>, <<"bc">>, <<>>, <<"def">>]}),
    {ok, Msg} = socket:recvmsg(A, 2000),
    io:format("recvmsg ~p ~p ~p~n", [maps:get(iov, Msg), maps:get(flags, Msg), maps:get(addr, Msg) =:= BAddr]),
    io:format("recvmsg keys ~p~n", [lists:sort(maps:keys(Msg))]),
    ok = socket:sendto(B, <<"0123456789">>, AAddr),
    {ok, {_, Trunc}} = socket:recvfrom(A, 4, 2000),
    io:format("truncated ~p~n", [Trunc]),
    ok = socket:connect(A, BAddr),
    ok = socket:send(A, <<"connected">>),
    io:format("recv ~p~n", [socket:recv(B, 0, 2000)]),
    io:format("timeout ~p~n", [socket:recvfrom(A, 0, 50)]),
    io:format("nowait ~p~n", [element(1, socket:recvfrom(A, 0, nowait))]),
    io:format("bad dest ~p~n", [socket:sendto(B, <<"x">>, #{family => inet, addr => {1,2,3,4,5}, port => 1})]),
    io:format("bad port ~p~n", [catch socket:sendto(B, <<"x">>, #{family => inet, addr => loopback, port => foo})]),
    io:format("info ~p~n", [maps:with([domain, type, protocol], socket:info(B))]),
    io:format("port ~p~n", [BPort > 0]),
    ok = socket:close(A), ok = socket:close(B),
    local().

local() ->
    Path = "/tmp/sock_udp_" ++ os:getpid(),
    file:delete(Path),
    {ok, S} = socket:open(local, dgram, default),
    ok = socket:bind(S, #{family => local, path => Path}),
    {ok, C} = socket:open(local, dgram, default),
    ok = socket:sendto(C, <<"over unix">>, #{family => local, path => Path}),
    io:format("local ~p~n", [socket:recv(S, 0, 2000)]),
    {ok, #{family := local, path := P}} = socket:sockname(S),
    io:format("local path ~p~n", [P =:= list_to_binary(Path) orelse P =:= Path]),
    socket:close(S), socket:close(C),
    file:delete(Path).
