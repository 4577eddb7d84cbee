%% Time stamps (timestamp, monotonic_timestamp, strict_monotonic_timestamp,
%% cpu_timestamp), scheduler_id, and erlang:trace_delivered/1.
-module(trace_stamps).
-export([main/0]).

collect() ->
    receive
        M when element(1, M) =:= trace; element(1, M) =:= trace_ts -> [M | collect()]
    after 100 -> []
    end.

shape({A, B, C}) when is_integer(A), is_integer(B), is_integer(C), B < 1000000, C < 1000000 -> now_style;
shape({A, B}) when is_integer(A), is_integer(B) -> strict;
shape(I) when is_integer(I) -> integer;
shape(P) when is_pid(P) -> pid;
shape(A) when is_atom(A) -> A;
shape(X) -> {other, X}.

%% The tag, the event and the shape of each message's extra elements.
describe(M) ->
    [Tag, _P, What | Rest] = tuple_to_list(M),
    {Tag, What, [shape(E) || E <- Rest]}.

run(Flags) ->
    Self = self(),
    P = spawn(fun() -> receive go -> ok end, Self ! hi, receive stop -> ok end end),
    R = erlang:trace(P, true, Flags),
    P ! go,
    receive hi -> ok end,
    Ref = erlang:trace_delivered(P),
    receive {trace_delivered, P, Ref} -> ok end,
    Msgs = collect(),
    exit(P, kill),
    {R, [describe(M) || M <- Msgs]}.

main() ->
    io:format("plain ~p~n", [run([send, 'receive'])]),
    io:format("timestamp ~p~n", [run([send, timestamp])]),
    io:format("monotonic ~p~n", [run([send, monotonic_timestamp])]),
    io:format("strict ~p~n", [run([send, strict_monotonic_timestamp])]),
    io:format("ts+mono ~p~n", [run([send, monotonic_timestamp, timestamp])]),
    io:format("strict+mono ~p~n", [run([send, monotonic_timestamp, strict_monotonic_timestamp])]),
    io:format("sched ~p~n", [run([send, scheduler_id])]),
    io:format("sched+ts ~p~n", [run(['receive', scheduler_id, monotonic_timestamp])]),
    %% monotonic stamps grow; the strict ones are unique
    Self = self(),
    P = spawn(fun() -> receive go -> ok end, [Self ! I || I <- lists:seq(1, 20)], receive stop -> ok end end),
    erlang:trace(P, true, [send, strict_monotonic_timestamp]),
    P ! go,
    [receive I -> ok end || I <- lists:seq(1, 20)],
    Stamps = [element(6, M) || M <- collect()],
    io:format("strict sorted ~p unique ~p~n", [Stamps =:= lists:sort(Stamps), length(lists:usort(Stamps)) =:= 20]),
    %% the scheduler number is one of the schedulers
    Q = spawn(fun() -> receive go -> ok end, Self ! x, receive stop -> ok end end),
    erlang:trace(Q, true, [send, scheduler_id]),
    Q ! go,
    receive x -> ok end,
    [{trace, Q, send, x, Self, S}] = collect(),
    io:format("sched in range ~p~n", [S >= 1 andalso S =< erlang:system_info(schedulers)]),
    %% cpu_timestamp with all
    io:format("cpu ~p~n", [erlang:trace(all, true, [cpu_timestamp])]),
    io:format("cpu run ~p~n", [run([send, timestamp])]),
    erlang:trace(all, false, [cpu_timestamp]),
    %% trace_delivered on an untraced, a dead and a bad argument
    R1 = erlang:trace_delivered(Self),
    io:format("delivered self ~p~n", [receive {trace_delivered, Self, R1} -> ok after 1000 -> timeout end]),
    D = spawn(fun() -> ok end),
    timer:sleep(10),
    R2 = erlang:trace_delivered(D),
    io:format("delivered dead ~p~n", [receive {trace_delivered, D, R2} -> ok after 1000 -> timeout end]),
    R3 = erlang:trace_delivered(all),
    io:format("delivered all ~p~n", [receive {trace_delivered, all, R3} -> ok after 1000 -> timeout end]),
    Bad = try erlang:trace_delivered(foo)
          catch error:R:St -> {R, [I || {erlang, trace_delivered, _, I} <- St]}
          end,
    io:format("delivered bad ~p~n", [Bad]),
    ok.
