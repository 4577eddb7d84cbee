-module(dbg_reload).
%% erl_debugger breakpoints and a reload of their module, as OTP 28 has
%% them: a breakpoint belongs to the code it was set in. The new code
%% starts without it (breakpoints/1 says false; a call into it goes on),
%% while a process still running the old code stops there; set again, it
%% stops in the new code, whose changed body then runs (expected output:
%% dbg_reload.out, from OTP 28's documentation and edb's notes).
-export([main/0]).

%% dbg_twin:calc(N) -> N * K, with a site on line 4; wait/1 runs calc/1 in
%% the code it was called in once told to.
twin(K) ->
    [{attribute, 1, module, dbg_twin}, {attribute, 2, export, [{calc, 1}, {wait, 1}]},
     {function, 3, calc, 1, [{clause, 3, [{var, 3, 'N'}], [], [{op, 4, '*', {var, 4, 'N'}, {integer, 4, K}}]}]},
     {function, 6, wait, 1,
      [{clause, 6, [{var, 6, 'N'}], [],
        [{'receive', 7, [{clause, 7, [{atom, 7, go}], [], [{call, 7, {atom, 7, calc}, [{var, 7, 'N'}]}]}]}]}]}].

load(K) ->
    {ok, dbg_twin, Bin} = compile:forms(twin(K)),
    {module, dbg_twin} = code:load_binary(dbg_twin, "dbg_twin.erl", Bin).

main() ->
    {ok, S} = erl_debugger:register(self()),
    Me = self(),
    load(2),
    ok = erl_debugger:breakpoint(dbg_twin, 4, true),
    io:format("v1 breakpoints ~p~n", [erl_debugger:breakpoints(dbg_twin, calc, 1)]),
    P1 = spawn(fun() -> Me ! {result, dbg_twin:calc(5)} end),
    {breakpoint, P1, {dbg_twin, calc, 1}, 4, R1} = event(S),
    io:format("v1 hit at line 4~n"),
    R1(),
    io:format("v1 result ~p~n", [result()]),
    %% a process waiting in the first version: it stays in it after the reload
    Old = spawn(fun() -> Me ! {result, dbg_twin:wait(5)} end),
    wait_in_receive(Old),
    load(3),
    io:format("v2 breakpoints ~p~n", [erl_debugger:breakpoints(dbg_twin, calc, 1)]),
    spawn(fun() -> Me ! {result, dbg_twin:calc(5)} end),
    io:format("v2 result without a breakpoint ~p~n", [result()]),
    io:format("no event: ~p~n", [receive {debugger_event, _, _} = E -> E after 100 -> none end]),
    Old ! go,
    {breakpoint, Old, {dbg_twin, calc, 1}, 4, R2} = event(S),
    io:format("old code still stops at line 4~n"),
    R2(),
    io:format("old code result ~p~n", [result()]),
    ok = erl_debugger:breakpoint(dbg_twin, 4, true),
    io:format("v2 breakpoints ~p~n", [erl_debugger:breakpoints(dbg_twin, calc, 1)]),
    P3 = spawn(fun() -> Me ! {result, dbg_twin:calc(5)} end),
    {breakpoint, P3, {dbg_twin, calc, 1}, 4, R3} = event(S),
    io:format("v2 hit at line 4~n"),
    R3(),
    io:format("v2 result ~p~n", [result()]),
    %% purged with the breakpoint still set in it: nothing is left behind
    true = code:soft_purge(dbg_twin),
    load(4),
    true = code:soft_purge(dbg_twin),
    spawn(fun() -> Me ! {result, dbg_twin:calc(5)} end),
    io:format("v3 result ~p~n", [result()]),
    ok = erl_debugger:unregister(self(), S),
    io:format("suspended left: ~p~n",
              [[P || P <- processes(), process_info(P, status) =:= {status, suspended}]]).

event(S) ->
    receive {debugger_event, S, Ev} -> Ev after 5000 -> error(no_event) end.

result() ->
    receive {result, V} -> V after 5000 -> error(no_result) end.

wait_in_receive(P) ->
    case process_info(P, status) of
        {status, waiting} -> ok;
        _ -> timer:sleep(1), wait_in_receive(P)
    end.
