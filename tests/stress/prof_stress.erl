%% Profiler under load: processes on every scheduler call traced functions
%% (on erbium some calls also go to the dirty schedulers) while a
%% controller sets, pauses, restarts and clears patterns rounds() times and
%% queriers read the data. Phase 1 only must not crash. Phase 2 checks that
%% no call is lost: the counted function's patterns stay on while those of
%% other functions keep changing, and its counts must equal the calls the
%% workers report they made.
%%
%%
%% Phase 3 sets and clears breakpoints of every kind with match specs
%% (local, global, meta, counters, BIF patterns on lists:reverse/2 and
%% erlang:phash2/1, debug breakpoints) while workers run traced code, and
%% the call tracer and meta tracer die and are replaced. Workers run with
%% this module as their error_handler (breakpoint/3 answers debug
%% breakpoints); one in four names a module without breakpoint/3 and catches
%% the undef. It must survive and leave no breakpoint behind.
%%
%% Under the sanitizers (ERBIUM_SANITIZED set) phases 1 and 2 run 50 rounds
%% and phase 3 21, which still go through every kind of change.
%%
%% OTP 25.2 here dies of SIGFPE in phase 1 in most runs (resetting call_time
%% while processes use it: OTP's #8835, fixed in 26.2.5.4), so this runs on
%% erbium alone (tests/stress.sh).
-module(prof_stress).
-export([main/0, counted/1, noise/1, other/0, worker/3, querier/1, mixed/1, worker3/3, drain/0,
         breakpoint/3]).

-define(WORKERS, 8).
%% rounds of phases 1 and 2, and of phase 3 (each pattern change waits for thread progress:
%% three per round at most)
rounds() -> scaled(100).
rounds3() -> scaled(42).

scaled(N) ->
    case os:getenv("ERBIUM_SANITIZED") of
        false -> N;
        _ -> N div 2
    end.

counted(I) -> maybe_dirty(I), I.
noise(I) -> other(), maybe_dirty(I), I.
other() -> ok.

%% On erbium every 64th call also runs a native on a dirty scheduler
%% (erbium:busy_cpu/1 or sleep_io/1, which OTP does not have).
maybe_dirty(I) when I rem 64 =:= 0 ->
    case erlang:function_exported(erbium, sleep_io, 1) of
        true when I rem 128 =:= 0 -> erbium:busy_cpu(0);
        true -> erbium:sleep_io(0);
        false -> erlang:yield()
    end;
maybe_dirty(_) -> ok.

%% Phase 3's traced code: BIFs and Erlang functions.
mixed(I) ->
    L = lists:reverse([I, other()], []),
    _ = erlang:phash2(L),
    maybe_dirty(I),
    {noise(I), L}.

%% As an error_handler module: a debug breakpoint's call is answered here.
breakpoint(_M, _F, Args) -> {debugged, Args}.

%% Every 8th call waits a millisecond, so the tracers keep up with the messages
%% (unthrottled, their queues and the traced processes' heaps only grow).
worker3(Parent, Handler, I) ->
    receive stop -> Parent ! {done, self(), I}
    after case I rem 8 of 0 -> 1; _ -> 0 end ->
        process_flag(error_handler, Handler),
        _ = (catch ?MODULE:mixed(I)),
        worker3(Parent, Handler, I + 1)
    end.

%% A tracer that swallows everything until killed.
drain() -> receive _ -> drain() end.

%% Calls Fun until told to stop, then reports how many calls it made.
worker(Parent, Fun, I) ->
    receive stop -> Parent ! {done, self(), I}
    after 0 ->
        ?MODULE:Fun(I),
        worker(Parent, Fun, I + 1)
    end.

querier(Parent) ->
    receive stop -> Parent ! {querier_done, self()}
    after 0 ->
        _ = erlang:trace_info({?MODULE, counted, 1}, call_count),
        _ = erlang:trace_info({?MODULE, counted, 1}, call_time),
        _ = erlang:trace_info({?MODULE, noise, 1}, call_time),
        _ = erlang:trace_info({?MODULE, other, 0}, all),
        querier(Parent)
    end.

main() ->
    process_flag(priority, high), % the controller changes patterns while workers run
    erlang:trace(all, true, [call]),
    erlang:trace(new, true, [call]),
    io:format("phase 1: ~p~n", [phase(noise, fun chaos/1)]),
    io:format("phase 2: ~p~n", [phase(counted, fun around/1)]),
    erlang:trace_pattern({?MODULE, '_', '_'}, false, [call_count, call_time]),
    io:format("phase 3: ~p~n", [phase3()]).

phase3() ->
    Self = self(),
    erlang:trace(all, false, [call]),
    erlang:trace(new, false, [call]),
    Workers = [spawn(?MODULE, worker3, [Self, case N rem 4 of 0 -> lists; _ -> ?MODULE end, 0])
               || N <- lists:seq(1, ?WORKERS)],
    Tracers = lists:foldl(fun(Round, {Tracer, Meta}) -> kinds(Round, Workers, Tracer, Meta) end,
                          {none, none}, lists:seq(1, rounds3())),
    [W ! stop || W <- Workers],
    [receive {done, W, _} -> ok end || W <- Workers],
    Targets = [{?MODULE, '_', '_'}, {lists, reverse, 2}, {erlang, phash2, 1}],
    [erlang:trace_pattern(T, false, Flags) || T <- Targets, Flags <- [[local], [global], [meta],
                                                                     [call_count, call_time]]],
    [erts_debug:breakpoint(T, false) || T <- [{?MODULE, mixed, 1}, {?MODULE, noise, 1}]],
    [exit(T, kill) || T <- tuple_to_list(Tracers), is_pid(T)],
    Left = [erlang:trace_info(MFA, all) || MFA <- [{?MODULE, mixed, 1}, {?MODULE, noise, 1}, {lists, reverse, 2},
                                                  {erlang, phash2, 1}]],
    case lists:usort(Left) of
        [{all, false}] -> survived;
        _ -> {left, Left}
    end.

%% One round of phase 3: a pattern of some kind on some target, and now and
%% then new tracers (the old ones are killed while messages are on their way).
kinds(Round, Workers, Tracer0, Meta0) ->
    {Tracer, Meta} =
        case Round rem 10 of
            1 ->
                [exit(T, kill) || T <- [Tracer0, Meta0], is_pid(T)],
                T = spawn(?MODULE, drain, []),
                [catch erlang:trace(W, true, [call, {tracer, T}]) || W <- Workers],
                {T, spawn(?MODULE, drain, [])};
            _ -> {Tracer0, Meta0}
        end,
    Target = lists:nth(Round rem 5 + 1, [{?MODULE, mixed, 1}, {?MODULE, '_', '_'}, {lists, reverse, 2},
                                         {erlang, phash2, 1}, {?MODULE, noise, 1}]),
    On = Round rem 3 =/= 0,
    Spec = case Round rem 4 of
               0 -> true;
               1 -> [{'_', [], [{return_trace}]}];
               2 -> [{'_', [], [{exception_trace}, {message, {caller_line}}]}];
               3 -> [{['$1'], [{is_integer, '$1'}], [{message, {{arg, '$1'}}}]}]
           end,
    S = case On of true -> Spec; false -> false end,
    _ = case Round rem 7 of
            0 -> catch erlang:trace_pattern(Target, S, [local]);
            1 -> catch erlang:trace_pattern(Target, S, [global]);
            2 -> catch erlang:trace_pattern(Target, S, [{meta, Meta}]);
            3 -> catch erlang:trace_pattern(Target, On, [call_count, call_time]);
            4 -> catch erlang:trace_pattern(Target, S, [local, {meta, Meta}, call_count]);
            5 -> %% only functions the workers call from inside their catch
                 catch erts_debug:breakpoint(lists:nth(Round rem 2 + 1, [{?MODULE, mixed, 1}, {?MODULE, noise, 1}]),
                                             On);
            6 -> catch erlang:trace_pattern(Target, case On of true -> restart; false -> pause end, [call_count])
        end,
    _ = erlang:trace_info(Target, all),
    {Tracer, Meta}.

%% Runs the workers and queriers while `Control` changes patterns rounds()
%% times; returns what `check` says afterwards.
phase(Fun, Control) ->
    Self = self(),
    erlang:trace_pattern({?MODULE, Fun, 1}, true, [call_count, call_time]),
    Queriers = [spawn(?MODULE, querier, [Self]) || _ <- [1, 2]],
    Workers = [spawn(?MODULE, worker, [Self, Fun, 0]) || _ <- lists:seq(1, ?WORKERS)],
    [Control(Round) || Round <- lists:seq(1, rounds())],
    [W ! stop || W <- Workers],
    Calls = [receive {done, W, N} -> N end || W <- Workers],
    Active = length([N || N <- Calls, N > 0]),
    [Q ! stop || Q <- Queriers],
    [receive {querier_done, Q} -> ok end || Q <- Queriers],
    check(Fun, Workers, lists:sum(Calls), Active).

%% Phase 1: anything goes, on every function of the module but main's helpers.
chaos(Round) ->
    Settings = [true, pause, restart, false],
    How = lists:nth(Round rem 4 + 1, Settings),
    Flags = lists:nth(Round div 4 rem 3 + 1, [[call_count], [call_time], [call_count, call_time]]),
    Pattern = lists:nth(Round div 12 rem 3 + 1,
                        [{?MODULE, noise, 1}, {?MODULE, other, '_'}, {?MODULE, '_', '_'}]),
    _ = erlang:trace_pattern(Pattern, How, Flags),
    ok.

%% Phase 2: everything changes around the counted function.
around(Round) ->
    How = lists:nth(Round rem 4 + 1, [true, pause, restart, false]),
    Pattern = lists:nth(Round div 4 rem 2 + 1, [{?MODULE, noise, 1}, {?MODULE, other, '_'}]),
    _ = erlang:trace_pattern(Pattern, How, [call_count, call_time]),
    ok.

%% Every call counted, and every worker that made calls has its own call_time entry.
check(noise, _, _, _) -> survived;
check(counted, Workers, Expected, Active) ->
    {call_count, Count} = erlang:trace_info({?MODULE, counted, 1}, call_count),
    {call_time, Times} = erlang:trace_info({?MODULE, counted, 1}, call_time),
    PerWorker = [C || {P, C, _, _} <- Times, lists:member(P, Workers)],
    {Count =:= Expected, lists:sum(PerWorker) =:= Expected, length(PerWorker) =:= Active}.
