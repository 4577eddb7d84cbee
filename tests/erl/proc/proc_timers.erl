-module(proc_timers).
-export([main/0]).

main() ->
    erlang:send_after(30, self(), second),
    erlang:send_after(10, self(), first),
    receive first -> ok end,
    receive second -> ok end,
    io:format("order ok~n"),
    T = erlang:start_timer(20, self(), tick),
    receive {timeout, T, tick} -> io:format("tick~n") end,
    C = erlang:send_after(1000, self(), never),
    Left = erlang:cancel_timer(C),
    io:format("cancel: ~p~n", [is_integer(Left) andalso Left > 0 andalso Left =< 1000]),
    io:format("cancel again: ~p~n", [erlang:cancel_timer(C)]),
    receive never -> io:format("cancelled timer fired~n") after 50 -> io:format("nothing~n") end,
    R = erlang:start_timer(500, self(), x),
    io:format("read: ~p~n", [is_integer(erlang:read_timer(R))]),
    erlang:cancel_timer(R),
    Self = self(),
    Fwd = spawn(fun() -> receive M -> Self ! {fwd, M} end end),
    register(tname, Fwd),
    erlang:send_after(5, tname, by_name),
    receive {fwd, by_name} -> io:format("by name~n") end,
    T0 = erlang:monotonic_time(millisecond),
    receive after 100 -> ok end,
    Elapsed = erlang:monotonic_time(millisecond) - T0,
    io:format("slept enough: ~p~n", [Elapsed >= 100]),
    %% a timeout never fires early, wherever the millisecond boundaries fall, even
    %% with many timers waking the timer service at other moments
    Main = self(),
    [spawn(fun() -> Main ! {short, short_timeouts(40)} end) || _ <- lists:seq(1, 20)],
    Short = lists:append([receive {short, L} -> L end || _ <- lists:seq(1, 20)]),
    io:format("short timeouts: ~p~n", [lists:usort(Short)]),
    io:format("bad: ~p~n", [element(1, element(2, catch erlang:send_after(-1, self(), x)))]).

short_timeouts(N) ->
    [begin
         S0 = erlang:monotonic_time(microsecond),
         receive after 3 -> ok end,
         erlang:monotonic_time(microsecond) - S0 >= 3000
     end || _ <- lists:seq(1, N)].
