%% Call trace messages from local call trace patterns: a process with the
%% `call` flag calling a traced function sends {trace, Pid, call, {M, F, Args}}
%% to its tracer (not to itself), in call order; trace_info's traced and
%% match_spec items; patterns combined with call_count; set_on_spawn.
-module(prof_call_trace).
-export([main/0, f/1, g/0, h/2, child/1, spawner/1]).

f(X) -> X.
g() -> f(1), h(a, "b"), ok.
h(A, B) -> {A, B}.

child(Parent) ->
    receive go -> ok end,
    g(),
    _ = f(#{k => [1.5]}),
    _ = ?MODULE:f(<<"bin">>),
    _ = lists:map(fun f/1, [x, y]),
    Parent ! {done, self()}.

spawner(Parent) ->
    receive go -> ok end,
    C = spawn(?MODULE, child, [self()]),
    C ! go,
    receive {done, C} -> Parent ! {done, self()} end.

show(Label, Value) -> io:format("~p: ~p~n", [Label, Value]).

%% The trace messages received so far, with pids replaced by who sent them.
messages(Who) ->
    receive
        {trace, P, call, MFA} -> [{maps:get(P, Who, other), MFA} | messages(Who)]
    after 100 -> []
    end.

main() ->
    show(unset, erlang:trace_info({?MODULE, f, 1}, traced)),
    show(set_f, erlang:trace_pattern({?MODULE, f, 1}, true, [local])),
    show(set_h, erlang:trace_pattern({?MODULE, h, '_'}, [], [local])),
    show(info, erlang:trace_info({?MODULE, f, 1}, all)),
    show(match_spec, erlang:trace_info({?MODULE, h, 2}, match_spec)),
    C = spawn(?MODULE, child, [self()]),
    show(trace_child, erlang:trace(C, true, [call])),
    C ! go,
    receive {done, C} -> ok end,
    show(child_calls, messages(#{C => child})),
    %% a process is not its own tracer's receiver
    erlang:trace(self(), true, [call]),
    f(self_call),
    show(self_calls, messages(#{})),
    erlang:trace(self(), false, [call]),
    %% with call_count on the same function both happen
    erlang:trace_pattern({?MODULE, f, 1}, true, [call_count]),
    show(traced_and_counted, erlang:trace_info({?MODULE, f, 1}, all)),
    S = spawn(?MODULE, spawner, [self()]),
    erlang:trace(S, true, [call, set_on_spawn]),
    S ! go,
    receive {done, S} -> ok end,
    show(inherited_calls, length(messages(#{}))),
    show(count, erlang:trace_info({?MODULE, f, 1}, call_count)),
    show(pause_is_no_op, erlang:trace_pattern({?MODULE, f, 1}, pause, [local])),
    show(still_traced, erlang:trace_info({?MODULE, f, 1}, traced)),
    show(off, erlang:trace_pattern({?MODULE, '_', '_'}, false, [local])),
    show(untraced, erlang:trace_info({?MODULE, f, 1}, traced)),
    show(count_kept, erlang:trace_info({?MODULE, f, 1}, call_count)),
    erlang:trace_pattern({?MODULE, '_', '_'}, false, [call_count]),
    show(all_off, erlang:trace_info({?MODULE, f, 1}, all)).
