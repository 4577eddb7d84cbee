%% Large match specs: 100,000 clauses, a head nested 20,000 deep, long
%% lists, and a body nested past the limit (a clean error, as in OTP).
-module(ms_big).
-export([main/0]).

main() ->
    MS = [{{N, '$1'}, [{'>', '$1', N}], [{{N, '$1'}}]} || N <- lists:seq(1, 100000)],
    C = ets:match_spec_compile(MS),
    io:format("~w~n", [ets:match_spec_run([{N, N + 1} || N <- lists:seq(99990, 100005)] ++ [{5, 1}, {7, 8}], C)]),
    io:format("~w~n", [erlang:match_spec_test({100000, 100001}, MS, table)]),
    io:format("~w~n", [erlang:match_spec_test({100001, 100001}, MS, table)]),
    Deep = lists:foldl(fun(_, A) -> {A} end, '$1', lists:seq(1, 20000)),
    Obj = lists:foldl(fun(_, A) -> {A} end, found, lists:seq(1, 20000)),
    io:format("~w~n", [erlang:match_spec_test(Obj, [{Deep, [], ['$1']}], table)]),
    DeepL = lists:foldl(fun(_, A) -> [A] end, x, lists:seq(1, 20000)),
    {ok, R, [], []} = erlang:match_spec_test({DeepL}, [{{'$1'}, [], [{const, DeepL}]}], table),
    io:format("~w~n", [R =:= DeepL]),
    Long = lists:seq(1, 200000),
    {ok, Sum, [], []} = erlang:match_spec_test({Long}, [{{Long}, [], [{length, '$_'}]}], table),
    io:format("~w~n", [Sum]),
    Long2 = lists:seq(1, 1000),
    {ok, L2, [], []} = erlang:match_spec_test({Long2}, [{{Long2}, [], [['$_' | Long2]]}], table),
    io:format("~w~n", [length(L2)]),
    D3 = lists:foldl(fun(_, A) -> {{A}} end, x, lists:seq(1, 20000)),
    io:format("~p~n", [erlang:match_spec_test({D3}, [{{'$1'}, [], [D3]}], table)]),
    {'EXIT', {Reason, _}} = (catch ets:match_spec_compile([{'_', [], [D3]}])),
    io:format("~w~n", [Reason]),
    ok.
