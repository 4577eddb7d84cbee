%% trace_pattern(on_load, MS, Flags): modules loaded afterwards start with
%% local call trace (with a match spec), meta trace and counters; what
%% trace_info(on_load, Item) reports; false removes kinds; loaded code is
%% not touched (0).
-module(tmeta_on_load).
-export([main/0]).

show(Label, Value) -> io:format("~p: ~p~n", [Label, Value]).

%% A fresh module Name with f(X) -> g(X) + 1 and g(X) -> X * 2.
load(Name) ->
    Forms = [{attribute, 1, module, Name},
             {attribute, 2, export, [{f, 1}]},
             {function, 3, f, 1,
              [{clause, 3, [{var, 3, 'X'}], [],
                [{op, 3, '+', {call, 3, {atom, 3, g}, [{var, 3, 'X'}]}, {integer, 3, 1}}]}]},
             {function, 4, g, 1,
              [{clause, 4, [{var, 4, 'X'}], [], [{op, 4, '*', {var, 4, 'X'}, {integer, 4, 2}}]}]}],
    {ok, Name, Bin} = compile:forms(Forms, []),
    {module, Name} = erlang:load_module(Name, Bin).

collect(P) ->
    receive
        M when element(1, M) =:= trace, element(2, M) =:= P ->
            [list_to_tuple([tracee | tl(tl(tuple_to_list(M)))]) | collect(P)];
        M when element(1, M) =:= trace_ts, element(2, M) =:= P ->
            [list_to_tuple([meta | lists:droplast(tl(tl(tuple_to_list(M))))]) | collect(P)]
    after 100 -> []
    end.

run(F) ->
    Me = self(),
    P = spawn(fun() -> receive go -> Me ! {done, catch F()} end end),
    erlang:trace(P, true, [call]),
    P ! go,
    R = receive {done, Res} -> Res end,
    {R, collect(P)}.

items() ->
    [case erlang:trace_info(on_load, I) of
         {meta, P} when is_pid(P) -> {meta, pid};
         {all, L} when is_list(L) -> {all, [case E of {meta, P} when is_pid(P) -> {meta, pid}; _ -> E end || E <- L]};
         Other -> Other
     end || I <- [traced, match_spec, meta, meta_match_spec, call_count, call_time, all]].

main() ->
    show(before, items()),
    show(local, erlang:trace_pattern(on_load, [{'_', [], [{return_trace}]}], [local])),
    show(local_items, items()),
    load(tol_a),
    show(local_calls, run(fun() -> tol_a:f(1) end)),
    show(a_info, erlang:trace_info({tol_a, g, 1}, all)),
    show(counters, erlang:trace_pattern(on_load, true, [call_count, call_time])),
    show(meta, erlang:trace_pattern(on_load, [{'_', [], [{message, {{x}}}]}], [meta])),
    show(all_items, items()),
    load(tol_b),
    show(b_calls, run(fun() -> tol_b:f(2) end)),
    show(b_count, erlang:trace_info({tol_b, g, 1}, call_count)),
    show(a_untouched, erlang:trace_info({tol_a, g, 1}, call_count)),
    show(off_local, erlang:trace_pattern(on_load, false, [local])),
    show(off_items, items()),
    show(off_rest, erlang:trace_pattern(on_load, false, [meta, call_count, call_time])),
    show(none, items()),
    load(tol_c),
    show(c_calls, run(fun() -> tol_c:f(3) end)),
    show(c_info, erlang:trace_info({tol_c, g, 1}, all)),
    show(bad, try erlang:trace_pattern(on_load, [{'_', [], []}], [call_count]) catch error:R -> R end),
    [erlang:trace_pattern({M, '_', '_'}, false, [local, meta, call_count, call_time]) || M <- [tol_a, tol_b]],
    ok.
