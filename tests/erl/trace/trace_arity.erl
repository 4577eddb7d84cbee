%% The arity flag (call messages name {M, F, Arity}), call trace messages with
%% time stamps and scheduler_id, and a call flag set through set_on_spawn.
-module(trace_arity).
-export([main/0, f/2, g/1]).

f(A, B) -> g(A) + B.
g(X) -> X * 2.

collect() ->
    receive
        M when element(1, M) =:= trace; element(1, M) =:= trace_ts -> [M | collect()]
    after 100 -> []
    end.

shape({A, B, C}) when is_integer(A), is_integer(B), is_integer(C) -> now_style;
shape(I) when is_integer(I) -> integer;
shape(P) when is_pid(P) -> pid;
shape(X) -> X.

%% The message without the tracee; pids, stamps and scheduler numbers by their shape.
describe(M) ->
    [Tag, _P, What, Item | Rest] = tuple_to_list(M),
    list_to_tuple([Tag, What, Item | [shape(E) || E <- Rest]]).

run(Flags) ->
    Self = self(),
    P = spawn(fun() -> receive go -> ok end, R = ?MODULE:f(1, 2), Self ! {done, R}, receive stop -> ok end end),
    erlang:trace(P, true, Flags),
    P ! go,
    receive {done, R} -> ok end,
    Msgs = collect(),
    exit(P, kill),
    {R, [describe(M) || M <- Msgs]}.

main() ->
    erlang:trace_pattern({?MODULE, f, 2}, true, [local]),
    erlang:trace_pattern({?MODULE, g, 1}, true, [local]),
    io:format("call ~p~n", [run([call])]),
    io:format("arity ~p~n", [run([call, arity])]),
    io:format("arity ts ~p~n", [run([call, arity, timestamp])]),
    erlang:trace_pattern({?MODULE, f, 2}, [{'_', [], [{return_trace}]}], [local]),
    io:format("return ts ~p~n", [run([call, arity, timestamp])]),
    io:format("return sched ~p~n", [run([call, scheduler_id])]),
    io:format("silent send ~p~n", [run([call, send, silent])]),
    %% arity through set_on_spawn
    Self = self(),
    P = spawn(fun() ->
                      receive go -> ok end,
                      spawn(fun() -> ?MODULE:g(5), Self ! child_done end),
                      receive stop -> ok end
              end),
    erlang:trace(P, true, [call, arity, set_on_spawn]),
    P ! go,
    receive child_done -> ok end,
    io:format("child ~p~n", [[describe(M) || M <- collect()]]),
    exit(P, kill),
    ok.
