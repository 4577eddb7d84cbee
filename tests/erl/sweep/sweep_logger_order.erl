-module(sweep_logger_order).
-export([main/0]).
%% Logger reports with a formatter template, between the caller's own output.
%% The handler writes from its own process, so each report is waited for
%% (logger_std_h:filesync/1) before the caller prints again: without that the
%% order is a race between two processes on two schedulers, on OTP as here.
%% Then output from other processes, each waited for in turn.
main() ->
    logger:set_handler_config(default, formatter, {logger_formatter, #{template => [level, ": ", msg, "\n"]}}),
    logger:error("first error ~p", [1]),
    sync(),
    io:format("after1~n"),
    logger:error("second error"),
    erlang:yield(),
    sync(),
    io:format("after2~n"),
    logger:warning("third"),
    timer:sleep(1),
    sync(),
    io:format("after3~n"),
    logger:info("below the primary level: not printed"),
    logger:notice("a notice"),
    logger:error("fourth"),
    sync(),
    io:format("a4~n"), io:format("a4b~n"), io:format("a4c~n"),
    Self = self(),
    P = spawn(fun() -> receive {ping, N} -> io:format("pong ~p~n", [N]), Self ! pong end end),
    P ! {ping, 1},
    receive pong -> io:format("got pong~n") end,
    [begin
         W = spawn(fun() -> io:format("worker ~p~n", [I]), Self ! {done, self()} end),
         receive {done, W} -> ok end
     end || I <- lists:seq(1, 5)],
    io:format("workers done~n"),
    ok.

sync() -> ok = logger_std_h:filesync(default).
