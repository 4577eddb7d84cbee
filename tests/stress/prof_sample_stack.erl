-module(prof_sample_stack).
-export([main/0]).

%% Sampled stacks agree with process_info(P, current_stacktrace):
%%  1. a process stopped in receive at the bottom of a known deep call
%%     (d1 -> d2 -> ... -> d6 -> wait), sampled with waits on: its sampled
%%     stack below the waiting marker is current_stacktrace's, function,
%%     arity and line alike;
%%  2. a process spinning in a known deep call: every sample of the spin has
%%     the frames current_stacktrace shows while it spins;
%%  3. a BIF in progress is a native frame on top of its caller's;
%%  4. a wait (1.) and a dirty call still in progress show in a query
%%     made meanwhile, with the ticks they spanned so far.

main() ->
    erlang:system_flag(backtrace_depth, 30),
    ok = erbium:sample_start(997, true),
    waiting_stack(),
    spinning_stack(),
    native_frame(),
    dirty_in_progress(),
    erbium:sample_stop(),
    erbium:sample_clear().

waiting_stack() ->
    P = spawn(fun() -> d1(wait) end),
    timer:sleep(300),
    {current_stacktrace, Trace} = process_info(P, current_stacktrace),
    Pending = [{N, F} || {Pid, N, [waiting | F]} <- erbium:samples(), Pid =:= P],
    P ! go,
    timer:sleep(20),
    Sampled = [F || {Pid, _, [waiting | F]} <- erbium:samples(), Pid =:= P],
    Expected = [{M, F, A, proplists:get_value(line, Loc, 0)} || {M, F, A, Loc} <- Trace],
    io:format("waiting: sampled once: ~p~n", [length(lists:usort(Sampled)) =:= 1]),
    io:format("waiting: stack equals current_stacktrace: ~p~n", [Sampled =/= [] andalso hd(Sampled) =:= Expected]),
    io:format("waiting: depth ~p~n", [length(Expected)]),
    io:format("waiting: in progress, seen by a query with its stack and ticks so far: ~p~n",
              [case Pending of [{N, Expected}] -> N > 100; _ -> Pending end]).

%% A process sleeping 600 ms in a dirty I/O native (erbium:sleep_io/1), sampled 250 ms in.
dirty_in_progress() ->
    P = spawn(fun() -> dirty_sleep() end),
    timer:sleep(250),
    Pending = [N || {Pid, N, [{erbium, sleep_io, 1, native}, {?MODULE, dirty_sleep, 0, _} | _]} <- erbium:samples(),
                    Pid =:= P],
    io:format("dirty: in progress, seen by a query with its ticks so far: ~p~n",
              [case Pending of [N] -> N > 100; _ -> Pending end]).

dirty_sleep() ->
    erbium:sleep_io(600),
    ok.

spinning_stack() ->
    Self = self(),
    P = spawn(fun() -> d1({spin, erlang:monotonic_time(millisecond) + 1000}), Self ! done end),
    timer:sleep(200),
    {current_stacktrace, Trace} = process_info(P, current_stacktrace),
    receive done -> ok end,
    Mfas = fun(Frames) -> [{M, F, A} || {M, F, A, _} <- Frames] end,
    Expected = tl(Mfas(Trace)), %% below the top frame, which moves as it spins
    %% a tick during the clock BIF puts it on top, as a native frame
    Spins = [Frames || {Pid, _, Sampled} <- erbium:samples(), Pid =:= P,
                       [{?MODULE, spin, 1, _} | _] = Frames <- [below_native(Sampled)]],
    io:format("spinning: sampled: ~p~n", [Spins =/= []]),
    io:format("spinning: every spin sample has current_stacktrace's callers: ~p~n",
              [lists:all(fun(Frames) -> tl(Mfas(Frames)) =:= Expected end, Spins)]),
    io:format("spinning: callers ~p~n", [[F || {_, F, _} <- Expected]]).

native_frame() ->
    Self = self(),
    List = lists:seq(1, 100000),
    P = spawn(fun() -> encoding(List, erlang:monotonic_time(millisecond) + 400), Self ! done end),
    receive done -> ok end,
    Natives = [Frames || {Pid, _, [{erlang, term_to_binary, 1, native} | _] = Frames} <- erbium:samples(), Pid =:= P],
    io:format("native: term_to_binary/1 sampled on top of encoding/2: ~p~n",
              [Natives =/= [] andalso lists:all(fun([_, {?MODULE, encoding, 2, _} | _]) -> true; (_) -> false end, Natives)]).

encoding(List, Deadline) ->
    Size = byte_size(term_to_binary(List)), %% used, so that the compiler keeps the call
    case erlang:monotonic_time(millisecond) < Deadline of
        true when Size > 0 -> encoding(List, Deadline);
        _ -> ok
    end.

below_native([{_, _, _, native} | Frames]) -> Frames;
below_native(Frames) -> Frames.

%% body calls all the way down, so every level keeps a frame
d1(X) -> [d2(X)].
d2(X) -> [d3(X)].
d3(X) -> [d4(X)].
d4(X) -> [d5(X)].
d5(X) -> [d6(X)].
d6(wait) -> [receive go -> ok end];
d6({spin, Deadline}) -> [spin(Deadline)].

spin(Deadline) ->
    case erlang:monotonic_time(millisecond) < Deadline of
        true -> spin(Deadline);
        false -> ok
    end.
