-module(proc_timer_target).
%% A timer sending to a pid ends with that process, as in OTP: once the
%% process is gone, read_timer and cancel_timer give false (and a timer set
%% for a dead pid never runs). A name is resolved when the timer fires.
-export([main/0]).
main() ->
    D = spawn(fun() -> ok end), timer:sleep(10),
    R = erlang:send_after(1000, D, z),
    io:format("~p~n", [{erlang:read_timer(R), erlang:cancel_timer(R)}]),
    L = spawn(fun() -> receive stop -> ok end end),
    R2 = erlang:send_after(1000, L, z), R3 = erlang:start_timer(1000, L, z),
    io:format("~p~n", [{is_integer(erlang:read_timer(R2)), is_integer(erlang:read_timer(R3))}]),
    L ! stop, timer:sleep(20),
    io:format("~p~n", [{erlang:read_timer(R2), erlang:cancel_timer(R3), erlang:read_timer(R3), erlang:cancel_timer(R2, [{async, true}])}]),
    receive {cancel_timer, R2, Res} -> io:format("async: ~p~n", [Res]) after 100 -> ok end,
    R4 = erlang:send_after(1000, no_such_name, z),
    io:format("~p~n", [is_integer(erlang:read_timer(R4))]),
    R5 = erlang:send_after(50, self(), hello),
    io:format("~p~n", [is_integer(erlang:read_timer(R5))]),
    receive hello -> io:format("got hello~n") end,
    io:format("~p~n", [erlang:read_timer(R5)]).
