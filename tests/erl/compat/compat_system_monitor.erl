-module(compat_system_monitor).
%% erlang:system_monitor/0,1,2: settings, bad arguments, and the long_gc, large_heap and
%% long_schedule messages of a process that allocates a lot / runs long.
-export([main/0]).

t(Name, F) ->
    R = try F() catch C:E:St -> {C, E, [I || {erlang, _, _, I} <- St]} end,
    io:format("~p: ~p~n", [Name, R]).

mine({P, O}) -> {P =:= self(), O};
mine(X) -> X.

grow(0, Acc) -> length(Acc);
grow(N, Acc) -> grow(N - 1, [N | Acc]).

spin(0) -> ok;
spin(N) -> spin(N - 1).

event(Kind, P) ->
    receive {monitor, P, Kind, Info} ->
        {Kind, [if is_tuple(V) -> {K, element(1, V)}; true -> K end || {K, V} <- Info]}
    after 5000 -> {Kind, none}
    end.

main() ->
    S = self(),
    t(initial, fun() -> erlang:system_monitor() end),
    t(set, fun() -> erlang:system_monitor(S, [{long_gc, 100}, busy_port]) end),
    t(get, fun() -> mine(erlang:system_monitor()) end),
    t(set1, fun() -> mine(erlang:system_monitor({S, [{large_heap, 1000000}, {long_schedule, 50}, busy_dist_port]})) end),
    t(all, fun() -> mine(erlang:system_monitor(S, [busy_dist_port, {long_gc, 1}, busy_port, {large_heap, 7}, {long_schedule, 3}])) end),
    t(get_all, fun() -> mine(erlang:system_monitor()) end),
    t(off, fun() -> mine(erlang:system_monitor(undefined)) end),
    t(after_off, fun() -> erlang:system_monitor() end),
    t(bad_opt, fun() -> erlang:system_monitor(S, [foo]) end),
    t(negative, fun() -> erlang:system_monitor(S, [{long_gc, -1}]) end),
    t(not_pid, fun() -> erlang:system_monitor(foo) end),
    t(improper, fun() -> erlang:system_monitor(S, [busy_port | x]) end),
    t(empty, fun() -> erlang:system_monitor(S, []) end),
    t(after_empty, fun() -> erlang:system_monitor() end),
    t(last_wins, fun() -> erlang:system_monitor(S, [{long_gc, 0}, {long_gc, 5}]), {_, O} = erlang:system_monitor(), O end),
    erlang:system_monitor(S, [{long_gc, 0}]),
    G = spawn(fun() -> grow(200000, []) end),
    t(long_gc, fun() -> event(long_gc, G) end),
    erlang:system_monitor(S, [{large_heap, 100000}]),
    H = spawn(fun() -> grow(300000, []) end),
    t(large_heap, fun() -> event(large_heap, H) end),
    %% A slice is a few thousand reductions: far below 1000 ms even on a loaded machine, so
    %% no long_schedule message (OTP stores 0 as 1 ms, which a preempted thread can exceed).
    erlang:system_monitor(S, [{long_schedule, 1000}]),
    L = spawn(fun() -> spin(10000000) end),
    t(long_schedule, fun() -> event(long_schedule, L) end),
    erlang:system_monitor(undefined),
    ok.
