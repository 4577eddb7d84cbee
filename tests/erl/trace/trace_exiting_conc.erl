%% The `exiting` trace flag (with and without `running`) as OTP 25 for
%% exits that fit in one slice: a process that returns, calls exit/1, is
%% killed or dies of a linked partner's exit while waiting,
%% and one that owns links, monitors, ETS tables and a registered name,
%% gives `out_exited` alone (in_exiting/out_exiting come only for an exit
%% OTP splits over slices: thousands of links or monitors, a large table).
-module(trace_exiting_conc).
-export([main/0]).

run(Name, Setup, Ending, Flags) ->
    Self = self(),
    %% monitored from the start: a monitor request reaching the waiting process
    %% would schedule it in, alone or (as OTP may) with the exit signal
    {P, Ref} = spawn_monitor(fun() -> Setup(), Self ! ready, receive go -> Ending() end end),
    receive ready -> ok end,
    waiting(P),
    T = spawn(fun() -> coll([]) end),
    erlang:trace(P, true, [{tracer, T} | Flags]),
    case Ending of
        kill -> exit(P, kill);
        {partner, Q} -> Q ! go;
        _ -> P ! go
    end,
    Reason = receive {'DOWN', Ref, _, _, R} -> R end,
    erlang:trace_delivered(P),
    receive {trace_delivered, _, _} -> ok end,
    T ! {dump, self()},
    Ms = receive {msgs, M} -> M end,
    io:format("~p ~p ~p: ~p~n", [Name, Flags, Reason, [element(3, X) || X <- Ms]]).

%% Traced only once it waits: a slice still under way would have no `in`.
waiting(P) ->
    case process_info(P, status) of
        {status, waiting} -> ok;
        _ -> receive after 1 -> waiting(P) end
    end.

coll(Acc) ->
    receive {dump, P} -> P ! {msgs, lists:reverse(Acc)}; M -> coll([M | Acc]) end.

idle() -> receive after infinity -> ok end.

main() ->
    Flags = [[exiting], [running, exiting], [running]],
    Nothing = fun() -> ok end,
    Endings = [{return, fun() -> ok end}, {exit, fun() -> exit(done) end}],
    [run(N, Nothing, E, F) || {N, E} <- Endings, F <- Flags],
    [run(killed, Nothing, kill, F) || F <- Flags],
    [begin
         Q = spawn(fun() -> receive go -> exit(bye) end end),
         run(partner, fun() -> link(Q) end, {partner, Q}, F)
     end || F <- Flags],
    Owner = fun() ->
                [spawn_link(fun idle/0) || _ <- lists:seq(1, 100)],
                Me = self(),
                [spawn(fun() -> monitor(process, Me), idle() end) || _ <- lists:seq(1, 100)],
                [ets:new(t, []) || _ <- lists:seq(1, 50)],
                T = ets:new(t, []),
                ets:insert(T, [{I, I} || I <- lists:seq(1, 500)]),
                register(trace_exiting_owner, self())
            end,
    [run(owner, Owner, fun() -> exit(done) end, F) || F <- Flags],
    ok.
