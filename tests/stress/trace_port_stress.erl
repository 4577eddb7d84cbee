%% Port trace messages under load. Phase 1: stable ports, each traced
%% (ports, send, 'receive') to a counting tracer through erl_tracer that
%% stays alive, get commands from their owners on every scheduler while
%% churners open, trace and close other ports whose tracers are killed and
%% replaced, `new_ports` is turned on and off with a dying tracer, and a
%% trace file wrapping every 5 ms is the tracer of some of the churned
%% ports. Each stable port (traced once open) must report exactly
%% one 'receive' per command plus the close, and one
%% closed: no message lost or duplicated. Phase 2: the same churn with
%% processes that trace themselves through ports' owners dying mid-way;
%% only survival counts.
-module(trace_port_stress).
-export([main/0]).

-define(STABLE, 16).
-define(COMMANDS, 200).
-define(CHURNERS, 12).

counter(Counts) ->
    receive
        {report, From} -> From ! {counts, Counts};
        {trace, Port, What, _} -> counter(bump({Port, What}, Counts));
        {trace, Port, What, _, _} -> counter(bump({Port, What}, Counts))
    end.

bump(K, M) -> maps:update_with(K, fun(V) -> V + 1 end, 1, M).

sink() -> receive _ -> sink() end.

stable(T, Parent) ->
    Port = open_port({spawn, "cat"}, [binary]),
    1 = erlang:trace(Port, true, [ports, send, 'receive', {tracer, erl_tracer, T}]),
    Parent ! {ready, self()},
    receive go -> ok end,
    [begin true = port_command(Port, <<I:32>>), erlang:yield() end || I <- lists:seq(1, ?COMMANDS)],
    drain(Port, ?COMMANDS * 4),
    port_close(Port),
    Parent ! {stable_done, Port}.

drain(_, 0) -> ok;
drain(Port, Left) ->
    receive {Port, {data, D}} -> drain(Port, Left - byte_size(D)) after 10000 -> exit(lost_echo) end.

churner(Stop, FileTracer) ->
    receive stop -> Stop ! churned
    after 0 ->
        T = spawn(fun sink/0),
        Port = open_port({spawn, "cat"}, [binary]),
        Tracer = case rand:uniform(3) of 1 -> FileTracer; _ -> T end,
        catch erlang:trace(Port, true, [ports, send, 'receive', {tracer, Tracer}]),
        port_command(Port, <<"x">>),
        rand:uniform(2) =:= 1 andalso exit(T, kill),
        receive {Port, {data, _}} -> ok after 2000 -> ok end,
        catch port_close(Port),
        exit(T, kill),
        churner(Stop, FileTracer)
    end.

new_ports_toggler(Stop) ->
    receive stop -> Stop ! toggled
    after 0 ->
        T = spawn(fun sink/0),
        catch erlang:trace(new_ports, true, [ports, 'receive', {tracer, T}]),
        timer:sleep(3),
        exit(T, kill),
        catch erlang:trace(new_ports, false, [ports, 'receive']),
        new_ports_toggler(Stop)
    end.

dying_owner() ->
    T = spawn(fun sink/0),
    Port = open_port({spawn, "cat"}, [binary]),
    catch erlang:trace(Port, true, [ports, send, 'receive', {tracer, T}]),
    port_command(Port, <<"y">>),
    exit(T, kill),
    exit(normal).

main() ->
    Dir = "trace_port_stress_" ++ os:getpid(),
    ok = file:make_dir(Dir),
    File = (dbg:trace_port(file, {filename:join(Dir, "w"), wrap, ".trc", {time, 5}, 4}))(),
    T = spawn(fun() -> counter(#{}) end),
    Self = self(),
    %% the stable ports are open and traced before anything sets new_ports
    Stables = [spawn(fun() -> stable(T, Self) end) || _ <- lists:seq(1, ?STABLE)],
    [receive {ready, S} -> ok end || S <- Stables],
    Churners = [spawn(fun() -> churner(Self, File) end) || _ <- lists:seq(1, ?CHURNERS)],
    Toggler = spawn(fun() -> new_ports_toggler(Self) end),
    [S ! go || S <- Stables],
    Ports = [receive {stable_done, P} -> P after 120000 -> exit(stable_timeout) end || _ <- lists:seq(1, ?STABLE)],
    [C ! stop || C <- Churners],
    Toggler ! stop,
    [receive churned -> ok end || _ <- Churners],
    receive toggled -> ok end,
    erlang:trace(new_ports, false, [all]),
    timer:sleep(100),
    T ! {report, self()},
    Counts = receive {counts, C} -> C end,
    Want = #{'receive' => ?COMMANDS + 1, closed => 1},
    Bad = [{P, What, N, maps:get(What, Want, undefined)}
           || {{P, What}, N} <- maps:to_list(Counts), lists:member(P, Ports), What =/= send,
              maps:get(What, Want, undefined) =/= N],
    Missing = [{P, W} || P <- Ports, W <- maps:keys(Want), not maps:is_key({P, W}, Counts)],
    io:format("phase 1: ~p~n", [{Bad, Missing}]),
    %% phase 2: owners and tracers die while their ports are traced
    [spawn(fun dying_owner/0) || _ <- lists:seq(1, 200)],
    timer:sleep(500),
    port_close(File),
    io:format("phase 2: survived~n"),
    [file:delete(filename:join(Dir, F)) || F <- element(2, file:list_dir(Dir))],
    file:del_dir(Dir).
