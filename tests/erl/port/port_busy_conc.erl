-module(port_busy_conc).
-export([main/0]).

%% Busy ports: a port whose output queue is over its high watermark suspends
%% port_command/2 and `Port ! {Owner, {command, D}}` senders until it drains,
%% answers false to nosuspend and nosuspend to send/3's nosuspend, raises notsup
%% for force; suspended senders resume when the port drains or closes.
%% The child reads nothing until the test creates a flag file, so whether a
%% sender is still waiting does not depend on timing.

%% (one flag per VM: tests/diff.sh runs erl and erbium at once in one directory)
-define(FLAG, ("port_busy_conc." ++ os:getpid() ++ ".flag")).
-define(BIG, 100000). % more than a pipe holds, so the rest waits in the queue

t(F) -> try F() of V -> V catch C:R -> {C, R} end.

%% A child that reads nothing until the flag exists, then everything. It
%% gives up waiting after a minute, so a run killed before release/0 leaves
%% no shell behind.
held_port() ->
    file:delete(?FLAG),
    open_port({spawn, "sh -c 'n=0; while [ ! -e " ++ ?FLAG ++ " ] && [ $n -lt 3000 ]; "
                      "do sleep 0.02; n=$((n + 1)); done; cat >/dev/null'"}, [out]).

release() -> ok = file:write_file(?FLAG, <<>>).

%% A process that runs F and reports {Tag, Result} back.
report(Tag, F) ->
    Self = self(),
    spawn(fun() -> Self ! {Tag, t(F)} end).

waiting(Tag) ->
    receive {Tag, R} -> {finished, R} after 300 -> waiting end.

done(Tag) ->
    receive {Tag, R} -> R after 20000 -> stuck end.

main() ->
    process_flag(trap_exit, true),
    busy_answers(),
    suspend_and_drain(),
    suspend_and_close(),
    many_senders(),
    file:delete(?FLAG),
    ok.

busy_answers() ->
    P = held_port(),
    io:format("empty queue ~p~n", [erlang:port_info(P, queue_size)]),
    io:format("not busy ~p~n", [erlang:port_command(P, <<"a">>, [nosuspend])]),
    true = port_command(P, binary:copy(<<"b">>, ?BIG)),
    {queue_size, Q1} = erlang:port_info(P, queue_size),
    io:format("queued ~p~n", [Q1 > 8192]),
    io:format("busy nosuspend ~p~n", [erlang:port_command(P, <<"c">>, [nosuspend])]),
    io:format("busy send nosuspend ~p~n", [erlang:send(P, {self(), {command, <<"c">>}}, [nosuspend])]),
    io:format("queue unchanged ~p~n", [erlang:port_info(P, queue_size) =:= {queue_size, Q1}]),
    io:format("force ~p~n", [t(fun() -> erlang:port_command(P, <<"d">>, [force]) end)]),
    io:format("force nosuspend ~p~n", [t(fun() -> erlang:port_command(P, <<"d">>, [force, nosuspend]) end)]),
    io:format("bad option ~p~n", [t(fun() -> erlang:port_command(P, <<"d">>, [sideways]) end)]),
    io:format("bad data ~p~n", [t(fun() -> erlang:port_command(P, [256], [nosuspend]) end)]),
    F = open_port({fd, 0, 1}, [out]),
    io:format("fd force ~p~n", [t(fun() -> erlang:port_command(F, <<>>, [force]) end)]),
    release(),
    port_close(P).

suspend_and_drain() ->
    P = held_port(),
    Owner = self(),
    true = port_command(P, binary:copy(<<"a">>, ?BIG)),
    {queue_size, Q1} = erlang:port_info(P, queue_size),
    report(cmd, fun() -> port_command(P, <<"x">>) end),
    report(bang, fun() -> P ! {Owner, {command, <<"y">>}}, sent end),
    report(send, fun() -> erlang:send(P, {Owner, {command, <<"y">>}}) end),
    report(applied, fun() -> apply(erlang, port_command, [P, <<"z">>]) end),
    io:format("port_command waits: ~p~n", [waiting(cmd)]),
    io:format("! waits: ~p~n", [waiting(bang)]),
    io:format("send waits: ~p~n", [waiting(send)]),
    io:format("apply waits: ~p~n", [waiting(applied)]),
    io:format("nothing queued by the waiting senders ~p~n",
              [erlang:port_info(P, queue_size) =:= {queue_size, Q1}]),
    release(),
    io:format("port_command after drain: ~p~n", [done(cmd)]),
    io:format("! after drain: ~p~n", [done(bang)]),
    io:format("send after drain: ~p~n", [element(2, done(send))]),
    io:format("apply after drain: ~p~n", [done(applied)]),
    {output, Out} = erlang:port_info(P, output),
    io:format("output ~p~n", [Out - ?BIG]),
    port_close(P).

suspend_and_close() ->
    P = held_port(),
    true = port_command(P, binary:copy(<<"a">>, ?BIG)),
    report(cmd, fun() -> port_command(P, <<"x">>) end),
    io:format("waits: ~p~n", [waiting(cmd)]),
    port_close(P),
    io:format("after close: ~p~n", [done(cmd)]),
    %% and a port that dies of its own accord (its child exits without reading)
    file:delete(?FLAG),
    D = open_port({spawn, "sh -c 'while [ ! -e " ++ ?FLAG ++ " ]; do sleep 0.02; done'"}, [out]),
    true = port_command(D, binary:copy(<<"a">>, ?BIG)),
    report(cmd2, fun() -> port_command(D, <<"x">>) end),
    io:format("waits: ~p~n", [waiting(cmd2)]),
    release(),
    io:format("after exit: ~p~n", [done(cmd2)]),
    receive {'EXIT', D, _} -> io:format("port exited~n") after 20000 -> io:format("port alive~n") end.

%% Senders racing over one port that keeps draining: every byte goes out once, nobody is
%% left waiting.
many_senders() ->
    release(),
    P = open_port({spawn, "cat >/dev/null"}, [out]),
    Owner = self(),
    Chunk = binary:copy(<<"s">>, 5000),
    Senders = [report({s, I}, fun() ->
                                      [case I rem 2 of
                                           0 -> port_command(P, Chunk);
                                           1 -> P ! {Owner, {command, Chunk}}
                                       end || _ <- lists:seq(1, 50)],
                                      ok
                              end) || I <- lists:seq(1, 6)],
    Results = [done({s, I}) || I <- lists:seq(1, length(Senders))],
    io:format("senders ~p~n", [Results]),
    io:format("output ~p~n", [erlang:port_info(P, output)]),
    port_close(P).
