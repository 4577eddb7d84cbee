%% Call trace patterns with match specs set and cleared (local, global, off)
%% while many traced processes call the traced functions on every
%% scheduler, each with its own counting tracer that dies and is replaced.
%% Nothing may crash; once the patterns stop changing, every call gives
%% exactly its call and return_from messages.
-module(trace_ms_conc).
-export([main/0, f/1, g/1, worker/2, tracer/1]).

f(X) -> g(X) + 1.
g(X) -> X * 2.

worker(Parent, N) ->
    receive
        {run, From, K} ->
            [?MODULE:f(I) || I <- lists:seq(1, K)],
            From ! {ran, self()},
            worker(Parent, N);
        stop -> ok
    end.

tracer(Counts) ->
    receive
        {trace, _, Kind, _} -> tracer(maps:update_with(Kind, fun(C) -> C + 1 end, 1, Counts));
        {trace, _, Kind, _, _} -> tracer(maps:update_with(Kind, fun(C) -> C + 1 end, 1, Counts));
        {report, From, Total} -> report(Counts, From, Total);
        die -> exit(normal)
    end.

specs() ->
    [{true, [local]}, {[{'_', [], [{return_trace}]}], [local]},
     {[{['$1'], [{'>', '$1', 5}], [{exception_trace}, {message, {caller}}]}], [global]},
     {false, [local]}, {[{'_', [], [{return_trace}, {message, false}]}], [global]},
     {true, [call_count]}, {false, [call_count]}].

churn(0) -> ok;
churn(N) ->
    {Spec, Flags} = lists:nth(N rem length(specs()) + 1, specs()),
    erlang:trace_pattern({?MODULE, f, 1}, Spec, Flags),
    erlang:trace_pattern({?MODULE, g, 1}, Spec, Flags),
    churn(N - 1).

%% OTP delivers trace messages asynchronously: wait (a while) until all have come.
report(Counts, From, Total) ->
    case lists:sum(maps:values(Counts)) >= Total of
        true -> From ! {counts, self(), Counts}, tracer(#{});
        false ->
            receive
                {trace, _, Kind, _} -> report(maps:update_with(Kind, fun(C) -> C + 1 end, 1, Counts), From, Total);
                {trace, _, Kind, _, _} -> report(maps:update_with(Kind, fun(C) -> C + 1 end, 1, Counts), From, Total)
            after 5000 -> From ! {counts, self(), Counts}, tracer(#{})
            end
    end.

run_all(Ws, K) ->
    [W ! {run, self(), K} || W <- Ws],
    [receive {ran, W} -> ok end || W <- Ws].

main() ->
    Self = self(),
    Ws = [spawn(?MODULE, worker, [Self, I]) || I <- lists:seq(1, 40)],
    T0s = [spawn(?MODULE, tracer, [#{}]) || _ <- Ws],
    [erlang:trace(W, true, [call, {tracer, T}]) || {W, T} <- lists:zip(Ws, T0s)],
    Runner = spawn(fun() -> [run_all(Ws, 200) || _ <- lists:seq(1, 10)], Self ! runs_done end),
    churn(300),
    %% tracers die and are replaced while the calls go on
    [T ! die || T <- T0s],
    receive runs_done -> ok end,
    _ = Runner,
    [erlang:trace(W, false, [all]) || W <- Ws],
    Ts = [spawn(?MODULE, tracer, [#{}]) || _ <- Ws],
    [erlang:trace(W, true, [call, {tracer, T}]) || {W, T} <- lists:zip(Ws, Ts)],
    erlang:trace_pattern({?MODULE, f, 1}, [{'_', [], [{return_trace}]}], [global]),
    erlang:trace_pattern({?MODULE, g, 1}, [{['$1'], [{'=<', '$1', 50}], [{return_trace}]}], [local]),
    run_all(Ws, 100),
    Counts = [begin T ! {report, self(), 300}, receive {counts, T, C} -> C end end || T <- Ts],
    io:format("~p~n", [lists:usort(Counts)]),
    erlang:trace_pattern({?MODULE, '_', '_'}, false, [local]),
    [W ! stop || W <- Ws],
    ok.
