-module(otp_proc_items).
-export([main/0, waiter/0]).

%% process_info/1,2 items with values that are the same on every VM.
waiter() -> receive stop -> ok end.

main() ->
    Self = self(),
    P = spawn(?MODULE, waiter, []),
    F = spawn(fun() -> receive stop -> ok end end),
    receive after 20 -> ok end,
    register(items_waiter, P),
    link(P),
    M = monitor(process, P),
    P ! hello,
    Items = [registered_name, initial_call, current_function, status, message_queue_len, messages,
             monitors, dictionary, trap_exit, error_handler, priority, catchlevel,
             last_calls, sequential_trace_token, suspending, trace, message_queue_data],
    [io:format("~p: ~p~n", [I, process_info(P, I)]) || I <- Items],
    io:format("mine ~p~n", [[process_info(P, I) =:= {I, V} || {I, V} <- [{links, [Self]}, {monitored_by, [Self]},
                                                                         {parent, Self}]]]),
    io:format("fun initial_call ~p~n", [process_info(F, initial_call)]),
    io:format("fun parent ~p~n", [process_info(F, parent) =:= {parent, Self}]),
    io:format("my monitors ~p~n", [process_info(self(), monitors) =:= {monitors, [{process, P}]}]),
    io:format("keys ~p~n", [[K || {K, _} <- process_info(P)]]),
    io:format("list ~p~n", [process_info(P, [registered_name, status, trap_exit])]),
    io:format("shapes ~p~n", [[{I, shape(element(2, process_info(P, I)))}
                               || I <- [memory, heap_size, total_heap_size, stack_size, reductions,
                                        garbage_collection, garbage_collection_info, binary,
                                        current_location, current_stacktrace]]]),
    {current_stacktrace, [Top | _]} = process_info(self(), current_stacktrace),
    io:format("my top ~p~n", [element(1, Top)]),
    io:format("current_function ~p~n", [process_info(self(), current_function)]),
    put(k, v),
    io:format("dictionary ~p~n", [process_info(self(), dictionary)]),
    io:format("bad ~p ~p~n", [catch_reason(fun() -> process_info(P, foo) end),
                              catch_reason(fun() -> process_info(x, status) end)]),
    io:format("bad list ~p~n", [catch_reason(fun() -> process_info(P, [status | x]) end)]),
    unlink(P),
    demonitor(M),
    P ! stop,
    receive after 20 -> ok end,
    io:format("dead ~p ~p~n", [process_info(P, status), process_info(P)]),
    F ! stop,
    ok.

catch_reason(F) -> try F() catch error:R -> R end.

shape(L) when is_list(L) -> list;
shape(T) when is_tuple(T) -> tuple;
shape(N) when is_integer(N), N >= 0 -> non_neg_integer;
shape(X) -> X.
