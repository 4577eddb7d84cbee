-module(dbg_agent_stress).
%% erbium flags: --break dbg_agent_hot:5:x0=never
%% The C agent under load (through the --break logpoint above, whose
%% callback runs on every hit and reads a register): many processes pass
%% line 5 of dbg_agent_hot on every scheduler while the module is reloaded
%% with a changed body again and again; the agent's breakpoint follows each
%% version. No crash, every worker finishes, both bodies ran, no process is
%% left suspended (expected output: dbg_agent_stress.out; also run under
%% both sanitizers).
-export([main/0]).

-define(WORKERS, 6).
-define(RELOADS, 8).

%% dbg_agent_hot:work/1 returning {K, _}, with the same site on line 5.
hot(K) ->
    [{attribute, 1, module, dbg_agent_hot},
     {attribute, 2, export, [{work, 1}]},
     {function, 4, work, 1,
      [{clause, 4, [{var, 4, 'N'}], [],
        [{match, 5, {var, 5, 'X'}, {op, 5, '+', {var, 5, 'N'}, {integer, 5, K}}},
         {tuple, 6, [{integer, 6, K},
                     {call, 6, {remote, 6, {atom, 6, erlang}, {atom, 6, phash2}},
                      [{var, 6, 'X'}, {integer, 6, 1000}]}]}]}]}].

main() ->
    Bins = [begin {ok, dbg_agent_hot, B} = compile:forms(hot(K)), B end || K <- [1, 2]],
    Me = self(),
    Workers = [spawn_link(fun() -> worker(Me, #{}) end) || _ <- lists:seq(1, ?WORKERS)],
    reload(Bins, 0),
    [W ! stop || W <- Workers],
    Seen = lists:foldl(fun(_, Acc) -> receive {done, S} -> maps:merge(Acc, S) end end, #{}, Workers),
    io:format("workers done: ~p~n", [?WORKERS]),
    io:format("bodies seen: ~p~n", [lists:sort(maps:keys(Seen))]),
    io:format("suspended left: ~p~n", [[P || P <- processes(), process_info(P, status) =:= {status, suspended}]]).

worker(Parent, Seen) ->
    receive stop -> Parent ! {done, Seen}
    after 0 ->
        {K, _} = dbg_agent_hot:work(erlang:unique_integer([positive]) rem 100),
        worker(Parent, Seen#{K => true})
    end.

%% Loads the two versions in turn, ?RELOADS times (waiting for the workers to
%% leave the old code first), letting the workers run each a little while.
reload(_Bins, ?RELOADS) -> ok;
reload(Bins, N) ->
    timer:sleep(5),
    case code:soft_purge(dbg_agent_hot) of
        true ->
            Bin = lists:nth(N rem 2 + 1, Bins),
            {module, dbg_agent_hot} = code:load_binary(dbg_agent_hot, "dbg_agent_hot.erl", Bin),
            reload(Bins, N + 1);
        false ->
            reload(Bins, N)
    end.
