%% What OTP's libraries ask of the VM: the shape (types, keys, lengths) of
%% erlang:system_info/1, statistics/1, memory/0,1 and process_info/2 items,
%% and the values that must agree with each other or with OTP exactly.
-module(vminfo_shapes).
-export([main/0]).

shape(X) when is_integer(X) -> int;
shape(X) when is_float(X) -> float;
shape(X) when is_atom(X) -> X;
shape(X) when is_list(X) ->
    case io_lib:printable_list(X) of
        true when X =/= [] -> string;
        _ -> [shape(E) || E <- lists:sublist(X, 3)]
    end;
shape(X) when is_tuple(X) -> list_to_tuple([shape(E) || E <- tuple_to_list(X)]);
shape(X) when is_map(X) -> maps:map(fun(_, V) -> shape(V) end, X);
shape(X) when is_binary(X) -> bin;
shape(X) when is_pid(X) -> pid;
shape(_) -> other.

t(F) ->
    try shape(F()) catch C:R -> {C, R} end.

show(Label, V) -> io:format("~p: ~p~n", [Label, V]).

system_info() ->
    Keys = [os_type, schedulers, schedulers_online, logical_processors, otp_release, version,
            wordsize, {wordsize, internal}, process_count, process_limit, port_count, atom_count,
            atom_limit, ets_count, machine, system_version, system_architecture, thread_pool_size,
            dirty_cpu_schedulers, dirty_cpu_schedulers_online, dirty_io_schedulers, build_type,
            smp_support, threads, kernel_poll, multi_scheduling, multi_scheduling_blockers,
            scheduler_bind_type, scheduler_bindings, cpu_topology, heap_type, min_heap_size,
            min_bin_vheap_size, fullsweep_after, garbage_collection, max_heap_size,
            message_queue_data, schedulers_state, lock_counting, lock_checking, debug_compiled,
            ets_always_compress, time_offset, time_warp_mode, tolerant_timeofday,
            os_monotonic_time_source, os_system_time_source, scheduler_id, start_time, end_time,
            nif_version, driver_version, c_compiler_used, creation, trace_control_word,
            sequential_tracer, outstanding_system_requests_limit, backtrace_depth, bad_key,
            {bad, key}, delayed_node_table_gc, dist_buf_busy_limit, ets_limit, port_limit, taints,
            alloc_util_allocators, {cpu_topology, defined}, {cpu_topology, detected},
            {cpu_topology, used}, {cpu_topology, bad}, {allocator, no_such_alloc}],
    [show(K, t(fun() -> erlang:system_info(K) end)) || K <- Keys],
    show(allocator, t(fun() -> {A, V, _, _} = erlang:system_info(allocator), {A, V} end)),
    show(allocated_areas, t(fun() -> [lists:keymember(K, 1, erlang:system_info(allocated_areas)) || K <- [atom_space, loaded_code]] end)),
    S = erlang:system_info(schedulers),
    show(schedulers_state_agrees, erlang:system_info(schedulers_state) =:= {S, S, S}),
    show(bindings_agree, tuple_size(erlang:system_info(scheduler_bindings)) =:= S),
    show(heap_sizes_start, lists:sublist(erlang:system_info(heap_sizes), 12)),
    show(heap_sizes_ascending, begin
                                   H = erlang:system_info(heap_sizes),
                                   H =:= lists:usort(H) andalso length(H) > 40
                               end),
    show(monotonic_source_keys, [K || {K, _} <- erlang:system_info(os_monotonic_time_source)]),
    show(system_source_keys, [K || {K, _} <- erlang:system_info(os_system_time_source)]),
    CheckIo = erlang:system_info(check_io),
    show(check_io_names, lists:usort([proplists:get_value(name, L) || L <- CheckIo])),
    show(check_io_epoll, lists:member(epoll, [proplists:get_value(kernel_poll, L) || L <- CheckIo])),
    Q = erlang:system_info(cpu_quota),
    show(cpu_quota, Q =:= unknown orelse (is_integer(Q) andalso Q > 0)),
    P0 = erlang:system_info(port_count),
    Port = open_port({spawn, "cat"}, []),
    show(port_count_grows, erlang:system_info(port_count) =:= P0 + 1),
    port_close(Port),
    E0 = erlang:system_info(ets_count),
    T = ets:new(t, []),
    show(ets_count_grows, erlang:system_info(ets_count) =:= E0 + 1),
    ets:delete(T),
    show(ets_count_back, erlang:system_info(ets_count) =:= E0).

statistics() ->
    Items = [runtime, wall_clock, reductions, exact_reductions, context_switches,
             garbage_collection, io, run_queue, run_queue_lengths, run_queue_lengths_all,
             total_run_queue_lengths, total_run_queue_lengths_all, total_active_tasks,
             total_active_tasks_all, active_tasks, active_tasks_all, scheduler_wall_time,
             bad_item],
    [show(K, t(fun() -> erlang:statistics(K) end)) || K <- Items],
    show(enable_wall_time, erlang:system_flag(scheduler_wall_time, true)),
    Swt = erlang:statistics(scheduler_wall_time),
    show(scheduler_wall_time, {length(Swt) =:= erlang:system_info(schedulers),
                               lists:sort([I || {I, _, _} <- Swt]) =:= lists:seq(1, erlang:system_info(schedulers)),
                               lists:all(fun({_, A, T}) -> A =< T end, Swt)}),
    SwtAll = erlang:statistics(scheduler_wall_time_all),
    show(scheduler_wall_time_all, length(SwtAll) =:= erlang:system_info(schedulers)
                                      + erlang:system_info(dirty_cpu_schedulers)),
    show(disable_wall_time, erlang:system_flag(scheduler_wall_time, false)),
    show(wall_time_off, erlang:statistics(scheduler_wall_time)).

memory() ->
    show(memory_keys, [K || {K, _} <- erlang:memory()]),
    [show({memory, K}, t(fun() -> erlang:memory(K) end)) || K <- [total, processes, system, atom, binary, code, ets, bad]],
    show(memory_list, t(fun() -> erlang:memory([ets, atom_used]) end)),
    E0 = erlang:memory(ets),
    T = ets:new(t, []),
    ets:insert(T, [{I, lists:seq(1, 20)} || I <- lists:seq(1, 10000)]),
    E1 = erlang:memory(ets),
    ets:delete(T),
    E2 = erlang:memory(ets),
    show(ets_memory, {E1 - E0 > 10000 * 20 * 16, E2 - E0 < 100000}),
    [{total, Total} | Rest] = erlang:memory(),
    Parts = [proplists:get_value(K, Rest) || K <- [processes, system]],
    show(total_is_processes_and_system, Total =:= lists:sum(Parts)).

process_info() ->
    P = spawn_opt(fun() -> receive stop -> ok end end, [{fullsweep_after, 7}]),
    Items = [catchlevel, current_function, current_location, current_stacktrace, dictionary,
             error_handler, garbage_collection, group_leader, heap_size, initial_call, links,
             last_calls, memory, message_queue_len, messages, min_heap_size, min_bin_vheap_size,
             monitored_by, monitors, message_queue_data, parent, priority, reductions,
             registered_name, sequential_trace_token, stack_size, status, suspending,
             total_heap_size, trace, trap_exit, fullsweep_after, bad],
    [show(K, t(fun() -> process_info(P, K) end)) || K <- Items],
    show(fullsweep_after_value, process_info(P, fullsweep_after)),
    P ! stop,
    Q = spawn(fun() -> wait_in([a, {b}]) end),
    timer:sleep(10),
    {backtrace, B} = process_info(Q, backtrace),
    Lines = string:split(binary_to_list(B), "\n", all),
    show(backtrace, [{lists:prefix("Program counter: ", L), string:find(L, "(vminfo_shapes:wait_in/1 + ") =/= nomatch}
                     || L <- Lines, lists:prefix("Program", L)]
                    ++ [L || L <- Lines, lists:prefix("y(", L)]
                    ++ [string:find(L, "Return addr") =/= nomatch || L <- Lines, lists:prefix("0x", L)]),
    exit(Q, kill).

wait_in(X) ->
    receive stop -> X end.

main() ->
    system_info(),
    statistics(),
    memory(),
    process_info(),
    ok.
