-module(dbg_event).
%% A process at an erl_debugger breakpoint: the event, its frames, slots
%% and registers while suspended, Resume(), clearing, no debugger, and the
%% debugger at its own breakpoint (expected output: dbg_event.out, from
%% OTP 28's documentation).
-export([main/0, work/2, caught/1]).

work(X, Big) ->
    Y = X * 2,
    R = lists:reverse([Y, X, Big]),
    {length(R), Y}.

caught(X) ->
    try
        work(X, small)
    catch _:_ -> error
    end.

main() ->
    {ok, S} = erl_debugger:register(self()),
    ok = erl_debugger:breakpoint(?MODULE, 10, true),
    Big = lists:seq(1, 100),
    Me = self(),
    P = spawn(fun() -> Me ! {result, work(21, Big)} end),
    {breakpoint, P, MFA, Line, Resume} = event(S),
    io:format("event ~p line ~p resume is a fun/0: ~p~n", [MFA, Line, is_function(Resume, 0)]),
    io:format("status ~p~n", [element(2, process_info(P, status))]),
    inspect(P),
    io:format("peek self ~p~n", [err(fun() -> erl_debugger:xregs_count(self()) end)]),
    Me2 = spawn(fun loop/0),
    io:format("running ~p ~p ~p~n", [erl_debugger:stack_frames(Me2, 10),
                                     erl_debugger:xregs_count(Me2),
                                     erl_debugger:peek_xreg(Me2, 0, 10)]),
    exit(Me2, kill),
    %% suspend_process on top of the breakpoint: both must be taken back
    erlang:suspend_process(P),
    Resume(),
    io:format("still suspended: ~p~n", [element(2, process_info(P, status))]),
    true = erlang:resume_process(P),
    io:format("result ~p~n", [receive {result, V} -> V end]),
    Resume(), %% a second call does nothing
    %% a breakpoint inside a try: the catch shows as a slot
    P2 = spawn(fun() -> Me ! {result, caught(4)} end),
    {breakpoint, P2, _, _, Resume2} = event(S),
    Frames = erl_debugger:stack_frames(P2, 10),
    io:format("catch frame ~p~n", [[{N, F, Slots} || {N, F, #{slots := Slots}} <- Frames,
                                                    lists:any(fun({'catch', _}) -> true; (_) -> false end, Slots)]]),
    Resume2(),
    io:format("result ~p~n", [receive {result, V2} -> V2 end]),
    %% the debugger never stops at its own breakpoints
    io:format("debugger runs it: ~p~n", [work(1, x)]),
    %% cleared: no event
    ok = erl_debugger:breakpoint(?MODULE, 10, false),
    spawn(fun() -> Me ! {result, work(2, y)} end),
    io:format("cleared, result ~p~n", [receive {result, V3} -> V3 end]),
    io:format("no event: ~p~n", [receive {debugger_event, _, _} = E -> E after 100 -> none end]),
    %% no debugger registered: the process goes on
    ok = erl_debugger:breakpoint(?MODULE, 10, true),
    ok = erl_debugger:unregister(self(), S),
    spawn(fun() -> Me ! {result, work(3, z)} end),
    io:format("no debugger, result ~p~n", [receive {result, V4} -> V4 end]),
    ok = erl_debugger:breakpoint(?MODULE, 10, false).

inspect(P) ->
    Frames = erl_debugger:stack_frames(P, 10),
    [io:format("frame ~p ~p slots ~p~n", [N, F, [no_pid(V) || V <- Slots]])
     || {N, F, #{slots := Slots, code := C}} <- Frames, is_integer(C)],
    Top = length(Frames) - 1,
    io:format("xregs_count ~p~n", [erl_debugger:xregs_count(P)]),
    io:format("x0 ~p~n", [erl_debugger:peek_xreg(P, 0, 10)]),
    io:format("x0 with room ~p~n", [erl_debugger:peek_xreg(P, 0, 1000) =:= {value, [42, 21, lists:seq(1, 100)]}]),
    io:format("x9 ~p~n", [erl_debugger:peek_xreg(P, 9, 10)]),
    io:format("slot y0 of frame ~p: ~p~n", [Top - 1, erl_debugger:peek_stack_frame_slot(P, Top - 1, 0, 10)]),
    io:format("slot y5 ~p~n", [erl_debugger:peek_stack_frame_slot(P, Top - 1, 5, 10)]),
    io:format("frame 99 ~p~n", [erl_debugger:peek_stack_frame_slot(P, 99, 0, 10)]),
    io:format("bad size ~p~n", [err(fun() -> erl_debugger:stack_frames(P, -1) end)]).

event(S) ->
    receive {debugger_event, S, Event} -> Event after 5000 -> timeout end.

loop() -> receive _ -> loop() end.

no_pid({value, P}) when is_pid(P) -> {value, a_pid};
no_pid(V) -> V.

err(F) ->
    try F() of V -> {returned, V} catch C:R -> {C, R} end.
