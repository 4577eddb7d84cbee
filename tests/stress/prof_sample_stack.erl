-module(prof_sample_stack).
-export([main/0]).

%% Sampled stacks agree with process_info(P, current_stacktrace):
%%  1. a process stopped in receive at the bottom of a known deep call
%%     (d1 -> d2 -> ... -> d6 -> wait), sampled with waits on: its sampled
%%     stack below the waiting marker is current_stacktrace's, function,
%%     arity and line alike;
%%  2. a process spinning in a known deep call: every sample of the spin has
%%     the frames current_stacktrace shows while it spins;
%%  3. a BIF in progress is a native frame on top of its caller's.

main() ->
    erlang:system_flag(backtrace_depth, 30),
    ok = erbium:sample_start(997, true),
    waiting_stack(),
    spinning_stack(),
    native_frame(),
    erbium:sample_stop(),
    erbium:sample_clear().

waiting_stack() ->
    P = spawn(fun() -> d1(wait) end),
    timer:sleep(300),
    {current_stacktrace, Trace} = process_info(P, current_stacktrace),
    P ! go,
    timer:sleep(20),
    Sampled = [F || {Pid, _, [waiting | F]} <- erbium:samples(), Pid =:= P],
    Expected = [{M, F, A, proplists:get_value(line, Loc, 0)} || {M, F, A, Loc} <- Trace],
    io:format("waiting: sampled once: ~p~n", [length(lists:usort(Sampled)) =:= 1]),
    io:format("waiting: stack equals current_stacktrace: ~p~n", [Sampled =/= [] andalso hd(Sampled) =:= Expected]),
    io:format("waiting: depth ~p~n", [length(Expected)]).

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
