-module(proc_basic).
-export([main/0, echo/0]).

echo() ->
    receive
        {From, Msg} -> From ! {self(), Msg}, echo();
        stop -> ok
    end.

main() ->
    P = spawn(?MODULE, echo, []),
    P ! {self(), hello},
    receive {P, M} -> io:format("echo: ~p~n", [M]) end,
    io:format("alive: ~p~n", [is_process_alive(P)]),
    P ! stop,
    timer_wait(P),
    io:format("alive after stop: ~p~n", [is_process_alive(P)]),
    %% message order from one sender is kept
    Self = self(),
    Q = spawn(fun() -> [Self ! {seq, I} || I <- lists:seq(1, 1000)] end),
    io:format("in order: ~p~n", [collect(1, 1000)]),
    _ = Q,
    %% selective receive leaves other messages queued
    self() ! a, self() ! b, self() ! c,
    receive b -> ok end,
    io:format("left: ~p~n", [flush()]),
    %% many processes computing in parallel
    Pids = [spawn(fun() -> Self ! {sq, I, I * I} end) || I <- lists:seq(1, 200)],
    Sum = lists:sum([receive {sq, I, V} -> V end || I <- lists:seq(1, 200)]),
    io:format("sum: ~p over ~p~n", [Sum, length(Pids)]),
    %% receive with timeouts
    receive nothing -> io:format("impossible~n") after 20 -> io:format("after 20~n") end,
    receive nothing -> io:format("impossible~n") after 0 -> io:format("after 0~n") end,
    self() ! ready,
    receive ready -> io:format("ready before timeout~n") after 1000 -> io:format("late~n") end,
    io:format("bad timeout: ~p~n", [element(1, element(2, catch receive x -> ok after -1 -> ok end))]),
    io:format("self is pid: ~p~n", [is_pid(self())]).

collect(N, Max) when N > Max -> true;
collect(N, Max) -> receive {seq, N} -> collect(N + 1, Max); {seq, _} -> false end.

flush() -> receive X -> [X | flush()] after 0 -> [] end.

timer_wait(P) ->
    case is_process_alive(P) of
        true -> receive after 1 -> timer_wait(P) end;
        false -> ok
    end.
