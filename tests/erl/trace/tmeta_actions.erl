%% Match-spec actions in call trace (local and meta): caller_line
%% ({M, F, A, {File, Line}}), caller, display (printed by the VM on stdout),
%% process_dump (a binary starting with the process's =proc: line), message
%% with terms built from the arguments, and message(false) with return_trace.
-module(tmeta_actions).
-export([main/0, a/1, b/1, w/0]).

a(X) -> b(X).
b(X) ->
    {b, X}.
w() -> R = a(1), R.

show(Label, Value) -> io:format("~p: ~p~n", [Label, Value]).

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

%% The process_dump binary: only its first line is deterministic.
dump_line({tracee, call, MFA, Bin}) when is_binary(Bin) ->
    [First | _] = binary:split(Bin, <<"\n">>),
    {call, MFA, binary:part(First, 0, 6)};
dump_line(M) -> M.

main() ->
    M = ?MODULE,
    erlang:trace_pattern({M, b, 1}, [{'_', [], [{message, {caller_line}}]}], [local]),
    show(caller_line, run(fun() -> w() end)),
    erlang:trace_pattern({M, b, 1}, [{'_', [], [{message, {{{caller}, {caller_line}}}}]}], [meta]),
    show(meta_caller_line, run(fun() -> w() end)),
    erlang:trace_pattern({M, b, 1}, false, [meta]),
    erlang:trace_pattern({M, b, 1}, [{['$1'], [], [{display, {{hello, '$1'}}}]}], [local]),
    timer:sleep(200), %% display writes straight to stdout: let io's output go first
    show(display, run(fun() -> a(3) end)),
    erlang:trace_pattern({M, b, 1}, [{'_', [], [{message, {process_dump}}]}], [local]),
    {R, [Dump]} = run(fun() -> a(4) end),
    show(process_dump, {R, dump_line(Dump)}),
    erlang:trace_pattern({M, b, 1}, [{['$1'], [], [{message, {{'$1', [a | '$1'], {self}}}}]}], [local]),
    {R5, [{tracee, call, _, {5, [a | 5], Pid}}]} = run(fun() -> a(5) end),
    show(message_terms, {R5, is_pid(Pid)}),
    erlang:trace_pattern({M, b, 1}, [{'_', [], [{message, false}, {return_trace}]}], [local]),
    show(message_false, run(fun() -> a(6) end)),
    erlang:trace_pattern({M, b, 1}, [{'_', [], [{message, false}, {message, {{x}}}]}], [local]),
    show(message_last, run(fun() -> a(7) end)),
    erlang:trace_pattern({M, '_', '_'}, false, [local]),
    ok.
