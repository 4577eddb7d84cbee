%% Breakpoints across reloads, as OTP: new code starts without them unless an
%% on_load trace pattern is set; old code keeps its own until purged, and
%% purging it frees their data.
-module(prof_code_reload).
-export([main/0]).
-include("code_beams.hrl").

main() ->
    {module, cv_hot} = erlang:load_module(cv_hot, ?HOT_V1),
    io:format("set ~p~n", [erlang:trace_pattern({cv_hot, '_', '_'}, true, [call_count])]),
    1 = cv_hot:vsn(),
    1 = cv_hot:vsn(),
    info("v1"),
    Server = spawn(cv_hot, loop, []),
    Server ! {ask, self()},
    receive {vsn, 1} -> ok end, % the server runs v1
    info("server started"),
    {module, cv_hot} = erlang:load_module(cv_hot, ?HOT_V2),
    info("v2 loaded"),
    2 = cv_hot:vsn(),
    info("v2 called"),
    Server ! {ask, self()},
    receive {vsn, 1} -> ok end, % old code still counts into its own data
    info("old called"),
    io:format("on_load ~p~n", [erlang:trace_pattern(on_load, true, [call_count, call_time])]),
    io:format("purge ~p~n", [erlang:purge_module(cv_hot)]),
    {module, cv_hot} = erlang:load_module(cv_hot, ?HOT_V3),
    3 = cv_hot:vsn(),
    info("v3 called"),
    io:format("time ~p~n", [element(1, erlang:trace_info({cv_hot, vsn, 0}, call_time))]),
    io:format("on_load off ~p~n", [erlang:trace_pattern(on_load, false, [call_count, call_time])]),
    io:format("purge ~p~n", [erts_code_purger:purge(cv_hot)]),
    {module, cv_hot} = erlang:load_module(cv_hot, ?HOT_V1),
    1 = cv_hot:vsn(),
    info("v1 again"),
    io:format("clear ~p~n", [erlang:trace_pattern({cv_hot, '_', '_'}, false, [call_count, call_time])]),
    io:format("purge ~p~n", [erts_code_purger:purge(cv_hot)]),
    ok.

info(What) ->
    io:format("~s: ~p~n", [What, erlang:trace_info({cv_hot, vsn, 0}, call_count)]).

catch_reason(F) ->
    try F() of V -> {ok, V}
    catch C:R -> {C, R}
    end.
