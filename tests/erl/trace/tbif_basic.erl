%% Breakpoints on BIFs: global and local call trace (with return_trace and
%% exception_trace), meta trace, call_count and call_time on BIFs of
%% erlang, lists, ets and maps, called directly, through apply/3 and through
%% funs; operators and guard BIFs match patterns but never report; trace_info.
-module(tbif_basic).
-export([main/0]).

show(Label, Value) -> io:format("~p: ~p~n", [Label, Value]).

collect(P) ->
    receive
        M when element(1, M) =:= trace, element(2, M) =:= P ->
            [list_to_tuple([tracee | tl(tl(tuple_to_list(M)))]) | collect(P)];
        M when element(1, M) =:= trace_ts, element(2, M) =:= P ->
            [list_to_tuple([meta | lists:droplast(tl(tl(tuple_to_list(M))))]) | collect(P)]
    after 100 -> []
    end.

%% Runs F in a process traced with [call]; its result and the messages.
run(F) ->
    Me = self(),
    P = spawn(fun() -> receive go -> Me ! {done, catch F()} end end),
    erlang:trace(P, true, [call]),
    P ! go,
    R = receive {done, Res} -> Res end,
    {R, collect(P)}.

calls(T) ->
    Map = maps:from_list([{a, 1}]),
    B = erlang:term_to_binary(ok),
    L = lists:reverse([1, 2], [3]),
    ets:insert(T, {k, 1}),
    V = maps:get(a, Map),
    A = apply(erlang, phash2, [x]) > 0,
    F = fun lists:reverse/2,
    {B, L, V, A, F([a], [])}.

main() ->
    T = ets:new(tbif_t, [public, named_table]),
    Targets = [{erlang, term_to_binary, 1}, {lists, reverse, 2}, {ets, insert, 2}, {maps, get, 2},
               {erlang, phash2, 1}],
    show(global, [erlang:trace_pattern(MFA, true, [global]) || MFA <- Targets]),
    show(global_calls, run(fun() -> calls(T) end)),
    show(info_global, [erlang:trace_info(MFA, traced) || MFA <- Targets]),
    show(local, [erlang:trace_pattern(MFA, [{'_', [], [{return_trace}]}], [local]) || MFA <- Targets]),
    show(local_calls, run(fun() -> calls(T) end)),
    show(info_local, erlang:trace_info({lists, reverse, 2}, all)),
    %% exception_trace on a failing BIF
    erlang:trace_pattern({erlang, binary_to_term, 1}, [{'_', [], [{exception_trace}]}], [local]),
    {{'EXIT', {badarg, _}}, Exc} = run(fun() -> binary_to_term(<<1>>) end),
    show(exception, Exc),
    erlang:trace_pattern({erlang, binary_to_term, 1}, false, [local]),
    [erlang:trace_pattern(MFA, false, [local]) || MFA <- Targets],
    show(off_calls, run(fun() -> calls(T) end)),
    %% meta trace on a BIF reports untraced processes
    show(meta, erlang:trace_pattern({lists, reverse, 2}, [{'_', [], [{return_trace}]}], [meta])),
    Me = self(),
    spawn(fun() -> Me ! {r, lists:reverse([x], [])} end),
    receive {r, _} -> ok end,
    show(meta_msgs, collect_any()),
    erlang:trace_pattern({lists, reverse, 2}, false, [meta]),
    %% operators and guard BIFs match but never report
    Ubifs = [{erlang, length, 1}, {erlang, element, 2}, {erlang, '+', 2}, {erlang, self, 0},
             {erlang, is_atom, 1}, {erlang, map_get, 2}],
    show(ubif_set, [erlang:trace_pattern(MFA, true, [local]) || MFA <- Ubifs]),
    show(ubif_calls, run(fun() ->
                                 [apply(erlang, length, [[1]]), apply(erlang, element, [1, {a}]),
                                  apply(erlang, '+', [1, 2]), (fun erlang:is_atom/1)(a),
                                  apply(erlang, map_get, [a, #{a => 1}])]
                         end)),
    [erlang:trace_pattern(MFA, false, [local]) || MFA <- Ubifs],
    %% call_count and call_time
    show(count, erlang:trace_pattern({lists, reverse, 2}, true, [call_count])),
    show(time, erlang:trace_pattern({erlang, phash2, 1}, true, [call_time])),
    run(fun() -> [lists:reverse([I], []) || I <- lists:seq(1, 5)], [erlang:phash2(I) || I <- [1, 2, 3]] end),
    show(counted, erlang:trace_info({lists, reverse, 2}, call_count)),
    {call_time, [{_, 3, S, Us}]} = erlang:trace_info({erlang, phash2, 1}, call_time),
    show(timed, is_integer(S) andalso is_integer(Us)),
    show(count_pause, erlang:trace_pattern({lists, reverse, 2}, pause, [call_count])),
    lists:reverse([1], []),
    show(paused, erlang:trace_info({lists, reverse, 2}, call_count)),
    erlang:trace_pattern({lists, reverse, 2}, false, [call_count]),
    erlang:trace_pattern({erlang, phash2, 1}, false, [call_time]),
    show(cleared, [erlang:trace_info({lists, reverse, 2}, all), erlang:trace_info({erlang, phash2, 1}, all)]),
    %% patterns over whole BIF modules
    show(maps_all, erlang:trace_pattern({maps, '_', '_'}, true, [call_count]) > 0),
    show(maps_counted, begin maps:put(a, 1, #{}), erlang:trace_info({maps, put, 3}, call_count) end),
    erlang:trace_pattern({maps, '_', '_'}, false, [call_count]),
    ok.

collect_any() ->
    receive
        M when element(1, M) =:= trace_ts ->
            [list_to_tuple(lists:droplast(tl(tl(tuple_to_list(M))))) | collect_any()]
    after 100 -> []
    end.
