-module(compat_cause_misc).
%% error_info causes and odd arguments: ets:give_away by a process that does
%% not own the table (not_owner), open_port with a bad option (badopt),
%% monitor(time_offset, clock_service) (a reference; anything else badarg).
-export([main/0]).
t(F) -> try F() catch C:R:S -> {C,R,case S of [{_,_,_,I}|_] -> proplists:get_value(error_info, I); _ -> none end} end.
main() ->
    Self = self(),
    O = spawn(fun() -> ets:new(g3, [named_table, public]), Self ! made, receive _ -> ok end end),
    receive made -> ok end,
    T = ets:new(mine, []),
    D = spawn(fun() -> ok end), timer:sleep(10),
    [io:format("~p~n", [t(F)]) || F <- [fun() -> ets:give_away(g3, self(), x) end,
                                        fun() -> ets:give_away(T, self(), x) end,
                                        fun() -> ets:give_away(T, D, x) end,
                                        fun() -> ets:give_away(T, O, x) end,
                                        fun() -> ets:give_away(no_tab, O, x) end,
                                        fun() -> ets:give_away(T, not_pid, x) end,
                                        fun() -> open_port({spawn, "cat"}, [bogus]) end,
                                        fun() -> is_reference(monitor(time_offset, clock_service)) end,
                                        fun() -> monitor(time_offset, other) end]].
