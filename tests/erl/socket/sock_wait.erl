%% Waiting on sockets: nowait recv/accept/send with the select message,
%% cancel, time-outs, a close while another process waits in recv or accept,
%% connect with a time-out, and socket monitors ('DOWN' on close).
-module(sock_wait).
-export([main/0]).

pair() ->
    {ok, L} = socket:open(inet, stream, tcp),
    ok = socket:bind(L, #{family => inet, addr => loopback, port => 0}),
    ok = socket:listen(L),
    {ok, Addr} = socket:sockname(L),
    {ok, C} = socket:open(inet, stream, tcp),
    ok = socket:connect(C, Addr, 2000),
    {ok, A} = socket:accept(L, 2000),
    {L, C, A}.

main() ->
    {L, C, A} = pair(),
    %% nowait recv: select, then the message, then the data
    {select, {select_info, recv, Ref} = SI} = socket:recv(A, 0, nowait),
    io:format("select info ~p~n", [element(2, SI)]),
    ok = socket:send(C, <<"wake">>),
    receive {'$socket', A, select, Ref} -> io:format("select message~n") after 2000 -> io:format("no select~n") end,
    io:format("then ~p~n", [socket:recv(A, 0, nowait)]),
    %% cancel a nowait recv: no message comes
    {select, SI2} = socket:recv(A, 0, nowait),
    io:format("cancel ~p~n", [socket:cancel(A, SI2)]),
    ok = socket:send(C, <<"late">>),
    receive {'$socket', _, select, _} = M -> io:format("stray ~p~n", [M]) after 200 -> io:format("none after cancel~n") end,
    io:format("late ~p~n", [socket:recv(A, 4, 1000)]),
    %% a recv of 6 bytes gets 3, waits, then the rest
    Self = self(),
    spawn(fun() -> Self ! {partial, socket:recv(A, 6, 2000)} end),
    timer:sleep(50),
    ok = socket:send(C, <<"abc">>),
    timer:sleep(50),
    ok = socket:send(C, <<"def">>),
    receive {partial, R} -> io:format("partial ~p~n", [R]) end,
    %% time-outs
    io:format("recv timeout ~p~n", [socket:recv(A, 0, 100)]),
    io:format("accept timeout ~p~n", [socket:accept(L, 100)]),
    io:format("accept nowait ~p~n", [element(1, socket:accept(L, nowait))]),
    %% close while a recv waits in another process
    spawn(fun() -> Self ! {waiter, socket:recv(A, 0)} end),
    timer:sleep(100),
    io:format("readers ~p~n", [maps:get(num_readers, socket:info(A))]),
    %% monitor, then close
    MRef = socket:monitor(A),
    ok = socket:close(A),
    receive {waiter, W} -> io:format("waiter ~p~n", [W]) after 2000 -> io:format("waiter hangs~n") end,
    receive {'DOWN', MRef, socket, A, Info} -> io:format("down ~p~n", [Info]) after 2000 -> io:format("no down~n") end,
    MRef2 = socket:monitor(A),
    receive {'DOWN', MRef2, socket, A, Info2} -> io:format("down closed ~p~n", [Info2]) after 2000 -> io:format("no down~n") end,
    %% close the listener while an acceptor waits
    spawn(fun() -> Self ! {acceptor, socket:accept(L)} end),
    timer:sleep(100),
    ok = socket:close(L),
    receive {acceptor, Acc} -> io:format("acceptor ~p~n", [Acc]) after 2000 -> io:format("acceptor hangs~n") end,
    %% the peer sees the end
    io:format("peer ~p~n", [socket:recv(C, 0, 2000)]),
    ok = socket:close(C),
    owner_exit(),
    send_nowait().

%% A socket is closed when the process that controls it exits.
owner_exit() ->
    Self = self(),
    Pid = spawn(fun() -> {ok, S} = socket:open(inet, dgram), Self ! {sock, S}, receive stop -> ok end end),
    S = receive {sock, X} -> X end,
    MRef = socket:monitor(S),
    Pid ! stop,
    receive {'DOWN', MRef, socket, S, Info} -> io:format("owner down ~p~n", [Info]) after 2000 -> io:format("no owner down~n") end,
    io:format("after owner exit ~p~n", [socket:getopt(S, {socket, type})]),
    io:format("sockets ~p~n", [socket:number_of()]).

%% Fill the send buffer: send with nowait ends in select, then a reader drains it.
send_nowait() ->
    {L, C, A} = pair(),
    ok = socket:setopt(C, {socket, sndbuf}, 4096),
    Chunk = binary:copy(<<"x">>, 65536),
    Result = fill(C, Chunk, 0),
    io:format("filled ~p~n", [Result]),
    Self = self(),
    spawn(fun() -> drain(A), Self ! drained end),
    Sent = socket:send(C, Chunk, 5000),
    io:format("send after drain ~p~n", [Sent]),
    socket:close(C),
    receive drained -> io:format("drained~n") end,
    socket:close(L).

fill(_C, _Chunk, 200) -> never_blocked;
fill(C, Chunk, N) ->
    case socket:send(C, Chunk, nowait) of
        ok -> fill(C, Chunk, N + 1);
        {select, {{select_info, _, _} = SI, Rest}} when is_binary(Rest) -> {select_partial, socket:cancel(C, SI)};
        {select, {select_info, _, _} = SI} -> {select, socket:cancel(C, SI)};
        Other -> Other
    end.

drain(A) ->
    case socket:recv(A, 0, 2000) of
        {ok, _} -> drain(A);
        _ -> socket:close(A)
    end.
