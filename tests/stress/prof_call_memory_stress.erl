%% call_memory under load (erbium alone: OTP 25 has no call_memory): many
%% processes on every scheduler, migrating (yield, sleeps) and collecting,
%% each call a known number of times functions allocating known words,
%% some receiving messages that land on their heap, while queriers read
%% trace_info and a controller pauses and restarts an unrelated function's
%% pattern. Every process's words and calls must come out exact.
-module(prof_call_memory_stress).
-export([main/0, tup3/0, cons/2, recv/0, noise/1, worker/2, querier/1, echo/0]).

-define(WORKERS, 8).
-define(CALLS, 300).

tup3() -> {self(), self(), self()}.                  % 4 words
cons(0, Acc) -> Acc;
cons(N, Acc) -> ?MODULE:cons(N - 1, [N | Acc]).      % 2 words a call
recv() -> receive {msg, _} = M -> M end.             % a 9-word message (a 2-tuple, 3 cons cells)
noise(I) -> {I, self()}.

%% Sends {msg, [a, b, c]}, built at run time, to whoever asks (untraced).
echo() ->
    receive
        {From, go} -> From ! {msg, lists:reverse([c, b, a])}, echo();
        stop -> ok
    end.

worker(Parent, _Id) ->
    Echo = spawn_link(?MODULE, echo, []),
    loop(?CALLS, Echo),
    Echo ! stop,
    Parent ! {done, self()}.

loop(0, _) -> ok;
loop(I, Echo) ->
    _ = ?MODULE:tup3(),
    _ = ?MODULE:cons(3, []),
    Echo ! {self(), go},
    _ = ?MODULE:recv(),
    _ = ?MODULE:noise(I),
    if I rem 97 =:= 0 -> erlang:garbage_collect();
       I rem 31 =:= 0 -> erlang:yield();
       I rem 251 =:= 0 -> timer:sleep(1);
       true -> ok
    end,
    loop(I - 1, Echo).

%% A short pause between bursts of queries: a querier that never waits takes whole
%% slices from the workers and their echoes, and the run only gets slower.
querier(Parent) ->
    receive stop -> Parent ! querier_done
    after 1 ->
        [{_, _} = erlang:trace_info({?MODULE, F, A}, Item)
         || _ <- lists:seq(1, 20), {F, A, Item} <- [{tup3, 0, call_memory}, {cons, 2, all}]],
        querier(Parent)
    end.

controller(0) -> ok;
controller(N) ->
    erlang:trace_pattern({?MODULE, noise, 1}, pause, [call_memory]),
    erlang:trace_pattern({?MODULE, noise, 1}, restart, [call_memory]),
    erlang:trace_pattern({?MODULE, noise, 1}, true, [call_memory, call_time]),
    erlang:trace_pattern({?MODULE, noise, 1}, false, [call_memory, call_time]),
    controller(N - 1).

per_pid(F, A, Pids) ->
    {call_memory, L} = erlang:trace_info({?MODULE, F, A}, call_memory),
    Mine = [{Calls, Words} || {P, Calls, Words} <- L, lists:member(P, Pids)],
    {length(Mine), lists:usort(Mine)}.

main() ->
    Self = self(),
    [1 = erlang:trace_pattern({?MODULE, F, A}, true, [call_memory]) || {F, A} <- [{tup3, 0}, {cons, 2}, {recv, 0}]],
    erlang:trace(new_processes, true, [call]),
    Pids = [spawn_link(?MODULE, worker, [Self, I]) || I <- lists:seq(1, ?WORKERS)],
    erlang:trace(new_processes, false, [call]),
    Qs = [spawn_link(?MODULE, querier, [Self]) || _ <- [1, 2]],
    controller(20),
    [receive {done, P} -> ok end || P <- Pids],
    [Q ! stop || Q <- Qs],
    [receive querier_done -> ok end || _ <- Qs],
    io:format("tup3: ~p~n", [per_pid(tup3, 0, Pids)]),
    io:format("cons: ~p~n", [per_pid(cons, 2, Pids)]),
    io:format("recv: ~p~n", [per_pid(recv, 0, Pids)]),
    io:format("expected: tup3 ~p, cons ~p, recv ~p~n",
              [{?CALLS, 4 * ?CALLS}, {4 * ?CALLS, 6 * ?CALLS}, {?CALLS, 9 * ?CALLS}]),
    erlang:trace_pattern({?MODULE, '_', '_'}, false, [call_memory]),
    ok.
