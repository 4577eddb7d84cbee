-module(sweep_logger_order).
-export([main/0]).
%% The order in which a logger report and the caller's own output reach standard
%% output: OTP runs such light work on one scheduler, in its run queue's order.
main() ->
    logger:set_handler_config(default, formatter, {logger_formatter, #{template => [level, ": ", msg, "\n"]}}),
    logger:error("first error ~p", [1]),
    io:format("after1~n"),
    logger:error("second error"),
    erlang:yield(),
    io:format("after2~n"),
    logger:warning("third"),
    timer:sleep(1),
    io:format("after3~n"),
    logger:error("fourth"),
    io:format("a4~n"), io:format("a4b~n"), io:format("a4c~n"),
    Self = self(),
    P = spawn(fun() -> receive {ping, N} -> io:format("pong ~p~n", [N]), Self ! pong end end),
    P ! {ping, 1},
    io:format("sent~n"),
    receive pong -> io:format("got pong~n") end,
    [spawn(fun() -> io:format("worker ~p~n", [I]) end) || I <- lists:seq(1, 5)],
    io:format("spawned~n"),
    timer:sleep(20),
    ok.
