%% Send, 'receive', running, garbage_collection and procs trace from many processes on every
%% scheduler at once: each tracer gets exactly the messages of its tracees,
%% in each tracee's order; a tracer that dies takes its tracees' flags with it.
-module(trace_flags_conc).
-export([main/0]).

-define(PAIRS, 8).
-define(ROUNDS, 500).

%% A tracer: counts messages per {Tracee, Kind} and checks each tracee's
%% sends carry 1, 2, 3... in order.
tracer(Counts, Last) ->
    receive
        {trace, P, send, {ping, N}, _} ->
            Ok = maps:get(P, Last, 0) + 1 =:= N,
            tracer(bump({P, send, Ok}, Counts), Last#{P => N});
        {trace, P, Kind, _} -> tracer(bump({P, Kind}, Counts), Last);
        {trace, P, Kind, _, _} -> tracer(bump({P, Kind}, Counts), Last);
        {trace_ts, P, Kind, _, _} -> tracer(bump({P, Kind, ts}, Counts), Last);
        {report, From} -> From ! {counts, self(), Counts}, tracer(Counts, Last)
    end.

settled(P) ->
    case process_info(P, status) of
        {status, waiting} -> ok;
        _ -> timer:sleep(1), settled(P)
    end.

bump(K, M) -> maps:update_with(K, fun(V) -> V + 1 end, 1, M).

pong() ->
    receive
        {ping, From, N} -> From ! {pong, N}, pong();
        stop -> ok
    end.

ping(_, 0, Parent) ->
    Parent ! {done, self()},
    receive stop -> ok end;
ping(Pong, N, Parent) ->
    I = ?ROUNDS - N + 1,
    Pong ! {ping, I},
    Pong ! {ping, self(), I},
    receive {pong, I} -> ok end,
    ping(Pong, N - 1, Parent).

main() ->
    Self = self(),
    Tracers = [spawn(fun() -> tracer(#{}, #{}) end) || _ <- [1, 2]],
    Pairs = [begin
                 Pong = spawn(fun pong/0),
                 Ping = spawn(fun() -> receive go -> ok end, ping(Pong, ?ROUNDS, Self) end),
                 T = lists:nth(1 + I rem 2, Tracers),
                 1 = erlang:trace(Ping, true, [send, 'receive', running, garbage_collection, procs, {tracer, T}]),
                 {Ping, Pong, T}
             end || I <- lists:seq(1, ?PAIRS)],
    [Ping ! go || {Ping, _, _} <- Pairs],
    [receive {done, Ping} -> ok end || {Ping, _, _} <- Pairs],
    %% each ping waits for good (its last 'out' is reported), then its messages are delivered
    [begin
         settled(Ping),
         Ref = erlang:trace_delivered(Ping),
         receive {trace_delivered, Ping, Ref} -> ok end
     end || {Ping, _, _} <- Pairs],
    Reports = [begin T ! {report, self()}, receive {counts, T, C} -> {T, C} end end || T <- Tracers],
    Results = [begin
                   {T, C} = lists:keyfind(T, 1, Reports),
                   {maps:get({Ping, send, true}, C, 0), maps:get({Ping, send, false}, C, 0),
                    maps:get({Ping, send}, C, 0), maps:get({Ping, 'receive'}, C, 0),
                    maps:get({Ping, in}, C, 0) =:= maps:get({Ping, out}, C, 0),
                    maps:get({Ping, in}, C, 0) > 0}
               end || {Ping, _, T} <- Pairs],
    %% per ping: its {ping, I} sends in order; the {ping, Pid, I} sends and 'done';
    %% 'go' and the pongs received; as many times out as in
    io:format("~p~n", [lists:usort(Results)]),
    %% a dying tracer: its tracees stop being traced
    [Dying | _] = Tracers,
    exit(Dying, kill),
    timer:sleep(20),
    Infos = lists:usort([{T =:= Dying, erlang:trace_info(Ping, flags)} || {Ping, _, T} <- Pairs]),
    io:format("~p~n", [Infos]),
    [begin Ping ! stop, Pong ! stop end || {Ping, Pong, _} <- Pairs],
    ok.
