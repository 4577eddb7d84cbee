%% The net module over prim_net: host name, getaddrinfo/getnameinfo on
%% loopback names, interface names and indexes, and their errors.
-module(sock_net).
-export([main/0]).

main() ->
    {ok, Host} = net:gethostname(),
    io:format("hostname ~p~n", [Host =:= element(2, inet:gethostname())]),
    io:format("getaddrinfo ~p~n", [net:getaddrinfo("localhost")]),
    io:format("getaddrinfo service ~p~n", [net:getaddrinfo("127.0.0.1", "80")]),
    io:format("getaddrinfo bad ~p~n", [net:getaddrinfo("no.such.host.invalid")]),
    io:format("getnameinfo ~p~n", [net:getnameinfo(#{family => inet, addr => {127,0,0,1}, port => 80})]),
    io:format("getnameinfo numeric ~p~n",
              [net:getnameinfo(#{family => inet, addr => {127,0,0,1}, port => 22}, [numerichost, numericserv])]),
    io:format("name2index ~p~n", [net:if_name2index("lo")]),
    io:format("index2name ~p~n", [net:if_index2name(1)]),
    io:format("name2index bad ~p~n", [net:if_name2index("nosuchif0")]),
    {ok, Names} = net:if_names(),
    io:format("if_names has lo ~p~n", [lists:member({1, "lo"}, Names)]),
    {ok, Ifs} = net:getifaddrs(),
    Lo = [maps:with([flags, netmask, addr], I) || #{name := "lo", addr := #{family := inet}} = I <- Ifs],
    io:format("getifaddrs lo ~p~n", [Lo]),
    io:format("prim_net info ~p~n", [prim_net:info()]).
