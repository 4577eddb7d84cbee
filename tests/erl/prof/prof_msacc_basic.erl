%% Microstate accounting: erlang:system_flag(microstate_accounting, _),
%% erlang:statistics(microstate_accounting) and runtime_tools' msacc on top.
%% Prints what must agree between erl and erbium: the flag's answers, which
%% thread types exist (counts from system_info), the states each reports, and
%% which counters grow, freeze and reset; never the times themselves.
-module(prof_msacc_basic).
-export([main/0]).

-define(STATES, [aux, check_io, emulator, gc, other, port, sleep]).

main() ->
    io:format("available ~p~n", [msacc:available()]),
    Fresh = erlang:statistics(microstate_accounting),
    io:format("never enabled: list ~p, all zero ~p~n", [is_list(Fresh), all_zero(Fresh)]),
    threads(Fresh),
    flag_answers(),
    growth(),
    frozen_when_off(),
    reset_zeroes(),
    msacc_module(),
    bad_arguments(),
    ok.

%% Each type's ids, from the counts system_info gives.
threads(Stats) ->
    Ids = fun(T) -> lists:sort([I || #{type := Ty, id := I} <- Stats, Ty =:= T]) end,
    io:format("schedulers ~p~n", [Ids(scheduler) =:= lists:seq(1, erlang:system_info(schedulers))]),
    io:format("dirty cpu ~p~n",
              [Ids(dirty_cpu_scheduler) =:= lists:seq(1, erlang:system_info(dirty_cpu_schedulers))]),
    io:format("dirty io ~p~n",
              [Ids(dirty_io_scheduler) =:= lists:seq(1, erlang:system_info(dirty_io_schedulers))]),
    io:format("async ~p~n", [length(Ids(async)) =:= erlang:system_info(thread_pool_size)]),
    io:format("aux ~p~n", [Ids(aux)]),
    Known = [async, aux, dirty_cpu_scheduler, dirty_io_scheduler, poll, scheduler],
    io:format("types known ~p~n", [lists:usort([T || #{type := T} <- Stats]) -- Known]),
    io:format("map keys ~p~n", [lists:usort([lists:sort(maps:keys(M)) || M <- Stats])]),
    io:format("state keys ~p~n", [lists:usort([lists:sort(maps:keys(C)) || #{counters := C} <- Stats])]),
    io:format("counters are integers ~p~n",
              [lists:all(fun(#{counters := C}) -> lists:all(fun is_integer/1, maps:values(C)) end, Stats)]).

flag_answers() ->
    F = fun(V) -> erlang:system_flag(microstate_accounting, V) end,
    io:format("flag answers ~p~n", [[F(true), F(true), F(reset), F(false), F(false), F(reset)]]).

%% With accounting on: a busy process, garbage, file and port work, then idleness.
growth() ->
    false = msacc:reset(),
    false = msacc:start(),
    Busy = spawn(fun() -> spin(0) end),
    Garbage = spawn(fun() -> garbage(200) end),
    {ok, _} = file:read_file("/proc/self/stat"),
    "x\n" = os:cmd("echo x"),
    timer:sleep(100),
    exit(Busy, kill),
    exit(Garbage, kill),
    S1 = erlang:statistics(microstate_accounting),
    Any = fun(Type, State, S) ->
                  lists:any(fun(#{type := T, counters := C}) ->
                                    (Type =:= any orelse T =:= Type) andalso maps:get(State, C) > 0
                            end, S)
          end,
    io:format("scheduler emulator ~p~n", [Any(scheduler, emulator, S1)]),
    io:format("scheduler gc ~p~n", [Any(scheduler, gc, S1)]),
    io:format("dirty io emulator ~p~n", [Any(dirty_io_scheduler, emulator, S1)]),
    io:format("port somewhere ~p~n", [Any(any, port, S1)]),
    io:format("check_io somewhere ~p~n", [Any(any, check_io, S1)]),
    io:format("aux somewhere ~p~n", [Any(any, aux, S1)]),
    io:format("dirty cpu asleep ~p~n", [Any(dirty_cpu_scheduler, sleep, S1)]),
    timer:sleep(50),
    S2 = erlang:statistics(microstate_accounting),
    io:format("scheduler sleep grows ~p~n", [sum(scheduler, sleep, S2) > sum(scheduler, sleep, S1)]),
    io:format("nothing shrinks ~p~n", [not_less(S2, S1)]).

%% Off: the counters stay as they were.
frozen_when_off() ->
    true = msacc:stop(),
    A = erlang:statistics(microstate_accounting),
    spawn(fun() -> garbage(20) end),
    timer:sleep(30),
    B = erlang:statistics(microstate_accounting),
    io:format("frozen when off ~p, not zero ~p~n", [key(A) =:= key(B), not all_zero(B)]).

reset_zeroes() ->
    false = erlang:system_flag(microstate_accounting, reset),
    io:format("reset while off zeroes ~p~n", [all_zero(erlang:statistics(microstate_accounting))]),
    timer:sleep(20),
    io:format("still zero ~p~n", [all_zero(erlang:statistics(microstate_accounting))]),
    false = msacc:start(),
    %% (how far the counters have restarted when reset answers is not compared:
    %% OTP's threads reset themselves when they get to it)
    io:format("reset while on ~p~n", [msacc:reset()]),
    true = msacc:stop().

msacc_module() ->
    io:format("start(100) ~p~n", [msacc:start(100)]),
    Stats = msacc:stats(),
    io:format("stats keys ~p~n", [lists:usort([lists:sort(maps:keys(M)) || M <- Stats])]),
    io:format("stats sorted ~p~n", [[{T, I} || #{type := T, id := I} <- Stats] =:=
                                        lists:sort([{T, I} || #{type := T, id := I} <- Stats])]),
    %% 100 ms in microseconds: a thread accounted the whole time (under load OTP's threads
    %% take up a change of state late, so not every one need have the whole 100 ms)
    Totals = [lists:sum(maps:values(C)) || #{counters := C} <- Stats],
    io:format("a thread ~~100 ms ~p~n", [lists:any(fun(T) -> T >= 90000 andalso T < 2000000 end, Totals)]),
    Real = msacc:stats(realtime, Stats),
    io:format("realtime percentages ~p~n",
              [lists:all(fun(#{counters := C}) ->
                                 abs(lists:sum([P || #{thread := P} <- maps:values(C)]) - 100) < 0.01
                         end, Real)]),
    Types = msacc:stats(type, Stats),
    io:format("type rows ~p~n", [lists:sort([T || #{type := T} <- Types, T =/= poll, T =/= async])]),
    io:format("system run-time ~p~n", [msacc:stats(system_runtime, Stats) > 0]),
    File = "prof_msacc_basic.txt",
    ok = msacc:print(File, Stats, #{system => true}),
    {ok, Text} = file:read_file(File),
    io:format("printed ~p~n", [[binary:match(Text, W) =/= nomatch
                                || W <- [<<"Stats per thread:">>, <<"Stats per type:">>,
                                         <<"Average scheduler run-time">>]]]),
    Dump = "prof_msacc_basic.dump",
    ok = msacc:to_file(Dump),
    Back = msacc:from_file(Dump),
    io:format("from_file ~p~n", [lists:usort([maps:get('$type', M) || M <- Back])]),
    file:delete(File),
    file:delete(Dump).

bad_arguments() ->
    [io:format("~p -> ~p~n", [V, error_of(fun() -> erlang:system_flag(microstate_accounting, V) end)])
     || V <- [foo, 1, "true", {reset}, undefined]],
    io:format("statistics(microstate) -> ~p~n",
              [error_of(fun() -> erlang:statistics(microstate) end)]).

error_of(F) ->
    try F() of
        V -> {value, V}
    catch
        C:R:St ->
            [{M, Fn, Args, Info} | _] = St,
            {C, R, {M, Fn, Args}, Info}
    end.

spin(N) ->
    receive stop -> N after 0 -> spin(N + 1) end.

garbage(0) -> ok;
garbage(N) ->
    _ = lists:seq(1, 10000),
    garbage(N - 1).

all_zero(Stats) ->
    lists:all(fun(#{counters := C}) -> lists:all(fun(V) -> V =:= 0 end, maps:values(C)) end, Stats).

key(Stats) -> lists:sort([{T, I, C} || #{type := T, id := I, counters := C} <- Stats]).

sum(Type, State, Stats) ->
    lists:sum([V || #{type := T, counters := C} <- Stats, Type =:= any orelse T =:= Type,
                    {St, V} <- maps:to_list(C), State =:= any orelse St =:= State]).

not_less(S2, S1) ->
    Old = maps:from_list([{{T, I}, C} || #{type := T, id := I, counters := C} <- S1]),
    lists:all(fun(#{type := T, id := I, counters := C}) ->
                      case maps:find({T, I}, Old) of
                          {ok, C0} -> lists:all(fun(S) -> maps:get(S, C) >= maps:get(S, C0) end, ?STATES);
                          error -> true
                      end
              end, S2).
