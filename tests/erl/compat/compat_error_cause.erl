-module(compat_error_cause).
%% BIF errors whose error_info carries a cause (badopt, badtype, time, ...).
-export([main/0]).
t(F) -> try F() catch error:R:S -> [{M,Fn,_,L}|_] = S, io:format("~p ~p:~p ~p~n", [R, M, Fn, L]) end.
main() ->
  register(compat_x, self()),
  P = spawn(fun() -> ok end), timer:sleep(10),
  t(fun() -> register(compat_x, spawn(fun() -> timer:sleep(100) end)) end),
  t(fun() -> register(compat_y, self()) end),
  t(fun() -> register(compat_y, P) end),
  t(fun() -> register(undefined, self()) end),
  t(fun() -> process_flag(trap_exit, 1) end),
  t(fun() -> process_flag(bad, 1) end),
  t(fun() -> process_flag(P, save_calls, 1) end),
  t(fun() -> process_flag(self(), bad, 1) end),
  t(fun() -> monitor(process, a1) end),
  t(fun() -> monitor(bad, a1) end),
  t(fun() -> monitor(process, self(), [bad]) end),
  t(fun() -> monitor(bad, self(), [bad]) end),
  t(fun() -> erlang:start_timer(-1, self(), a) end),
  t(fun() -> erlang:start_timer(1 bsl 60, self(), a) end),
  t(fun() -> erlang:start_timer(10, 1.0, a) end),
  t(fun() -> erlang:start_timer(10, self(), a, [bad]) end),
  t(fun() -> erlang:send_after(10, 1.0, a) end),
  t(fun() -> erlang:spawn_opt(fun() -> ok end, [bad]) end),
  t(fun() -> erlang:spawn_opt(erlang, now, [], [bad]) end),
  t(fun() -> erlang:send(self(), a, [bad]) end),
  t(fun() -> erlang:exit(self(), a, [bad]) end),
  t(fun() -> erlang:halt(0, [bad]) end),
  t(fun() -> erlang:garbage_collect(self(), [bad]) end),
  t(fun() -> erlang:binary_to_term(<<131,100>>, [bad]) end),
  t(fun() -> erlang:binary_to_term(<<131,100>>, [safe]) end),
  ok.
