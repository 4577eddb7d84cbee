-module(debug_agent).
%% The program examples/debug_agent.c debugs (the line numbers matter).
-export([main/0, total/1, add/2]).

main() ->
    Total = total([1, 2, 3]),
    io:format("total ~p~n", [Total]),
    Sum = add(5, 6),
    io:format("add ~p~n", [Sum]),
    more().

total(List) ->
    Acc = lists:foldl(fun add/2, 0, List),
    Acc * 10 + length(List).

add(X, Acc) ->
    X + Acc.

%% A module loaded twice (the agent's breakpoint follows it to the new
%% code) with function entry and exit events.
more() ->
    load_twin(2),
    ready(),
    io:format("calc ~p~n", [agent_twin:calc(5)]),
    load_twin(3),
    io:format("calc ~p~n", [agent_twin:calc(5)]),
    io:format("calc ~p~n", [try agent_twin:calc(foo) catch error:R -> R end]),
    done.

ready() -> ok.

%% agent_twin:calc(N) -> N * K, with a site on line 4.
load_twin(K) ->
    Forms = [{attribute, 1, module, agent_twin}, {attribute, 2, export, [{calc, 1}]},
             {function, 3, calc, 1,
              [{clause, 3, [{var, 3, 'N'}], [], [{op, 4, '*', {var, 4, 'N'}, {integer, 4, K}}]}]}],
    {ok, agent_twin, Bin} = compile:forms(Forms),
    {module, agent_twin} = code:load_binary(agent_twin, "agent_twin.erl", Bin).
