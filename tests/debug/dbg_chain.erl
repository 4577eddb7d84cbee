-module(dbg_chain).
%% Breakpoints on lines inside chained superinstructions (load_fused.c): the
%% subtraction on line 13 jumps straight into the allocate+moves+call that
%% carries line 14's site, and line 15's subtraction into its moves+call.
%% A breakpoint at line 14 turns the subtraction back into its plain form,
%% so the process meets it (at the superinstruction's start, before the
%% allocation: D in x0, E in x1); clearing it brings the chain back
%% (expected output: dbg_chain.out).
-export([main/0, mk/1]).

mk(0) -> nil;
mk(D) ->
    E = D - 1,
    L = mk(E),
    {L, mk(D - 1)}.

main() ->
    {ok, S} = erl_debugger:register(self()),
    Me = self(),
    Tree = mk(3),
    %% the line inside the chain
    ok = erl_debugger:breakpoint(?MODULE, 14, true),
    P = spawn(fun() -> Me ! {result, mk(3)} end),
    hits(S, 7),
    io:format("result ~p~n", [receive {result, V} -> V =:= Tree end]),
    %% the chained word's own line too: both hit, in order
    ok = erl_debugger:breakpoint(?MODULE, 13, true),
    P2 = spawn(fun() -> Me ! {result, mk(2)} end),
    hits(S, 6),
    io:format("result ~p~n", [receive {result, V2} -> V2 =:= mk(2) end]),
    %% line 14 cleared, line 13 kept: the resumed word must run the chain again
    ok = erl_debugger:breakpoint(?MODULE, 14, false),
    spawn(fun() -> Me ! {result, mk(2)} end),
    hits(S, 3),
    io:format("result ~p~n", [receive {result, V3} -> V3 =:= mk(2) end]),
    %% all cleared: the chains run again, no event
    ok = erl_debugger:breakpoint(?MODULE, 13, false),
    spawn(fun() -> Me ! {result, mk(12)} end),
    io:format("cleared, result ~p~n", [receive {result, V4} -> V4 =:= mk(12) end]),
    io:format("no event: ~p~n", [receive {debugger_event, _, _} = Ev -> Ev after 100 -> none end]),
    io:format("breakpoints ~p~n", [erl_debugger:breakpoints(?MODULE, mk, 1)]),
    _ = {P, P2},
    ok.

%% N events: the line and the live registers at each, then resume.
hits(_, 0) -> ok;
hits(S, N) ->
    receive
        {debugger_event, S, {breakpoint, P, MFA, Line, Resume}} ->
            Live = erl_debugger:xregs_count(P),
            io:format("hit ~p line ~p xregs ~p~n",
                      [MFA, Line, [erl_debugger:peek_xreg(P, I, 10) || I <- lists:seq(0, Live - 1)]]),
            Resume(),
            hits(S, N - 1)
    after 5000 -> io:format("timeout~n")
    end.
