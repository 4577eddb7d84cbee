%% Loading code from binaries: on_load functions (success and failure),
%% prepare_loading/finish_loading, delete_module, purge, bad input, and the
%% shapes of module_loaded/loaded/pre_loaded and module_info after reloads.
-module(code_load).
-export([main/0]).
-include("code_beams.hrl").

main() ->
    quiet(),
    on_load_ok(),
    on_load_bad(),
    delete_and_purge(),
    prepared(),
    bad_input(),
    listings(),
    beamfiles(),
    ok.

beamfiles() ->
    {ok, B} = {ok, ?HOT_V1},
    Atoms = erts_internal:beamfile_chunk(B, "AtU8"),
    io:format("atoms ~p ~p~n", [is_binary(Atoms), binary:part(Atoms, 0, 4)]),
    io:format("missing ~p junk ~p~n", [erts_internal:beamfile_chunk(B, "Xxxx"),
                                       erts_internal:beamfile_chunk(<<"junk">>, "AtU8")]),
    {module, cv_hot} = erlang:load_module(cv_hot, B),
    io:format("md5 ~p junk ~p~n", [erts_internal:beamfile_module_md5(B) =:= cv_hot:module_info(md5),
                                   erts_internal:beamfile_module_md5(<<"junk">>)]),
    [io:format("~p~n", [try_call(F)])
     || F <- [fun() -> erts_internal:beamfile_chunk(foo, "AtU8") end,
              fun() -> erts_internal:beamfile_chunk(B, bad) end,
              fun() -> erts_internal:beamfile_chunk(B, "Long1") end,
              fun() -> erts_internal:beamfile_module_md5(foo) end]],
    io:format("on_load ~p~n", [erlang:load_module(cv_onload, ?ONLOAD_BAD)]),
    io:format("run ~p~n", [erlang:call_on_load_function(cv_onload)]),
    io:format("purger finish ~p~n", [erts_code_purger:finish_after_on_load(cv_onload, false)]),
    io:format("loaded ~p~n", [erlang:module_loaded(cv_onload)]).

on_load_ok() ->
    io:format("load: ~p~n", [erlang:load_module(cv_onload, ?ONLOAD_OK)]),
    io:format("loaded ~p, get ~p~n", [erlang:module_loaded(cv_onload), try_call(fun cv_onload:get/0)]),
    io:format("on_load ran before call: ~p~n", [get(cv_onload_ran)]),
    io:format("call_on_load_function: ~p~n", [erlang:call_on_load_function(cv_onload)]),
    io:format("on_load ran: ~p~n", [get(cv_onload_ran)]),
    io:format("finish_after_on_load: ~p~n", [erlang:finish_after_on_load(cv_onload, true)]),
    io:format("loaded ~p, get ~p, old ~p~n",
              [erlang:module_loaded(cv_onload), cv_onload:get(), erlang:check_old_code(cv_onload)]),
    io:format("module_info exports ~p~n", [lists:sort(cv_onload:module_info(exports))]).

on_load_bad() ->
    erase(cv_onload_ran),
    P = erts_internal:prepare_loading(cv_onload, ?ONLOAD_BAD),
    io:format("prepared ref ~p, on_load ~p~n", [is_reference(P), erlang:has_prepared_code_on_load(P)]),
    io:format("finish_loading: ~p~n", [erlang:finish_loading([P])]),
    io:format("call_on_load_function: ~p~n", [erlang:call_on_load_function(cv_onload)]),
    io:format("finish_after_on_load: ~p~n", [erlang:finish_after_on_load(cv_onload, false)]),
    io:format("loaded ~p, get ~p, old ~p~n",
              [erlang:module_loaded(cv_onload), cv_onload:get(), erlang:check_old_code(cv_onload)]).

delete_and_purge() ->
    io:format("delete: ~p~n", [erlang:delete_module(cv_onload)]),
    io:format("loaded ~p, old ~p, get ~p~n",
              [erlang:module_loaded(cv_onload), erlang:check_old_code(cv_onload), try_call(fun cv_onload:get/0)]),
    io:format("delete again: ~p~n", [try_call(fun() -> erlang:delete_module(cv_onload) end)]),
    io:format("purge: ~p~n", [erlang:purge_module(cv_onload)]),
    io:format("old ~p, delete ~p~n", [erlang:check_old_code(cv_onload), erlang:delete_module(cv_onload)]),
    io:format("missing: delete ~p, old ~p, purge ~p~n",
              [erlang:delete_module(cv_missing), erlang:check_old_code(cv_missing),
               try_call(fun() -> erlang:purge_module(cv_missing) end)]),
    io:format("purger: ~p ~p~n", [erts_code_purger:purge(cv_missing), erts_code_purger:soft_purge(cv_missing)]).

prepared() ->
    {module, cv_hot} = erlang:load_module(cv_hot, ?HOT_V1),
    io:format("vsn ~p md5 ~p~n", [cv_hot:vsn(), cv_hot:module_info(md5) =:= erlang:get_module_info(cv_hot, md5)]),
    Md5 = cv_hot:module_info(md5),
    P2 = erlang:prepare_loading(cv_hot, ?HOT_V2),
    io:format("on_load ~p~n", [erlang:has_prepared_code_on_load(P2)]),
    io:format("finish ~p, vsn ~p, md5 changed ~p~n",
              [erlang:finish_loading([P2]), cv_hot:vsn(), cv_hot:module_info(md5) =/= Md5]),
    io:format("finish again ~p~n", [try_call(fun() -> erlang:finish_loading([P2]) end)]),
    P3 = erts_internal:prepare_loading(cv_hot, ?HOT_V3),
    io:format("finish v3 ~p, vsn ~p~n", [erlang:finish_loading([P3]), cv_hot:vsn()]),
    io:format("purge ~p~n", [erts_code_purger:purge(cv_hot)]),
    P4 = erts_internal:prepare_loading(cv_hot, ?HOT_V3),
    io:format("finish v3 ~p, vsn ~p~n", [erlang:finish_loading([P4]), cv_hot:vsn()]),
    io:format("attributes ~p~n", [lists:keyfind(vsn, 1, cv_hot:module_info(attributes)) =/= false]),
    true = erlang:purge_module(cv_hot),
    io:format("delete ~p, purge ~p~n", [erlang:delete_module(cv_hot), erlang:purge_module(cv_hot)]).

bad_input() ->
    Calls = [fun() -> erlang:load_module(cv_x, <<"junk">>) end,
             fun() -> erlang:load_module(cv_x, ?HOT_V1) end,
             fun() -> erlang:load_module("cv_x", ?HOT_V1) end,
             fun() -> erlang:load_module(cv_x, foo) end,
             fun() -> erlang:load_module(cv_x, <<1:7>>) end,
             fun() -> erts_internal:prepare_loading(cv_x, <<"FOR1">>) end,
             fun() -> erts_internal:prepare_loading(cv_x, [1]) end,
             fun() -> erlang:has_prepared_code_on_load(make_ref()) end,
             fun() -> erlang:has_prepared_code_on_load(foo) end,
             fun() -> erlang:finish_loading([make_ref()]) end,
             fun() -> erlang:finish_loading(foo) end,
             fun() -> erlang:finish_loading([foo | bar]) end,
             fun() -> erlang:delete_module("x") end,
             fun() -> erlang:check_old_code(1) end,
             fun() -> erlang:purge_module({}) end,
             fun() -> erlang:check_process_code(self(), "m") end,
             fun() -> erlang:check_process_code(foo, m) end,
             fun() -> erlang:check_process_code(self(), m, [foo]) end,
             fun() -> erlang:check_process_code(self(), m, [{allow_gc, 1}]) end,
             fun() -> erlang:check_process_code(self(), m, bar) end,
             fun() -> erlang:check_process_code(self(), m, []) end,
             fun() -> erlang:finish_after_on_load(cv_x, true) end,
             fun() -> erlang:finish_after_on_load(cv_x, maybe) end,
             fun() -> erlang:call_on_load_function(cv_x) end,
             fun() -> erlang:module_loaded("x") end],
    [io:format("~p~n", [try_call(F)]) || F <- Calls].

listings() ->
    Pre = erlang:pre_loaded(),
    %% erbium preloads no socket modules: it has no socket NIFs (README, differences from OTP).
    io:format("pre_loaded ~p~n", [lists:sort(Pre) -- [prim_net, prim_socket, socket_registry]]),
    Loaded = erlang:loaded(),
    io:format("loaded has pre_loaded ~p, has self ~p, has cv_hot ~p~n",
              [Pre -- Loaded =:= [], lists:member(code_load, Loaded), lists:member(cv_hot, Loaded)]),
    io:format("module_loaded erlang ~p lists ~p cv_hot ~p~n",
              [erlang:module_loaded(erlang), erlang:module_loaded(lists), erlang:module_loaded(cv_hot)]).

try_call(F) ->
    try F() of V -> {ok, V}
    catch C:R -> {C, R}
    end.

%% OTP's loader and delete_module log error reports (bad files, old code in the
%% way) through logger, which may reach standard output before halt or not.
quiet() ->
    try logger:set_primary_config(level, none) of _ -> ok
    catch _:_ -> ok
    end.
