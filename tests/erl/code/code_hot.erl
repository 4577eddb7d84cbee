%% Hot code loading: two versions of a module, a server loop that moves to the
%% new code by a fully qualified call, funs of old code, purge killing a
%% process left in old code, check_process_code/check_old_code.
-module(code_hot).
-export([main/0]).
-include("code_beams.hrl").

ask(P) ->
    P ! {ask, self()},
    receive {vsn, V} -> V after 5000 -> timeout end.

main() ->
    quiet(),
    io:format("load v1: ~p~n", [erlang:load_module(cv_hot, ?HOT_V1)]),
    io:format("vsn ~p, old ~p~n", [cv_hot:vsn(), erlang:check_old_code(cv_hot)]),
    Server = spawn(cv_hot, loop, []),
    Idle = spawn(cv_hot, idle, []),
    Deep = spawn(cv_hot, deep, [5]),
    Fun1 = cv_hot:make_fun(),
    io:format("server ~p~n", [ask(Server)]),
    io:format("load v2: ~p~n", [erlang:load_module(cv_hot, ?HOT_V2)]),
    io:format("vsn ~p, old ~p~n", [cv_hot:vsn(), erlang:check_old_code(cv_hot)]),
    %% the server runs old code until it makes a fully qualified call
    io:format("server before upgrade ~p~n", [ask(Server)]),
    io:format("cpc server ~p idle ~p deep ~p self ~p~n",
              [erlang:check_process_code(Server, cv_hot), erlang:check_process_code(Idle, cv_hot),
               erlang:check_process_code(Deep, cv_hot), erlang:check_process_code(self(), cv_hot)]),
    Server ! upgrade,
    io:format("server after upgrade ~p~n", [ask(Server)]),
    io:format("cpc server ~p~n", [erlang:check_process_code(Server, cv_hot)]),
    io:format("cpc async ~p~n", [erlang:check_process_code(Idle, cv_hot, [{async, req1}])]),
    receive {check_process_code, req1, B} -> io:format("async answer ~p~n", [B]) end,
    io:format("cpc allow_gc ~p~n", [erlang:check_process_code(Idle, cv_hot, [{allow_gc, false}])]),
    io:format("old fun ~p, new fun ~p~n", [Fun1(), (cv_hot:make_fun())()]),
    %% a third load while old code exists is refused
    io:format("load v3: ~p~n", [erlang:load_module(cv_hot, ?HOT_V3)]),
    io:format("delete with old: ~p~n", [catch_reason(fun() -> erlang:delete_module(cv_hot) end)]),
    Mons = [{P, monitor(process, P)} || P <- [Idle, Deep, Server]],
    io:format("soft purge: ~p~n", [erts_code_purger:soft_purge(cv_hot)]),
    io:format("old after soft purge ~p~n", [erlang:check_old_code(cv_hot)]),
    io:format("purge: ~p~n", [erlang:purge_module(cv_hot)]),
    [receive {'DOWN', R, process, P, Why} -> io:format("~s down: ~p~n", [name(P, Idle, Deep), Why]) end
     || {P, R} <- Mons, P =/= Server],
    io:format("alive: server ~p~n", [is_process_alive(Server)]),
    io:format("old fun after purge: ~p~n", [catch_reason(Fun1)]),
    io:format("old ~p, purge again ~p~n", [erlang:check_old_code(cv_hot), catch_reason(fun() -> erlang:purge_module(cv_hot) end)]),
    io:format("server ~p~n", [ask(Server)]),
    io:format("load v3: ~p~n", [erlang:load_module(cv_hot, ?HOT_V3)]),
    io:format("server before upgrade ~p~n", [ask(Server)]),
    Server ! upgrade,
    io:format("server after upgrade ~p~n", [ask(Server)]),
    io:format("soft purge: ~p~n", [erts_code_purger:soft_purge(cv_hot)]),
    Server ! stop,
    ok.

name(P, P, _) -> idle;
name(P, _, P) -> deep.

catch_reason(F) ->
    try F() of V -> {ok, V}
    catch C:R -> {C, strip(R)}
    end.

strip({badfun, F}) when is_function(F) -> badfun;
strip(R) -> R.

%% OTP's loader and delete_module log error reports (bad files, old code in the
%% way) through logger, which may reach standard output before halt or not.
quiet() ->
    try logger:set_primary_config(level, none) of _ -> ok
    catch _:_ -> ok
    end.
