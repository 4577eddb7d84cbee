%% Match specs on send and 'receive' trace: erlang:trace_pattern(send |
%% 'receive', Spec, []) filters, {message, Term} on receive, false and true,
%% trace_info(send | 'receive', match_spec), badarg rules.
-module(trace_sr_pattern).
-export([main/0]).

collect(Names) ->
    receive
        M when element(1, M) =:= trace -> [norm(M, Names) | collect(Names)]
    after 100 -> []
    end.

norm(T, Names) when is_tuple(T) -> list_to_tuple(norm(tuple_to_list(T), Names));
norm(L, Names) when is_list(L) -> [norm(E, Names) || E <- L];
norm(P, Names) when is_pid(P) ->
    case lists:keyfind(P, 1, Names) of {P, N} -> N; false -> other_pid end;
norm(X, _) -> X.

try_(F) -> try F() catch C:R -> {C, R} end.

show(L, V) -> io:format("~p: ~p~n", [L, V]).

echo() -> receive {F, M} -> F ! M, echo() end.

%% A traced process sends keep and drop to the echo, by pid and by name, and
%% receives them back; returns the trace messages.
run(Echo) ->
    Self = self(),
    T = spawn(fun() ->
                      receive go -> ok end,
                      Echo ! {self(), keep},
                      trace_sr_pattern_echo ! {self(), drop},
                      receive keep -> ok end,
                      receive drop -> ok end,
                      Self ! done
              end),
    erlang:trace(T, true, [send, 'receive']),
    T ! go,
    receive done -> ok end,
    collect([{T, tracee}, {Echo, echo}, {Self, tracer}]).

main() ->
    Echo = spawn(fun echo/0),
    register(trace_sr_pattern_echo, Echo),
    show(info_send, erlang:trace_info(send, match_spec)),
    show(info_receive, erlang:trace_info('receive', match_spec)),
    show(info_traced, try_(fun() -> erlang:trace_info(send, traced) end)),
    show(flags, try_(fun() -> erlang:trace_pattern(send, true, [local]) end)),
    show(meta, try_(fun() -> erlang:trace_pattern('receive', true, [meta]) end)),
    show(bad_spec, try_(fun() -> erlang:trace_pattern(send, bad, []) end)),
    show(bad_action, try_(fun() -> erlang:trace_pattern(send, [{'_', [], [{nope}]}], []) end)),
    show(plain, run(Echo)),
    %% filters on the message
    show(set_send, erlang:trace_pattern(send, [{['_', {'_', keep}], [], []}], [])),
    show(set_receive, erlang:trace_pattern('receive', [{['_', '_', keep], [], []}], [])),
    show(info_set, erlang:trace_info(send, match_spec)),
    show(filtered, run(Echo)),
    %% receivers by name and by pid, senders, the node
    erlang:trace_pattern(send, [{['$1', '_'], [{is_atom, '$1'}], []}], []),
    erlang:trace_pattern('receive', [{['$1', '$2', '_'], [{'=:=', '$2', {const, Echo}}],
                                      [{message, {{from_echo, '$1'}}}]}], []),
    show(by_name, run(Echo)),
    erlang:trace_pattern('receive', [{'_', [], [{message, false}]}], []),
    show(message_false, run(Echo)),
    %% false: nothing; true and []: everything again
    show(send_false, erlang:trace_pattern(send, false, [])),
    show(info_false, erlang:trace_info(send, match_spec)),
    show(off, run(Echo)),
    show(send_true, erlang:trace_pattern(send, true, [])),
    show(receive_nil, erlang:trace_pattern('receive', [], [])),
    show(info_back, {erlang:trace_info(send, match_spec), erlang:trace_info('receive', match_spec)}),
    show(again, run(Echo)),
    show(two_args, erlang:trace_pattern(send, true)),
    ok.
