-module(ms_run).
-export([main/0]).

%% The match-spec engine alone (no table): ets:match_spec_run/2 of a
%% compiled spec with a guard and a constructed result over 200,000
%% tuples, plus erlang:match_spec_test/3 compiling and running a spec
%% 20,000 times. Runs three times and reports the best time.

-define(N, 200000).
-define(RUNS, 3).

main() ->
    Objs = [{K, K * 3, {tag, K rem 7}, "v"} || K <- lists:seq(1, ?N)],
    {Best, Check} = bench_time:best(?RUNS, fun() -> run(Objs) end),
    io:format("CHECK ~w~n", [Check]),
    io:format("RESULT ms_run ~b~n", [Best]).

run(Objs) ->
    MS = ets:match_spec_compile([{{'$1', '$2', {tag, '$3'}, '_'},
                                  [{'>', '$3', 2}, {'=:=', {'rem', '$1', 2}, 0}],
                                  [{{'$2', '$1'}}]}]),
    R1 = ets:match_spec_run(Objs, MS),
    All = ets:match_spec_compile([{'$1', [], ['$_']}]),
    R2 = ets:match_spec_run(Objs, All),
    T = test(20000, 0),
    {length(R1), lists:sum([A - B || {A, B} <- R1]), length(R2), T}.

test(0, Acc) -> Acc;
test(N, Acc) ->
    {ok, V, [], []} = erlang:match_spec_test({N, x}, [{{'$1', '_'}, [{is_integer, '$1'}], [{'+', '$1', 1}]}], table),
    test(N - 1, Acc + V).
