%% Calls to undefined functions go through error_handler:undefined_function/3
%% once a code server is registered (erbium has none yet: the test registers a
%% stand-in, which these calls never ask, since their modules are loaded):
%% '$handle_undefined_function'/2, and undef exceptions as OTP raises them.
-module(code_undef).
-export([main/0]).
-include("code_beams.hrl").

main() ->
    %% what error_handler and this test call must be loaded before a stand-in code server is
    {module, code} = code:ensure_loaded(code),
    io:format("start ~p~n", [top(fun() -> ok end)]),
    case whereis(code_server) of
        undefined -> register(code_server, spawn(fun stand_in/0));
        _ -> ok
    end,
    {module, cv_undef} = erlang:load_module(cv_undef, ?UNDEF),
    {module, cv_hot} = erlang:load_module(cv_hot, ?HOT_V1),
    M = id(cv_undef),
    io:format("known ~p~n", [M:known()]),
    io:format("handled ~p~n", [M:nofun(1, 2)]),
    io:format("handled apply ~p~n", [apply(M, other, [x])]),
    H = id(cv_hot),
    io:format("undef ~p~n", [top(fun() -> H:nofun(1) end)]),
    io:format("undef apply ~p~n", [top(fun() -> apply(H, nofun, []) end)]),
    io:format("undef fun ~p~n", [top(fun() -> (fun H:nofun/2)(a, b) end)]),
    io:format("undef erlang ~p~n", [top(fun() -> erlang:nofun() end)]),
    ok.

%% Answers as the code server does for a module it cannot find.
stand_in() ->
    receive
        {code_call, From, _} -> From ! {code_server, {error, nofile}}, stand_in()
    end.

id(X) -> X.

top(F) ->
    try F() of V -> {returned, V}
    catch C:R:S -> {C, R, hd(S)}
    end.
