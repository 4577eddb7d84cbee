-module(otp_sysinfo).
-export([main/0]).

%% system_info/1 values that are equal on both VMs by definition on one
%% machine, system_flag/2 settings, the shapes of statistics/1 and memory/0,1.
main() ->
    Equal = [os_type, os_version, wordsize, {wordsize, internal}, {wordsize, external}, otp_release,
             version, machine, compat_rel, schedulers, schedulers_online, logical_processors,
             logical_processors_online, logical_processors_available, dirty_cpu_schedulers,
             dirty_cpu_schedulers_online, dirty_io_schedulers, system_architecture, atom_limit,
             smp_support, threads, heap_type, creation, time_warp_mode, time_offset,
             tolerant_timeofday, multi_scheduling, scheduler_bind_type, debug_compiled, lock_checking,
             build_type, emu_type, hipe_architecture, modified_timing_level, dist_ctrl,
             trace_control_word, sequential_tracer, dynamic_trace, garbage_collection, min_heap_size,
             min_bin_vheap_size, fullsweep_after, outstanding_system_requests_limit],
    [io:format("~p: ~p~n", [K, erlang:system_info(K)]) || K <- Equal],
    [io:format("shape ~p: ~p~n", [K, shape(erlang:system_info(K))])
     || K <- [process_count, process_limit, atom_count, system_version, start_time, end_time,
              cpu_topology, c_compiler_used, nif_version, driver_version, scheduler_id]],
    io:format("version line ~p~n", [lists:prefix("Erlang/OTP " ++ erlang:system_info(otp_release),
                                                 erlang:system_info(system_version))]),
    [io:format("badarg ~p~n", [catch_reason(fun() -> erlang:system_info(K) end)])
     || K <- [foo, "x", {wordsize, foo}]],
    io:format("backtrace_depth ~p~n", [erlang:system_flag(backtrace_depth, 2)]),
    {'EXIT', {_, Trace}} = (catch deep(5)),
    io:format("depth 2 trace ~p~n", [length(Trace)]),
    io:format("backtrace_depth ~p~n", [erlang:system_flag(backtrace_depth, 8)]),
    S = erlang:system_info(schedulers),
    io:format("schedulers_online ~p~n", [erlang:system_flag(schedulers_online, S) =:= S]),
    io:format("bad schedulers_online ~p~n", [catch_reason(fun() -> erlang:system_flag(schedulers_online, 0) end)]),
    io:format("min_heap_size ~p~n", [erlang:system_flag(min_heap_size, 1000)]),
    io:format("spawned min_heap ~p~n", [spawn_info(min_heap_size)]),
    io:format("min_heap_size ~p~n", [erlang:system_flag(min_heap_size, 233)]),
    io:format("fullsweep_after ~p ~p~n", [erlang:system_flag(fullsweep_after, 20), erlang:system_flag(fullsweep_after, 65535)]),
    io:format("bad flag ~p~n", [catch_reason(fun() -> erlang:system_flag(foo, 1) end)]),
    io:format("wall time off ~p ~p~n", [erlang:system_flag(scheduler_wall_time, true), erlang:statistics(scheduler_wall_time) =/= undefined]),
    lists:sum(lists:seq(1, 10000)),
    Wall = erlang:statistics(scheduler_wall_time_all),
    io:format("wall time entries ~p ~p~n", [length(Wall), lists:all(fun({I, A, T}) -> is_integer(I) andalso A =< T end, Wall)]),
    io:format("wall time on ~p ~p~n", [erlang:system_flag(scheduler_wall_time, false), erlang:statistics(scheduler_wall_time)]),
    [io:format("stat ~p: ~p~n", [K, shape(erlang:statistics(K))])
     || K <- [runtime, wall_clock, reductions, exact_reductions, context_switches, garbage_collection, io,
              run_queue, run_queue_lengths, run_queue_lengths_all, total_run_queue_lengths,
              total_run_queue_lengths_all, active_tasks, active_tasks_all, total_active_tasks,
              total_active_tasks_all]],
    io:format("run_queue_lengths ~p ~p~n", [length(erlang:statistics(run_queue_lengths)) - S,
                                         length(erlang:statistics(run_queue_lengths_all)) - S]),
    io:format("stat badarg ~p~n", [catch_reason(fun() -> erlang:statistics(foo) end)]),
    Mem = erlang:memory(),
    io:format("memory keys ~p~n", [[K || {K, _} <- Mem]]),
    io:format("memory sums ~p~n", [proplists:get_value(total, Mem) >= proplists:get_value(processes, Mem)
                                   andalso erlang:memory(atom) >= erlang:memory(atom_used)]),
    io:format("memory list ~p~n", [[K || {K, _} <- erlang:memory([code, binary])]]),
    io:format("memory badarg ~p~n", [catch_reason(fun() -> erlang:memory(foo) end)]),
    ok.

spawn_info(Item) ->
    Self = self(),
    spawn(fun() -> Self ! process_info(self(), Item) end),
    receive R -> R end.

deep(0) -> error(deep);
deep(N) -> [deep(N - 1)].

catch_reason(F) -> try F() catch error:R -> R end.

shape(L) when is_list(L) -> list;
shape(B) when is_binary(B) -> binary;
shape(N) when is_integer(N) -> integer;
shape(T) when is_tuple(T) -> list_to_tuple([shape(E) || E <- tuple_to_list(T)]);
shape(A) when is_atom(A) -> A.
