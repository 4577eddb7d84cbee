-module(dbg_agent_hot).
%% The module dbg_agent_stress reloads under an --break logpoint on line 5.
-export([work/1]).
work(N) ->
    X = N + 1,
    {0, erlang:phash2(X, 1000)}.
