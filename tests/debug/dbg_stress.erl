-module(dbg_stress).
%% Breakpoints set and cleared on hot lines while many processes pass them,
%% are suspended and resumed (some inspected meanwhile), and the module is
%% reloaded: every event is answered, no process is left suspended, nothing
%% crashes (expected output: dbg_stress.out; also run under both sanitizers).
-export([main/0]).

-define(WORKERS, 24).
-define(EVENTS, 3000). %% hits answered before the workers are told to stop

%% dbg_hot:work/1 (N + K), with a site on lines 11 and 12.
hot_forms(K) ->
    [{attribute, 1, module, dbg_hot},
     {attribute, 2, export, [{work, 1}]},
     {function, 10, work, 1,
      [{clause, 10, [{var, 10, 'N'}], [],
        [{match, 11, {var, 11, 'X'}, {op, 11, '+', {var, 11, 'N'}, {integer, 11, K}}},
         {call, 12, {remote, 12, {atom, 12, erlang}, {atom, 12, phash2}}, [{var, 12, 'X'}, {integer, 12, 1000}]}]}]}].

main() ->
    {ok, dbg_hot, Bin} = compile:forms(hot_forms(1)),
    {ok, dbg_hot, Bin2} = compile:forms(hot_forms(2)),
    {module, dbg_hot} = code:load_binary(dbg_hot, "dbg_hot.erl", Bin),
    {ok, S} = erl_debugger:register(self()),
    ok = erl_debugger:breakpoint(dbg_hot, 11, true),
    %% a second version: the first one stays as old code while the workers start
    true = code:soft_purge(dbg_hot),
    {module, dbg_hot} = code:load_binary(dbg_hot, "dbg_hot.erl", Bin),
    Me = self(),
    Workers = [spawn_link(fun() -> worker(Me, 0) end) || _ <- lists:seq(1, ?WORKERS)],
    Toggler = spawn_link(fun() -> toggle(0) end),
    Reloader = spawn_link(fun() -> reload({Bin, Bin2}, 0) end),
    {Events, Inspected} = serve(S, Workers, length(Workers), 0, 0),
    Toggler ! {stop, self()},
    Reloader ! {stop, self()},
    Toggles = receive {toggled, T} -> T end,
    Reloads = receive {reloaded, R} -> R end,
    ok = erl_debugger:breakpoint(dbg_hot, 11, false),
    ok = erl_debugger:breakpoint(dbg_hot, 12, false),
    Late = drain(S, 0),
    io:format("workers done: ~p~n", [?WORKERS]),
    io:format("events: ~p, inspected: ~p, toggles: ~p, reloads: ~p~n",
              [Events + Late >= ?EVENTS, Inspected > 0, Toggles > 0, is_integer(Reloads)]),
    io:format("suspended left: ~p~n", [[P || P <- processes(), process_info(P, status) =:= {status, suspended}]]).

worker(Parent, N) ->
    receive stop -> Parent ! {done, self(), N}
    after 0 -> dbg_hot:work(N), worker(Parent, N + 1)
    end.

%% The debugger: resumes every hit (inspecting every tenth); after ?EVENTS of
%% them it stops the workers, and goes on until they are all done.
serve(_S, _Workers, 0, Events, Inspected) -> {Events, Inspected};
serve(S, Workers, Running, Events, Inspected) ->
    Events =:= ?EVENTS andalso [W ! stop || W <- Workers],
    receive
        {debugger_event, S, {breakpoint, P, {dbg_hot, work, 1}, Line, Resume}} when Line =:= 11; Line =:= 12 ->
            I = case Events rem 10 of
                    0 -> inspect(P);
                    _ -> 0
                end,
            Resume(),
            serve(S, Workers, Running, Events + 1, Inspected + I);
        {done, _, _} ->
            serve(S, Workers, Running - 1, Events, Inspected)
    end.

inspect(P) ->
    Frames = erl_debugger:stack_frames(P, 5),
    N = erl_debugger:xregs_count(P),
    true = is_list(Frames) andalso is_integer(N),
    [{_, '<breakpoint>', _} | _] = Frames,
    {value, _} = erl_debugger:peek_xreg(P, 0, 5),
    1.

%% Breakpoints that were hit after the workers finished, or are in flight.
drain(S, N) ->
    receive {debugger_event, S, {breakpoint, _, _, _, Resume}} -> Resume(), drain(S, N + 1)
    after 200 -> N
    end.

toggle(N) ->
    receive {stop, From} -> From ! {toggled, N}
    after 0 ->
        Line = 11 + N rem 2,
        _ = erl_debugger:breakpoint(dbg_hot, Line, N rem 4 < 2),
        toggle(N + 1)
    end.

%% The two versions in turn (a changed body each time).
reload(Bins, N) ->
    receive {stop, From} -> From ! {reloaded, N}
    after 2 ->
        case code:soft_purge(dbg_hot) of
            true ->
                {module, dbg_hot} = code:load_binary(dbg_hot, "dbg_hot.erl", element(N rem 2 + 1, Bins)),
                reload(Bins, N + 1);
            false ->
                reload(Bins, N)
        end
    end.
