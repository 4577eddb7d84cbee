%% call_time breakpoints: which processes are counted, calls (tail calls
%% included), own time (untraced callees count for the caller, traced ones
%% for themselves, time waiting in receive not at all), exceptions, spawned
%% processes, pause/restart/false. Times are checked against generous
%% bounds, never printed.
%%
%% Not checked: who is charged after a caught exception. OTP 25 goes on
%% charging the function that raised until the next traced call or return;
%% erbium charges the function that caught it (see docs/ARCHITECTURE.md).
-module(prof_call_time).
-export([main/0, loop/1, outer/1, inner/1, waiter/1, thrower/0, middle/0, catcher/0,
         leaf/0, child/1, spin/1]).

loop(0) -> done;
loop(N) -> loop(N - 1).

leaf() -> ok.

outer(Ms) -> busy(Ms), inner(Ms div 3).
inner(Ms) -> busy(Ms).

waiter(Ms) -> receive never -> ok after Ms -> ok end.

thrower() -> throw(oops).
middle() -> thrower(), not_reached.
catcher() ->
    caught = try middle() catch throw:oops -> caught end,
    busy(30).

child(Parent) ->
    leaf(), leaf(), leaf(),
    Parent ! {child_done, self(), erlang:trace_info(self(), flags)}.

%% Untraced: a busy wait of Ms milliseconds.
busy(Ms) -> spin(erlang:monotonic_time(microsecond) + Ms * 1000).
spin(Until) ->
    case erlang:monotonic_time(microsecond) >= Until of
        true -> ok;
        false -> spin(Until)
    end.

show(Label, Value) -> io:format("~p: ~p~n", [Label, Value]).

time(F, A) -> erlang:trace_info({?MODULE, F, A}, call_time).

%% [{self | other, Calls}] without the times.
calls(F, A) ->
    Self = self(),
    case time(F, A) of
        {call_time, L} when is_list(L) ->
            lists:sort([{who(P, Self), C} || {P, C, S, Us} <- L, is_integer(S), is_integer(Us)]);
        Other -> Other
    end.

who(Self, Self) -> self;
who(_, _) -> other.

%% Own microseconds of this process in F/A.
own_us(F, A) ->
    {call_time, L} = time(F, A),
    Self = self(),
    lists:sum([S * 1000000 + Us || {P, _, S, Us} <- L, P =:= Self]).

set(F, A, How) -> erlang:trace_pattern({?MODULE, F, A}, How, [call_time]).

main() ->
    show(unset, time(leaf, 0)),
    show(set, set(leaf, 0, true)),
    show(empty, time(leaf, 0)),
    leaf(),
    show(untraced_process, calls(leaf, 0)),
    show(trace_self, erlang:trace(self(), true, [call])),
    leaf(), leaf(),
    show(traced_process, calls(leaf, 0)),
    tail_calls(),
    own_time(),
    exceptions(),
    spawned(),
    settings(),
    show(all_off, erlang:trace_pattern({?MODULE, '_', '_'}, false, [call_time]) > 10),
    show(untrace_self, erlang:trace(self(), false, [call])).

tail_calls() ->
    set(loop, 1, true),
    loop(10),
    show(loop10, calls(loop, 1)).

own_time() ->
    set(outer, 1, true),
    set(inner, 1, true),
    set(waiter, 1, true),
    T0 = erlang:monotonic_time(microsecond),
    outer(60),
    Total = erlang:monotonic_time(microsecond) - T0,
    Outer = own_us(outer, 1),
    Inner = own_us(inner, 1),
    show(outer_calls, calls(outer, 1)),
    show(inner_calls, calls(inner, 1)),
    show(outer_gets_untraced_busy, Outer >= 30000),
    show(inner_gets_its_busy, Inner >= 10000),
    show(inner_not_in_outer, Outer + Inner =< Total + 2), % + rounding to microseconds
    waiter(100),
    show(waiting_not_counted, own_us(waiter, 1) < 50000),
    show(waiter_calls, calls(waiter, 1)).

exceptions() ->
    [set(F, 0, true) || F <- [thrower, middle, catcher]],
    catcher(),
    show(exception_calls, [calls(F, 0) || F <- [thrower, middle, catcher]]),
    show(middle_not_charged, own_us(middle, 0) < 15000).

spawned() ->
    Self = self(),
    set(leaf, 0, restart),
    P1 = spawn(?MODULE, child, [Self]),
    receive {child_done, P1, _} -> ok end,
    show(plain_child_not_counted, calls(leaf, 0)),
    erlang:trace(self(), true, [set_on_spawn]),
    P2 = spawn(?MODULE, child, [Self]),
    receive {child_done, P2, Flags} -> show(inheriting_child_flags, Flags) end,
    show(inheriting_child_counted, calls(leaf, 0)),
    erlang:trace(self(), false, [set_on_spawn]),
    wait_exit(P2),
    show(exited_child_kept, calls(leaf, 0)),
    show(trace_new, erlang:trace(new, true, [call])),
    P3 = spawn(?MODULE, child, [Self]),
    receive {child_done, P3, _} -> ok end,
    show(new_child_counted, length([x || {other, 3} <- calls(leaf, 0)])),
    erlang:trace(new, false, [call]).

wait_exit(P) ->
    Ref = monitor(process, P),
    receive {'DOWN', Ref, process, P, _} -> ok end.

settings() ->
    set(leaf, 0, true),
    leaf(),
    show(pause, set(leaf, 0, pause)),
    leaf(),
    show(paused_kept, calls(leaf, 0)),
    show(restart, set(leaf, 0, restart)),
    show(restarted, calls(leaf, 0)),
    leaf(),
    show(counting_again, calls(leaf, 0)),
    show(all_info, strip_times(erlang:trace_info({?MODULE, leaf, 0}, all))),
    show(off, set(leaf, 0, false)),
    show(removed, time(leaf, 0)).

strip_times({all, L}) ->
    {all, [case I of
               {call_time, T} when is_list(T) -> {call_time, length(T)};
               _ -> I
           end || I <- L]}.
