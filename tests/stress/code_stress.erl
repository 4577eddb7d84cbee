%% Stress: one process loads, reloads, deletes and purges a module over and
%% over while workers on every scheduler call it (local and fully qualified
%% calls, funs of every version) and another process sets and clears
%% call_count/call_time patterns on it and reads them. Workers killed by a
%% purge (they were in old code) are replaced. Passes if nothing crashes.
-module(code_stress).
-export([main/0]).
-include("../erl/code/code_beams.hrl").

-define(WORKERS, 8).
-define(ROUNDS, 40).

main() ->
    {module, cv_stress} = erlang:load_module(cv_stress, ?STRESS_V1),
    Self = self(),
    Prof = spawn_link(fun() -> profiler(Self, 0) end),
    Workers = [spawn_worker() || _ <- lists:seq(1, ?WORKERS)],
    Loader = spawn_link(fun() -> loader(Self, 1) end),
    supervise(Workers, Loader),
    Prof ! stop,
    receive {Prof, profiled, _} -> ok end,
    io:format("loads done~n"),
    io:format("final vsn ~p~n", [catch cv_stress:f(0)]),
    ok.

spawn_worker() ->
    spawn_monitor(fun() -> worker(cv_stress:make_fun(), 0) end).

%% Replaces dead workers until the loader is done, then stops them all.
supervise(Workers, Loader) ->
    receive
        {'DOWN', Ref, process, Pid, _} ->
            supervise([spawn_worker() | Workers -- [{Pid, Ref}]], Loader);
        {Loader, done} ->
            [begin exit(P, kill), receive {'DOWN', R, process, P, _} -> ok end end || {P, R} <- Workers],
            ok
    end.

worker(Fun, N) ->
    _ = (catch cv_stress:loop(50, 0)),
    _ = (catch Fun(N)),
    _ = (catch cv_stress:f(N)),
    Next = case catch cv_stress:make_fun() of
               F when is_function(F) -> F;
               _ -> Fun
           end,
    worker(Next, N + 1).

loader(Parent, Round) when Round > ?ROUNDS ->
    Parent ! {self(), done};
loader(Parent, Round) ->
    Beam = case Round rem 2 of 0 -> ?STRESS_V1; 1 -> ?STRESS_V2 end,
    load(Beam, Round),
    case Round rem 7 of
        0 -> _ = (catch erlang:delete_module(cv_stress)), purge(Round);
        _ -> ok
    end,
    loader(Parent, Round + 1).

load(Beam, Round) ->
    case erlang:load_module(cv_stress, Beam) of
        {module, cv_stress} -> ok;
        {error, not_purged} -> purge(Round), load(Beam, Round)
    end.

purge(Round) when Round rem 3 =:= 0 ->
    case erts_code_purger:soft_purge(cv_stress) of
        true -> ok;
        false -> erts_code_purger:purge(cv_stress)
    end;
purge(_) ->
    _ = (catch erlang:purge_module(cv_stress)),
    ok.

profiler(Parent, N) ->
    receive
        stop -> Parent ! {self(), profiled, N}
    after 0 ->
        Kind = case N rem 2 of 0 -> call_count; 1 -> call_time end,
        erlang:trace_pattern({cv_stress, '_', '_'}, true, [Kind]),
        _ = erlang:trace_info({cv_stress, f, 1}, Kind),
        erlang:trace_pattern({cv_stress, '_', '_'}, false, [Kind]),
        profiler(Parent, N + 1)
    end.
