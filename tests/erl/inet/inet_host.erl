%% The host's name and interfaces through udp_inet (what kernel's boot asks
%% with inet:gethostname/0), and prim_inet's port protocol at its lowest:
%% open, port_control replies, close.
-module(inet_host).
-export([main/0]).

main() ->
    {ok, Name} = inet:gethostname(),
    io:format("hostname is a string: ~p~n", [io_lib:printable_list(Name)]),
    io:format("hostname matches hostname(1): ~p~n", [Name =:= string:trim(os:cmd("hostname"))]),
    {ok, Ifs} = inet:getifaddrs(),
    Lo = [Opts || {_, Opts} <- Ifs, lists:member(loopback, proplists:get_value(flags, Opts, []))],
    io:format("one loopback interface: ~p~n", [length(Lo)]),
    [LoOpts] = Lo,
    io:format("loopback flags: ~p~n", [lists:sort(proplists:get_value(flags, LoOpts))]),
    io:format("loopback has 127.0.0.1: ~p~n", [lists:member({addr, {127,0,0,1}}, LoOpts)]),
    io:format("loopback netmask: ~p~n", [proplists:get_value(netmask, LoOpts)]),
    io:format("loopback hwaddr: ~p~n", [proplists:get_value(hwaddr, LoOpts)]),
    {ok, IfList} = inet:getiflist(),
    io:format("iflist has every getifaddrs name: ~p~n", [lists:usort([N || {N, _} <- Ifs]) -- IfList =:= []]),
    io:format("services: ~p~n", [[inet:getservbyname(http, tcp), inet:getservbyname(nosuch, tcp),
                                  inet:getservbyport(22, tcp), inet:getservbyport(1, udp)]]),
    raw_protocol(),
    ok.

%% prim_inet as gen_udp uses it, and the driver's answers to bad requests.
raw_protocol() ->
    {ok, S} = prim_inet:open(udp, inet, dgram),
    io:format("port name: ~p~n", [erlang:port_info(S, name)]),
    io:format("gettype: ~p~n", [prim_inet:gettype(S)]),
    io:format("getstatus before bind: ~p~n", [prim_inet:getstatus(S)]),
    {ok, Port} = prim_inet:bind(S, {127,0,0,1}, 0),
    io:format("bound to a port: ~p~n", [Port > 0]),
    io:format("getstatus after bind: ~p~n", [lists:sort(element(2, prim_inet:getstatus(S)))]),
    io:format("sockname port: ~p~n", [prim_inet:sockname(S) =:= {ok, {{127,0,0,1}, Port}}]),
    io:format("gethostname: ~p~n", [element(1, prim_inet:gethostname(S))]),
    io:format("bad option: ~p~n", [prim_inet:setopts(S, [{bogus, 1}])]),
    io:format("bad value: ~p~n", [prim_inet:setopts(S, [{active, maybe}])]),
    io:format("unknown op: ~p~n", [catch erlang:port_control(S, 66167552 + 99, [])]),
    io:format("getstat: ~p~n", [prim_inet:getstat(S, [send_cnt, recv_cnt, send_pend])]),
    ok = prim_inet:sendto(S, {127,0,0,1}, Port, <<"self">>),
    io:format("sent to itself: ~p~n", [prim_inet:recvfrom(S, 0, 2000) =:= {ok, {{127,0,0,1}, Port, "self"}}]),
    io:format("port_info counts: ~p~n", [[erlang:port_info(S, K) || K <- [input, output]]]),
    io:format("close: ~p~n", [prim_inet:close(S)]),
    io:format("closed port_control: ~p~n", [error_of(fun() -> erlang:port_control(S, 66167552 + 12, []) end)]),
    io:format("spawn_driver of an unknown driver: ~p~n",
              [error_of(fun() -> erlang:open_port({spawn_driver, "no_such_drv"}, [binary]) end)]),
    io:format("prim_inet:open of an unknown family: ~p~n", [error_of(fun() -> prim_inet:open(udp, bogus, dgram) end)]),
    io:format("inet:gethostname after all that: ~p~n", [element(1, inet:gethostname())]).

error_of(F) ->
    try F() catch Class:Reason -> {Class, Reason} end.

