%% ets:match_spec_compile/1, ets:is_compiled_ms/1 and ets:match_spec_run/2
%% (Erlang in ets.beam over ets:match_spec_run_r/3), errors included.
-module(ms_compiled).
-export([main/0]).

-include_lib("stdlib/include/ms_transform.hrl").

r(F) ->
    try F() of V -> io:format("~p~n", [V]) catch C:R -> io:format("~p:~p~n", [C, R]) end.

main() ->
    Objs = [{N, N * N, integer_to_list(N), {tag, N rem 3}} || N <- lists:seq(1, 10)],
    MS1 = ets:match_spec_compile([{{'$1', '$2', '_', '_'}, [{'>', '$2', 20}], [{{'$1', '$2'}}]}]),
    r(fun() -> ets:is_compiled_ms(MS1) end),
    r(fun() -> ets:is_compiled_ms(make_ref()) end),
    r(fun() -> ets:is_compiled_ms([{'_', [], ['$_']}]) end),
    r(fun() -> ets:is_compiled_ms(42) end),
    r(fun() -> is_reference(MS1) end),
    r(fun() -> ets:match_spec_run(Objs, MS1) end),
    r(fun() -> ets:match_spec_run([], MS1) end),
    r(fun() -> ets:match_spec_run([x, {1}, [a], {5, 25, "5", x}], MS1) end),
    MS2 = ets:match_spec_compile([{{'_', '_', '$1', {tag, 0}}, [], ['$1']},
                                 {{'$1', '_', '_', {tag, 1}}, [], [{'-', '$1'}]}]),
    r(fun() -> ets:match_spec_run(Objs, MS2) end),
    MS3 = ets:match_spec_compile([{'$1', [], ['$_', '$1']}]),
    r(fun() -> ets:match_spec_run(Objs, MS3) end),
    %% the same spec compiled twice works both times
    MS4 = ets:match_spec_compile([{{'$1', '_', '_', '_'}, [{'=:=', {'rem', '$1', 2}, 0}], ['$1']}]),
    MS5 = ets:match_spec_compile([{{'$1', '_', '_', '_'}, [{'=:=', {'rem', '$1', 2}, 0}], ['$1']}]),
    r(fun() -> {ets:match_spec_run(Objs, MS4), ets:match_spec_run(Objs, MS5)} end),
    %% fun2ms output
    F2M = ets:fun2ms(fun({K, Sq, S, {tag, T}}) when K > 3, T =/= 2 -> {S, Sq * 2, [K | T]} end),
    r(fun() -> F2M end),
    r(fun() -> ets:match_spec_run(Objs, ets:match_spec_compile(F2M)) end),
    F2M2 = ets:fun2ms(fun(X = {K, _, _, _}) when is_integer(K), K rem 2 =:= 1 orelse K == 10 -> X end),
    r(fun() -> ets:match_spec_run(Objs, ets:match_spec_compile(F2M2)) end),
    F2M3 = ets:fun2ms(fun({K, _, _, _}) when K >= 2 andalso K =< 4; K == 9 -> {K, self() =:= self(), node()} end),
    r(fun() -> ets:match_spec_run(Objs, ets:match_spec_compile(F2M3)) end),
    F2M4 = ets:fun2ms(fun({K, V, _, _}) when abs(K - 5) < 2 -> #{k => K, v => float(V), l => length([K, V])} end),
    r(fun() -> ets:match_spec_run(Objs, ets:match_spec_compile(F2M4)) end),
    %% ets:test_ms/2 is Erlang over erlang:match_spec_test/3
    r(fun() -> ets:test_ms({a, b, c}, [{{'$1', '_', '$2'}, [], [{{'$2', '$1'}}]}]) end),
    r(fun() -> ets:test_ms({a, b, c}, [{{'$1', '_'}, [], ['$1']}]) end),
    r(fun() -> ets:test_ms({a, b, c}, [{{'$1', '_', '_'}, [], ['$2', {foo}]}]) end),
    %% errors
    r(fun() -> ets:match_spec_compile([{'_', [], [{message, x}]}]) end),
    r(fun() -> ets:match_spec_compile([{'_', [], []}]) end),
    r(fun() -> ets:match_spec_compile([]) end),
    r(fun() -> ets:match_spec_compile(x) end),
    r(fun() -> ets:match_spec_compile([{'_', [], ['$1']}]) end),
    r(fun() -> ets:match_spec_compile([{'_', [{foo, 1}], [x]}]) end),
    r(fun() -> ets:match_spec_run(Objs, not_compiled) end),
    r(fun() -> ets:match_spec_run(Objs, [{'_', [], ['$_']}]) end),
    r(fun() -> ets:match_spec_run([a | b], MS1) end),
    r(fun() -> ets:match_spec_run_r(Objs, MS3, [acc]) end),
    r(fun() -> ets:match_spec_run_r(Objs, x, []) end),
    ok.
