%% Meta trace: erlang:trace_pattern(MFA, MS, [meta | {meta, Pid}]) reports
%% every call to the meta tracer with a timestamp, whatever the caller's
%% trace flags; return_from / exception_from through the meta spec; meta
%% and local call trace side by side; what a global pattern clears; the
%% flag combinations trace_pattern accepts; trace_info's meta items.
-module(tmeta_basic).
-export([main/0, a/1, b/1, c/1, boom/1, catcher/1]).

a(X) -> b(X) + 1.
b(X) -> X * 2.
c(X) -> {c, X}.
boom(X) -> error({boom, X}).
catcher(X) -> try boom(X) catch error:R -> {caught, R} end.

show(Label, Value) -> io:format("~p: ~p~n", [Label, Value]).

t(F) -> try F() catch C:R -> {C, R} end.

%% The meta messages the caller got, pids named and time stamps checked.
meta_msgs(Tracee) ->
    receive
        M when element(1, M) =:= trace_ts ->
            L = tuple_to_list(M),
            {TS, Rest} = {lists:last(L), lists:droplast(L)},
            {Mega, Sec, Micro} = TS,
            true = is_integer(Mega) andalso is_integer(Sec) andalso is_integer(Micro),
            [list_to_tuple([ts | [name(E, Tracee) || E <- tl(Rest)]]) | meta_msgs(Tracee)];
        M when element(1, M) =:= trace ->
            [list_to_tuple([name(E, Tracee) || E <- tuple_to_list(M)]) | meta_msgs(Tracee)]
    after 100 -> []
    end.

name(P, P) -> tracee;
name(P, _) when P =:= self() -> me;
name(E, _) -> E.

%% Runs F in a process with no trace flags.
run_plain(F) ->
    Me = self(),
    P = spawn(fun() -> receive go -> Me ! {done, catch F()} end end),
    P ! go,
    R = receive {done, Res} -> Res end,
    {R, meta_msgs(P)}.

main() ->
    M = ?MODULE,
    Me = self(),
    %% a plain `meta` makes the caller the meta tracer; untraced processes are reported
    show(set_meta, erlang:trace_pattern({M, a, 1}, true, [meta])),
    show(plain, run_plain(fun() -> a(3) end)),
    show(info_meta, erlang:trace_info({M, a, 1}, meta) =:= {meta, Me}),
    show(info_meta_ms, erlang:trace_info({M, a, 1}, meta_match_spec)),
    show(info_traced, erlang:trace_info({M, a, 1}, traced)),
    show(info_all, [{K, name(V, none)} || {K, V} <- element(2, erlang:trace_info({M, a, 1}, all))]),
    %% a match spec: return_trace and message/1 go to the meta tracer
    show(set_ms, erlang:trace_pattern({M, b, 1}, [{['$1'], [{'>', '$1', 1}], [{return_trace}, {message, {{arg, '$1'}}}]}],
                                      [{meta, Me}])),
    show(filtered, run_plain(fun() -> [a(1), a(2)] end)),
    show(info_b, erlang:trace_info({M, b, 1}, meta_match_spec)),
    %% exception_trace through meta
    erlang:trace_pattern({M, boom, 1}, [{'_', [], [{exception_trace}]}], [meta]),
    erlang:trace_pattern({M, catcher, 1}, [{'_', [], [{exception_trace}]}], [meta]),
    show(exception, run_plain(fun() -> catcher(7) end)),
    erlang:trace_pattern({M, '_', '_'}, false, [meta]),
    show(all_off, erlang:trace_info({M, a, 1}, all)),
    %% meta and local trace together, each to its own tracer
    Tracer = spawn(fun() -> receive {dump, To} -> To ! {local_got, meta_msgs(none)} end end),
    show(local, erlang:trace_pattern({M, c, 1}, [{'_', [], [{return_trace}]}], [local])),
    show(meta, erlang:trace_pattern({M, c, 1}, [], [meta])),
    P = spawn(fun() -> receive go -> c(1), Me ! done end end),
    erlang:trace(P, true, [call, {tracer, Tracer}]),
    P ! go,
    receive done -> ok end,
    show(both_meta, meta_msgs(P)),
    Tracer ! {dump, self()},
    receive {local_got, Got} -> show(both_local, length(Got)) end,
    show(both_all, [{K, name(V, none)} || {K, V} <- element(2, erlang:trace_info({M, c, 1}, all))]),
    %% setting global clears local and meta
    show(global, erlang:trace_pattern({M, c, 1}, true, [global])),
    show(after_global, erlang:trace_info({M, c, 1}, all)),
    show(global_off, erlang:trace_pattern({M, c, 1}, false, [global])),
    show(after_off, erlang:trace_info({M, c, 1}, all)),
    %% meta with counters
    show(meta_count, erlang:trace_pattern({M, a, 1}, true, [meta, call_count])),
    run_plain(fun() -> a(1) end),
    show(count_info, [{K, name(V, none)} || {K, V} <- element(2, erlang:trace_info({M, a, 1}, all))]),
    show(meta_pause, erlang:trace_pattern({M, a, 1}, pause, [meta])),
    show(paused_meta, erlang:trace_info({M, a, 1}, meta) =:= {meta, Me}),
    erlang:trace_pattern({M, a, 1}, false, [meta, call_count]),
    show(off_again, erlang:trace_info({M, a, 1}, all)),
    %% flag combinations
    show(combos, [t(fun() -> erlang:trace_pattern({M, a, 1}, S, F) end)
                  || {S, F} <- [{true, [global, meta]}, {true, [meta, {meta, Me}]}, {true, [{meta, self}]},
                                {true, [{meta, Me, x}]}, {[{'_', [], []}], [meta, call_count]},
                                {true, [local, {meta, Me}]}, {false, [local, meta]}]]),
    show(final, erlang:trace_info({M, a, 1}, all)),
    ok.
