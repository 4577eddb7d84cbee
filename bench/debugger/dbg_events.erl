-module(dbg_events).
%% The cost of a breakpoint hit: `main` delivers every hit of line 13 to an
%% Erlang debugger (erl_debugger) that resumes it at once; `plain` runs the
%% same loop with no debugger (bench/debugger/debug.sh puts a --break
%% logpoint with a condition that never holds on line 14: the C callback).
-export([main/0, plain/0]).

-define(HITS, 20000).

loop(0, Acc) -> Acc;
loop(N, Acc) ->
    loop(N - 1, step(N, Acc)).
step(N, Acc) ->
    (Acc + N) rem 1000003.

main() ->
    {ok, S} = erl_debugger:register(self()),
    ok = erl_debugger:breakpoint(?MODULE, 14, true),
    Me = self(),
    T0 = erlang:monotonic_time(microsecond),
    P = spawn(fun() -> Me ! {done, loop(?HITS, 0)} end),
    Hits = serve(S, P, 0),
    T1 = erlang:monotonic_time(microsecond),
    io:format("erlang debugger: ~b hits, ~b events/s~n", [Hits, Hits * 1000000 div max(1, T1 - T0)]).

serve(S, P, N) ->
    receive
        {debugger_event, S, {breakpoint, P, _, _, Resume}} -> Resume(), serve(S, P, N + 1);
        {done, _} -> N
    end.

plain() ->
    T0 = erlang:monotonic_time(microsecond),
    loop(?HITS, 0),
    T1 = erlang:monotonic_time(microsecond),
    io:format("loop of ~b: ~b us~n", [?HITS, T1 - T0]).
