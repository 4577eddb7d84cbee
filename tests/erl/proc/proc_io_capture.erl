-module(proc_io_capture).
-export([main/0]).

%% The common test idiom: a process whose group leader is a custom Erlang
%% process that captures its I/O requests. Output goes through OTP's io
%% module unchanged, so the requests are exactly what it sends.

main() ->
    Reqs = capture(fun() ->
                           io:format("hello ~p~n", [world]),
                           io:put_chars("plain chars\n"),
                           io:put_chars([<<"bin">>, "list"]),
                           io:nl(),
                           io:write({a, 1}),
                           io:fwrite("~s~n", ["fwrite"]),
                           io:format(user, "to user~n", []),
                           io:format("~p~n", [io:getopts()])
                   end, fun(_) -> ok end),
    [io:format("request: ~p~n", [R]) || R <- Reqs],
    %% the leader's reply is what io returns; an error reply becomes an exception
    Replies = capture(fun() ->
                              io:format("getopts: ~p~n", [io:getopts()]),
                              io:format("columns: ~p~n", [io:columns()]),
                              io:format("~p~n", [catch_error(fun() -> io:format("x", []) end)])
                      end,
                      fun(getopts) -> [{encoding, unicode}];
                         ({get_geometry, columns}) -> 132;
                         ({put_chars, unicode, io_lib, format, ["x", []]}) -> {error, nope};
                         (_) -> ok
                      end),
    [io:format("seen: ~p~n", [R]) || R <- Replies],
    %% a leader that dies before replying: io raises terminated
    Self = self(),
    Mortal = spawn(fun() -> receive {io_request, _, _, _} -> exit(gone) end end),
    spawn(fun() -> group_leader(Mortal, self()), Self ! {died, catch_error(fun() -> io:format("lost~n") end)} end),
    receive {died, D} -> io:format("dying leader: ~p~n", [D]) end,
    io:format("back to normal~n").

%% Runs F in a process led by a capturing leader that answers each request
%% with Reply(Request); returns the requests in order.
capture(F, Reply) ->
    Self = self(),
    Leader = spawn(fun() -> collect(Reply, []) end),
    Worker = spawn(fun() -> group_leader(Leader, self()), F(), Self ! {done, self()} end),
    receive {done, Worker} -> ok end,
    Leader ! {stop, self()},
    receive {requests, Rs} -> Rs end.

collect(Reply, Acc) ->
    receive
        {io_request, From, ReplyAs, Request} ->
            From ! {io_reply, ReplyAs, Reply(Request)},
            collect(Reply, [Request | Acc]);
        {stop, From} ->
            From ! {requests, lists:reverse(Acc)}
    end.

catch_error(F) ->
    try F() of
        V -> {ok, V}
    catch
        C:R:S ->
            [{M, Fn, Args, Loc} | _] = S,
            {C, R, M, Fn, Args, lists:keyfind(error_info, 1, Loc)}
    end.
