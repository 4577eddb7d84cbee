-module(otp_flags).
-export([main/0]).

%% process_flag/2,3 and spawn_opt/2,4 options: old values, OTP's rounding of
%% heap sizes, badarg for bad values, and what process_info then reports.
reason(F) -> try F() of V -> V catch error:R -> {error, R} end.

%% In a process of its own: erl's -s process traps exits, erbium's does not yet.
main() ->
    Self = self(),
    spawn_link(fun() -> flags(), Self ! done end),
    receive done -> ok end.

%% garbage_collection without minor_gcs, which counts collections so far.
gc(Info) -> [{K, [X || {G, _} = X <- V, G =/= minor_gcs]} || {K, V} <- Info, K =:= garbage_collection] ++
            [X || {K, _} = X <- Info, K =/= garbage_collection].

flags() ->
    Flags = [{trap_exit, true}, {trap_exit, false}, {trap_exit, 1}, {error_handler, foo},
             {error_handler, error_handler}, {error_handler, "x"}, {fullsweep_after, 10},
             {fullsweep_after, -1}, {min_heap_size, 1000}, {min_heap_size, 10}, {min_heap_size, -1},
             {min_bin_vheap_size, 100000}, {min_bin_vheap_size, x}, {max_heap_size, 100000},
             {max_heap_size, #{size => 200000, kill => false}}, {max_heap_size, #{size => 10}},
             {max_heap_size, #{}}, {max_heap_size, #{foo => 1}}, {max_heap_size, 0}, {max_heap_size, -3},
             {message_queue_data, off_heap}, {message_queue_data, on_heap}, {message_queue_data, x},
             {priority, high}, {priority, low}, {priority, normal}, {priority, x}, {save_calls, 5},
             {save_calls, 0}, {save_calls, 20000}, {sensitive, true}, {sensitive, false}, {sensitive, x},
             {monitor_nodes, true}, {monitor_nodes, true}, {monitor_nodes, false}, {foo, bar}, {"x", 1}],
    [io:format("~p -> ~p~n", [F, reason(fun() -> process_flag(K, V) end)]) || {K, V} = F <- Flags],
    io:format("~p~n", [gc(process_info(self(), [garbage_collection, min_heap_size, min_bin_vheap_size,
                                                message_queue_data, error_handler, priority, trap_exit]))]),
    Q = spawn(fun() -> receive _ -> ok end end),
    io:format("save_calls other ~p ~p~n", [process_flag(Q, save_calls, 3), process_flag(Q, save_calls, 7)]),
    io:format("other flag ~p~n", [reason(fun() -> process_flag(Q, trap_exit, true) end)]),
    Opts = [[{min_heap_size, 1000}, {min_bin_vheap_size, 50000}, {fullsweep_after, 3},
             {message_queue_data, off_heap}, {priority, high},
             {max_heap_size, #{size => 100000, kill => false, error_logger => false}}],
            [link, {monitor, [{tag, t}]}], [{fullsweep_after, -1}], [{min_heap_size, x}],
            [{message_queue_data, x}], [{max_heap_size, #{size => 5}}], [foo], [{monitor, [foo]}],
            [{monitor, [{alias, x}]}], [{priority, x}], [link | x], [{min_bin_vheap_size, -1}]],
    Me = self(),
    Report = fun() ->
                 Me ! {info, process_info(self(), [min_heap_size, min_bin_vheap_size, garbage_collection,
                                                    message_queue_data, priority])}
             end,
    [case reason(fun() -> spawn_opt(Report, O) end) of
         {error, E} -> io:format("~p -> ~p~n", [O, E]);
         _ -> receive {info, I} -> io:format("~p -> ~p~n", [O, gc(I)]) end
     end || O <- Opts],
    io:format("flush ~p~n", [[element(1, M) || M <- flush()]]),
    ok.

flush() -> receive M -> [M | flush()] after 50 -> [] end.
