%% Stress: one process loads, reloads, deletes and purges a module over and
%% over (hard and soft purges, through OTP's code purger process) while
%% workers on every scheduler call it (local and fully qualified calls, funs
%% of every version) and keep literals of the versions they saw, another
%% process asks the workers check_process_code (sync and async) and another
%% sets and clears call_count/call_time patterns on it and reads them. Each
%% purge releases the old version's literal area through the literal area
%% collector, so the workers' literals must have been copied to their heaps:
%% every worker checks its literals are intact. Workers killed by a purge
%% (they were in old code) are replaced. Passes if nothing crashes and no
%% literal was found damaged.
-module(code_stress).
-export([main/0]).
-include("../erl/code/code_beams.hrl").

-define(ROUNDS, 40).

main() ->
    {module, cv_stress} = erlang:load_module(cv_stress, ?STRESS_V1),
    Self = self(),
    Prof = spawn_link(fun() -> profiler(Self, 0) end),
    NWorkers = max(8, 2 * erlang:system_info(schedulers_online)),
    Workers = [spawn_worker(Self) || _ <- lists:seq(1, NWorkers)],
    Checker = spawn_link(fun() -> checker(Self, 0) end),
    Loader = spawn_link(fun() -> loader(Self, 1) end),
    Damaged = supervise(Workers, Loader, 0),
    [begin P ! stop, receive {P, done, _} -> ok end end || P <- [Prof, Checker]],
    io:format("loads done~n"),
    io:format("damaged literals: ~p~n", [Damaged]),
    io:format("final vsn ~p~n", [catch cv_stress:f(0)]),
    ok.

spawn_worker(Parent) ->
    spawn_monitor(fun() -> worker(Parent, cv_stress:make_fun(), [], 0) end).

%% Replaces dead workers until the loader is done, then stops them all.
supervise(Workers, Loader, Damaged) ->
    receive
        {damaged, _} ->
            supervise(Workers, Loader, Damaged + 1);
        {'DOWN', Ref, process, Pid, _} ->
            supervise([spawn_worker(self()) | Workers -- [{Pid, Ref}]], Loader, Damaged);
        {Loader, done} ->
            [begin exit(P, kill), receive {'DOWN', R, process, P, _} -> ok end end || {P, R} <- Workers],
            Damaged
    end.

%% Calls the module every way it can and keeps the literals of the last few
%% versions it saw, checking them each time round.
worker(Parent, Fun, Lits, N) ->
    _ = (catch cv_stress:loop(50, 0)),
    _ = (catch Fun(N)),
    _ = (catch cv_stress:f(N)),
    Next = case catch cv_stress:make_fun() of
               F when is_function(F) -> F;
               _ -> Fun
           end,
    Kept = case catch cv_stress:lit() of
               L when is_tuple(L) -> lists:sublist([L | Lits], 4);
               _ -> Lits
           end,
    [Parent ! {damaged, L} || L <- Kept, not intact(L)],
    worker(Parent, Next, Kept, N + 1).

intact({V, [alpha, "beta", {3.25, <<"small">>}], #{key := [1, 2, 3]},
        <<"an off-heap binary literal: 0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdef">>})
  when V =:= 1; V =:= 2 -> true;
intact(_) -> false.

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
purge(Round) when Round rem 3 =:= 1 ->
    _ = code:soft_purge(cv_stress) orelse code:purge(cv_stress),
    ok;
purge(_) ->
    _ = (catch erlang:purge_module(cv_stress)),
    ok.

%% Asks every process whether it runs cv_stress's old code, in turns
%% synchronously and with {async, Ref}.
checker(Parent, N) ->
    receive
        stop -> Parent ! {self(), done, N}
    after 0 ->
        Pids = erlang:processes(),
        case N rem 2 of
            0 -> [true = is_boolean(erlang:check_process_code(P, cv_stress)) || P <- Pids];
            1 ->
                Ref = make_ref(),
                [async = erlang:check_process_code(P, cv_stress, [{async, {Ref, P}}]) || P <- Pids],
                [receive {check_process_code, {Ref, P}, B} when is_boolean(B) -> ok end || P <- Pids]
        end,
        checker(Parent, N + 1)
    end.

profiler(Parent, N) ->
    receive
        stop -> Parent ! {self(), done, N}
    after 0 ->
        Kind = case N rem 2 of 0 -> call_count; 1 -> call_time end,
        erlang:trace_pattern({cv_stress, '_', '_'}, true, [Kind]),
        _ = erlang:trace_info({cv_stress, f, 1}, Kind),
        erlang:trace_pattern({cv_stress, '_', '_'}, false, [Kind]),
        profiler(Parent, N + 1)
    end.
