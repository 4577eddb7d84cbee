-module(port_busy_close).
-export([main/0]).

%% Only commands wait for a busy port: {Pid, close} and {Pid, {connect, New}}
%% sent with `!` or erlang:send/3 go through at once, and are not lost when
%% the port's child exits while its output queue is full. The child reads
%% nothing and exits once the test creates a flag file.

%% (one flag per VM: tests/diff.sh runs erl and erbium at once in one directory)
-define(FLAG, ("port_busy_close." ++ os:getpid() ++ ".flag")).
-define(BIG, 100000). % more than a pipe holds, so the rest waits in the queue

busy_port() ->
    file:delete(?FLAG),
    P = open_port({spawn, "sh -c 'while [ ! -e " ++ ?FLAG ++ " ]; do sleep 0.02; done'"}, [out]),
    true = port_command(P, binary:copy(<<"a">>, ?BIG)),
    false = erlang:port_command(P, <<"b">>, [nosuspend]),
    P.

release() -> ok = file:write_file(?FLAG, <<>>).

%% What the test process received from or about port P, until nothing comes for a while.
got(P) ->
    receive
        {P, X} -> [{port, X} | got(P)];
        {'EXIT', P, X} -> [{exit, X} | got(P)];
        {sent, X} -> [{sent, X} | got(P)]
    after 500 -> []
    end.

main() ->
    process_flag(trap_exit, true),
    Owner = self(),
    %% a close from another process on the owner's behalf does not wait
    P1 = busy_port(),
    spawn(fun() -> Owner ! {sent, P1 ! {Owner, close}} end),
    receive {sent, _} -> io:format("close by another process sent~n") after 5000 -> io:format("close waits~n") end,
    P1 ! {self(), close},
    io:format("owner's close sent~n"),
    release(),
    io:format("after exit ~p~n", [lists:sort(got(P1))]),
    io:format("port gone ~p~n", [erlang:port_info(P1)]),
    %% erlang:send/3 with nosuspend: only commands answer nosuspend
    P2 = busy_port(),
    io:format("command nosuspend ~p~n", [erlang:send(P2, {Owner, {command, "x"}}, [nosuspend])]),
    io:format("close nosuspend ~p~n", [erlang:send(P2, {Owner, close}, [nosuspend])]),
    release(),
    io:format("after exit ~p~n", [lists:sort(got(P2))]),
    %% connect to another process while busy
    P3 = busy_port(),
    New = spawn(fun() -> receive stop -> ok end end),
    P3 ! {Owner, {connect, New}},
    io:format("connect ~p~n", [got(P3)]),
    io:format("new owner ~p~n", [erlang:port_info(P3, connected) =:= {connected, New}]),
    release(),
    io:format("after exit ~p~n", [got(P3)]),
    New ! stop,
    file:delete(?FLAG),
    ok.
