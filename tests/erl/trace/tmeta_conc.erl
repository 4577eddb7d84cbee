%% Meta trace and BIF breakpoints under concurrency: 8 untraced processes
%% call a meta-traced function (with return_trace) and BIFs with call_count (crc32)
%% and global call trace at once; the meta tracer must get every call and
%% return exactly once, the counts must be exact, and each tracer gets only
%% its own tracees' messages.
-module(tmeta_conc).
-export([main/0, f/1]).

-define(PROCS, 8).
-define(CALLS, 2000).

f(X) -> X + 1.

loop(0) -> ok;
loop(N) ->
    f(N),
    _ = erlang:crc32([N rem 256]),
    _ = erlang:phash2(N),
    loop(N - 1).

%% Counts {Kind, MFA} of the messages that arrive until `Total` did.
count(0, Acc) -> Acc;
count(Total, Acc) ->
    receive
        M when element(1, M) =:= trace_ts; element(1, M) =:= trace ->
            Key = {element(1, M), element(3, M), mfa(element(4, M))},
            count(Total - 1, maps:update_with(Key, fun(V) -> V + 1 end, 1, Acc))
    after 10000 -> {timeout, Total, Acc}
    end.

mfa({M, F, A}) when is_list(A) -> {M, F, length(A)};
mfa(MFA) -> MFA.

main() ->
    Me = self(),
    erlang:trace_pattern({?MODULE, f, 1}, [{'_', [], [{return_trace}]}], [{meta, Me}]),
    erlang:trace_pattern({erlang, crc32, 1}, true, [call_count]),
    erlang:trace_pattern({erlang, phash2, 1}, true, [global]),
    %% half the workers are call-traced by a tracer process of their own
    Tracers = [spawn(fun() -> receive {total, N, To} -> To ! {tracer, count(N, #{})} end end)
               || _ <- lists:seq(1, ?PROCS div 2)],
    Workers = [spawn(fun() -> receive go -> loop(?CALLS), Me ! done end end) || _ <- lists:seq(1, ?PROCS)],
    [erlang:trace(W, true, [call, {tracer, T}]) || {W, T} <- lists:zip(lists:sublist(Workers, length(Tracers)), Tracers)],
    [W ! go || W <- Workers],
    [receive done -> ok end || _ <- Workers],
    io:format("meta: ~p~n", [lists:sort(maps:to_list(count(2 * ?PROCS * ?CALLS, #{})))]),
    io:format("count: ~p~n", [erlang:trace_info({erlang, crc32, 1}, call_count)]),
    [T ! {total, ?CALLS, self()} || T <- Tracers],
    io:format("tracers: ~p~n", [[receive {tracer, R} -> lists:sort(maps:to_list(R)) end || _ <- Tracers]]),
    erlang:trace_pattern({?MODULE, f, 1}, false, [meta]),
    erlang:trace_pattern({erlang, crc32, 1}, false, [call_count]),
    erlang:trace_pattern({erlang, phash2, 1}, false, [global]),
    io:format("left: ~p~n", [receive X -> X after 200 -> none end]),
    io:format("info: ~p~n", [[erlang:trace_info(MFA, all) || MFA <- [{?MODULE, f, 1}, {erlang, crc32, 1},
                                                                    {erlang, phash2, 1}]]]).
