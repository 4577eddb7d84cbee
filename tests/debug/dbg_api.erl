-module(dbg_api).
%% erl_debugger's registration, instrumentations and breakpoint results, as
%% OTP 28's documentation gives them (expected output: dbg_api.out).
-export([main/0, f/1]).

%% a comment line: no code
f(X) ->
    Y = X + 1,
    Z = lists:seq(1, Y),
    {length(Z), Y}.

main() ->
    io:format("supported ~p~n", [erl_debugger:supported()]),
    registration(),
    instrumentations(),
    breakpoints(),
    uninstrumented().

registration() ->
    io:format("whereis ~p~n", [erl_debugger:whereis()]),
    {ok, S} = erl_debugger:register(self()),
    io:format("session is an integer: ~p~n", [is_integer(S)]),
    io:format("whereis self: ~p~n", [erl_debugger:whereis() =:= self()]),
    Other = spawn(fun() -> receive stop -> ok end end),
    io:format("second ~p~n", [erl_debugger:register(Other)]),
    io:format("bad token ~p~n", [err(fun() -> erl_debugger:unregister(self(), S + 1) end)]),
    io:format("unregister ~p~n", [erl_debugger:unregister(self(), S)]),
    io:format("whereis ~p~n", [erl_debugger:whereis()]),
    {ok, S2} = erl_debugger:register(Other),
    io:format("new session differs: ~p~n", [S2 =/= S]),
    Ref = monitor(process, Other),
    Other ! stop,
    receive {'DOWN', Ref, _, _, _} -> ok end,
    io:format("dead debugger: whereis ~p~n", [erl_debugger:whereis()]),
    {ok, S3} = erl_debugger:register(self()),
    ok = erl_debugger:unregister(self(), S3),
    io:format("register badarg ~p~n", [err(fun() -> erl_debugger:register(not_a_pid) end)]).

instrumentations() ->
    io:format("instrumentations ~p~n", [erl_debugger:instrumentations()]),
    io:format("toggle bad key ~p~n", [err(fun() -> erl_debugger:toggle_instrumentations(#{other => true}) end)]),
    io:format("toggle bad value ~p~n", [err(fun() -> erl_debugger:toggle_instrumentations(#{line_breakpoint => yes}) end)]),
    io:format("toggle empty ~p~n", [erl_debugger:toggle_instrumentations(#{})]),
    io:format("toggle off ~p~n", [erl_debugger:toggle_instrumentations(#{line_breakpoint => false})]),
    io:format("instrumentations ~p~n", [erl_debugger:instrumentations()]),
    ok = erl_debugger:toggle_instrumentations(#{line_breakpoint => true}).

breakpoints() ->
    io:format("lines of f/1 ~p~n", [erl_debugger:breakpoints(?MODULE, f, 1)]),
    io:format("set line 9 ~p~n", [erl_debugger:breakpoint(?MODULE, 9, true)]),
    io:format("set again ~p~n", [erl_debugger:breakpoint(?MODULE, 9, true)]),
    io:format("lines of f/1 ~p~n", [erl_debugger:breakpoints(?MODULE, f, 1)]),
    io:format("function head ~p~n", [erl_debugger:breakpoint(?MODULE, 7, true)]),
    io:format("comment ~p~n", [erl_debugger:breakpoint(?MODULE, 6, true)]),
    io:format("past the end ~p~n", [erl_debugger:breakpoint(?MODULE, 100000, true)]),
    io:format("unknown module ~p~n", [erl_debugger:breakpoint(no_such_module, 1, true)]),
    io:format("unknown function ~p~n", [erl_debugger:breakpoints(?MODULE, g, 1)]),
    io:format("unknown module ~p~n", [erl_debugger:breakpoints(no_such_module)]),
    io:format("line 0 ~p~n", [err(fun() -> erl_debugger:breakpoint(?MODULE, 0, true) end)]),
    io:format("bad flag ~p~n", [err(fun() -> erl_debugger:breakpoint(?MODULE, 9, maybe) end)]),
    io:format("no debugger, f runs: ~p~n", [f(2)]),
    io:format("clear ~p~n", [erl_debugger:breakpoint(?MODULE, 9, false)]),
    io:format("clear again ~p~n", [erl_debugger:breakpoint(?MODULE, 9, false)]),
    io:format("lines of f/1 ~p~n", [erl_debugger:breakpoints(?MODULE, f, 1)]).

%% A module loaded while line_breakpoint is off has no sites.
uninstrumented() ->
    ok = erl_debugger:toggle_instrumentations(#{line_breakpoint => false}),
    Forms = [{attribute, 1, module, dbg_api_plain},
             {attribute, 2, export, [{g, 1}]},
             {function, 3, g, 1, [{clause, 3, [{var, 3, 'X'}], [],
                                   [{op, 4, '+', {var, 4, 'X'}, {integer, 4, 1}}]}]}],
    {ok, Mod, Bin} = compile:forms(Forms),
    {module, Mod} = code:load_binary(Mod, "dbg_api_plain.erl", Bin),
    ok = erl_debugger:toggle_instrumentations(#{line_breakpoint => true}),
    io:format("uninstrumented ~p~n", [erl_debugger:breakpoint(Mod, 4, true)]),
    io:format("uninstrumented ~p~n", [erl_debugger:breakpoints(Mod)]),
    io:format("g runs: ~p~n", [Mod:g(1)]).

%% The class and reason of what F raises (stack traces name pids).
err(F) ->
    try F() of V -> {returned, V} catch C:R -> {C, R} end.
