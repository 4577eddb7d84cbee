%% Compiled match specs are magic references: freed when no term refers to
%% them (20000 distinct specs compiled and dropped leave no trace in
%% erlang:memory(system)), working after term_to_binary/binary_to_term,
%% through messages and ETS while alive.
-module(magic_ms_refs).
-export([main/0]).

show(Label, V) -> io:format("~s: ~p~n", [Label, V]).

main() ->
    garbage_collect(),
    Before = erlang:memory(system),
    [ets:match_spec_compile([{{I, '$1', '_'}, [{'>', '$1', I}], ['$1']}]) || I <- lists:seq(1, 20000)],
    garbage_collect(),
    show("freed", erlang:memory(system) - Before < 5000000),
    MS = ets:match_spec_compile([{{'$1', '$2'}, [{'>', '$2', 1}], ['$1']}]),
    Objs = [{a, 1}, {b, 2}, {c, 3}],
    show("run", ets:match_spec_run(Objs, MS)),
    MS2 = binary_to_term(term_to_binary(MS)),
    show("decoded", {MS2 =:= MS, ets:is_compiled_ms(MS2), ets:match_spec_run(Objs, MS2)}),
    Self = self(),
    P = spawn(fun() -> receive {ms, M} -> Self ! {ran, ets:match_spec_run(Objs, M)} end end),
    P ! {ms, MS},
    show("message", receive {ran, R} -> R end),
    T = ets:new(t, []),
    ets:insert(T, {ms, MS}),
    [{ms, MS3}] = ets:lookup(T, ms),
    show("ets", ets:match_spec_run(Objs, MS3)),
    ets:delete(T),
    show("plain ref", ets:is_compiled_ms(make_ref())),
    T2 = ets:new(t2, [ordered_set]),
    ets:insert(T2, [{I, I * I} || I <- lists:seq(1, 100)]),
    {First, Cont} = ets:select(T2, [{{'$1', '$2'}, [{'<', '$1', 50}], ['$2']}], 10),
    garbage_collect(),
    {Second, _} = ets:select(Cont),
    show("select continuation", {First, Second}),
    ok.
