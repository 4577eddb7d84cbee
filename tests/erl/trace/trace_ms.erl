%% Call trace with match specifications, local and global patterns: the
%% messages a tracer gets for each trace-dialect action (message, return_trace,
%% exception_trace, caller, silent, trace/enable/disable, set_tcw/get_tcw),
%% which calls global and local patterns see, and trace_info's items.
-module(trace_ms).
-export([main/0, f/1, g/1, h/2, boom/1, catcher/1, loop/1, rec/1, run/1, twice/1]).

f(X) -> X + 1.
g(X) -> f(X) * 2.
h(A, B) -> {A, B}.
boom(throw) -> throw({t, 3});
boom(error) -> error({boom, 3});
boom(X) -> X.
catcher(K) -> try boom(K) catch C:R -> {caught, C, R} end.
loop(0) -> done;
loop(N) -> loop(N - 1).
rec(0) -> 0;
rec(N) -> 1 + rec(N - 1).
twice(X) -> {?MODULE:f(X), f(X)}.

%% Runs Fun in a fresh traced process; returns the trace messages it caused.
run(Fun) ->
    Parent = self(),
    P = spawn(fun() -> receive go -> ok end, R = (catch Fun()), Parent ! {done, self(), R} end),
    erlang:trace(P, true, [call]),
    P ! go,
    R = receive {done, P, Res} -> Res end,
    Msgs = collect(P),
    {R, Msgs}.

collect(P) ->
    receive
        M when element(1, M) =:= trace, element(2, M) =:= P ->
            [list_to_tuple([tracee | tl(tl(tuple_to_list(M)))]) | collect(P)]
    after 50 -> []
    end.

show(Label, Value) -> io:format("~p: ~p~n", [Label, Value]).

reset() -> erlang:trace_pattern({?MODULE, '_', '_'}, false, [local]).

main() ->
    M = ?MODULE,
    %% head and condition filters
    show(set, erlang:trace_pattern({M, f, 1}, [{[2], [], []}, {['$1'], [{'>', '$1', 10}], []}], [local])),
    show(filter, run(fun() -> [f(1), f(2), f(11), f(5)] end)),
    show(ms_info, erlang:trace_info({M, f, 1}, match_spec)),
    show(traced, erlang:trace_info({M, f, 1}, traced)),
    show(all, erlang:trace_info({M, f, 1}, all)),
    show(items, [erlang:trace_info({M, f, 1}, I) || I <- [meta, meta_match_spec, call_count, call_time]]),
    %% message(Extra) and message(false)
    erlang:trace_pattern({M, f, 1}, [{['$1'], [], [{message, {{arg, '$1'}}}]}], [local]),
    show(message, run(fun() -> f(4) end)),
    erlang:trace_pattern({M, f, 1}, [{'_', [], [{message, false}, {return_trace}]}], [local]),
    show(message_false, run(fun() -> g(4) end)),
    erlang:trace_pattern({M, f, 1}, [{'_', [], [{message, '$_'}, {message, true}]}], [local]),
    show(message_true, run(fun() -> f(1) end)),
    %% return_trace on nested and recursive calls
    [erlang:trace_pattern({M, F, 1}, [{'_', [], [{return_trace}]}], [local])
     || F <- [f, g, rec, loop, catcher, boom]],
    show(return_nested, run(fun() -> g(1) end)),
    show(return_rec, run(fun() -> rec(2) end)),
    show(return_tail, run(fun() -> loop(2) end)),
    show(return_throw, run(fun() -> catcher(throw) end)),
    reset(),
    %% exception_trace
    erlang:trace_pattern({M, boom, 1}, [{'_', [], [{exception_trace}]}], [local]),
    erlang:trace_pattern({M, catcher, 1}, [{'_', [], [{exception_trace}]}], [local]),
    show(exc_error, run(fun() -> catcher(error) end)),
    show(exc_throw, run(fun() -> catcher(throw) end)),
    show(exc_normal, run(fun() -> catcher(ok) end)),
    {{'EXIT', {Reason, _}}, Uncaught} = run(fun() -> boom(error) end),
    show(exc_uncaught, {Reason, Uncaught}),
    reset(),
    %% caller
    erlang:trace_pattern({M, f, 1}, [{'_', [], [{message, {caller}}]}], [local]),
    show(caller, run(fun() -> g(1) end)),
    erlang:trace_pattern({M, f, 1}, [{'_', [], [{message, {caller}}, {return_trace}]}], [local]),
    erlang:trace_pattern({M, g, 1}, [{'_', [], [{return_trace}]}], [local]),
    show(caller_frames, run(fun() -> g(1) end)),
    reset(),
    %% silent
    erlang:trace_pattern({M, f, 1}, [{[1], [], [{silent, true}]}, {[2], [], [{silent, false}]}, {'_', [], []}], [local]),
    show(silent, run(fun() -> [f(0), f(1), f(3), f(2), f(4)] end)),
    reset(),
    %% trace control word
    erlang:trace_pattern({M, f, 1}, [{'_', [{'=:=', {get_tcw}, 0}], [{message, {set_tcw, 5}}]},
                                     {'_', [], [{message, {get_tcw}}]}], [local]),
    show(tcw, run(fun() -> [f(1), f(2)] end)),
    erlang:trace_pattern({M, f, 1}, [{'_', [], [{message, {set_tcw, 0}}, {message, {{{get_tcw}, '$_'}}}]}], [local]),
    show(tcw_reset, run(fun() -> f(1) end)),
    reset(),
    %% enable/disable the call flag from a match spec
    erlang:trace_pattern({M, f, 1}, [{[3], [], [{disable_trace, call}]}, {'_', [], []}], [local]),
    show(disable, run(fun() -> [f(1), f(3), f(4)] end)),
    erlang:trace_pattern({M, f, 1}, [{[3], [], [{message, {trace, [call], []}}]}, {'_', [], []}], [local]),
    show(trace2, run(fun() -> [f(1), f(3), f(4)] end)),
    erlang:trace_pattern({M, f, 1}, [{'_', [], [{message, {enable_trace, call}}]}], [local]),
    show(enable, run(fun() -> f(1) end)),
    reset(),
    %% global patterns see only calls through the export
    show(global_set, erlang:trace_pattern({M, f, 1}, true, [global])),
    show(global_unexported, erlang:trace_pattern({M, show, 2}, true, [global])),
    show(global_traced, erlang:trace_info({M, f, 1}, traced)),
    show(global_calls, run(fun() -> twice(1) end)),
    show(global_apply, run(fun() -> apply(M, f, [7]) end)),
    show(global_fun, run(fun() -> lists:map(fun M:f/1, [8]) end)),
    erlang:trace_pattern({M, f, 1}, [{'_', [], [{return_trace}]}], [global]),
    show(global_ms, run(fun() -> twice(2) end)),
    show(global_ms_info, erlang:trace_info({M, f, 1}, all)),
    %% local replaces global, global replaces local and call_count
    erlang:trace_pattern({M, f, 1}, true, [local]),
    show(local_again, erlang:trace_info({M, f, 1}, traced)),
    show(local_calls, run(fun() -> twice(3) end)),
    erlang:trace_pattern({M, f, 1}, true, [call_count]),
    erlang:trace_pattern({M, f, 1}, true, [global]),
    show(global_clears, erlang:trace_info({M, f, 1}, all)),
    erlang:trace_pattern({M, f, 1}, false, [global]),
    show(global_off, erlang:trace_info({M, f, 1}, all)),
    show(off_calls, run(fun() -> twice(4) end)),
    %% pause and restart leave the call trace on
    erlang:trace_pattern({M, h, 2}, true, [local]),
    show(pause, erlang:trace_pattern({M, h, 2}, pause, [local])),
    show(paused_calls, run(fun() -> h(1, 2) end)),
    reset(),
    %% bad specs and flags
    Bad = fun(Spec, Flags) ->
              try erlang:trace_pattern({M, f, 1}, Spec, Flags) catch error:E -> E end
          end,
    show(bad_action, Bad([{'_', [], [{nonexistent}]}], [local])),
    show(bad_head, Bad([{foo, [], []}], [local])),
    show(bad_term, Bad(notaspec, [local])),
    show(bad_both, Bad(true, [local, global])),
    show(bad_counter_ms, Bad([{'_', [], []}], [call_count])),
    show(bad_global_count, Bad(true, [global, call_count])),
    show(wrong_length_head, Bad([{[1, 2], [], []}], [local])),
    reset(),
    ok.
