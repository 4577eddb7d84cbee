%% erlang:match_spec_test/3 in the trace dialect: argument-list heads, the
%% body actions, their flags and results, and what each dialect rejects.
-module(ms_test_trace).
-export([main/0]).

-include_lib("stdlib/include/ms_transform.hrl").

t(Args, MS) ->
    R = try erlang:match_spec_test(Args, MS, trace) catch C:E -> {C, E} end,
    io:format("~w ~w~n  -> ~w~n", [Args, MS, R]).

main() ->
    heads(),
    actions(),
    errors(),
    funs(),
    ok.

heads() ->
    t([1, 2], [{['$1', '$2'], [], [{message, {{'$2', '$1'}}}]}]),
    t([1, 2], [{['$1'], [], [{message, '$1'}]}]),
    t([1, 2], [{'$1', [], [{message, '$1'}]}]),
    t([1, 2], [{'_', [], [{message, '$_'}]}]),
    t([1, 2], [{'_', [], [{message, '$$'}]}]),
    t([1, 2], [{['_', '$9'], [], [{message, '$$'}]}]),
    t([], [{[], [], []}]),
    t([], [{'_', [], []}]),
    t([1], [{{a}, [], []}]),
    t([1], [{[1, 2], [], []}]),
    t([1], [{['$1'], [{'>', '$1', 5}], []}]),
    t([9], [{['$1'], [{'>', '$1', 5}], []}]),
    t([9], [{['$1'], [{'>', '$1', 5}], [{message, big}]}, {'_', [], [{message, small}]}]),
    t([1], [{['$1'], [{'>', '$1', 5}], [{message, big}]}, {'_', [], [{message, small}]}]),
    t([{a, [b]}], [{[{'$1', ['$2']}], [{is_atom, '$1'}, {is_atom, '$2'}], [{message, {{'$2', '$1'}}}]}]),
    t(x, [{'_', [], []}]),
    t({1}, [{'_', [], []}]).

actions() ->
    t([1], [{'_', [], [{return_trace}]}]),
    t([1], [{'_', [], [{exception_trace}]}]),
    t([1], [{'_', [], [{return_trace}, {exception_trace}]}]),
    t([1], [{'_', [], [{exception_trace}, {return_trace}, {return_trace}]}]),
    t([1], [{'_', [], [{message, false}]}]),
    t([1], [{'_', [], [{message, true}]}]),
    t([1], [{'_', [], [{message, x}, {message, y}]}]),
    t([1], [{'_', [], [{message, {self}}, {message, x}, {message, true}]}]),
    t([1], [{'_', [], [{message, {return_trace}}]}]),
    t([1], [{'_', [], [{silent, true}]}]),
    t([1], [{'_', [], [{silent, false}]}]),
    t([1], [{'_', [], [{silent, foo}]}]),
    t([1], [{'_', [], [{message, {silent, true}}]}]),
    t([1], [{'_', [], [{message, {caller}}]}]),
    t([1], [{'_', [], [{message, {caller_line}}]}]),
    t([1], [{'_', [], [{message, {get_tcw}}]}]),
    t([1], [{'_', [], [{set_tcw, 5}, {message, {set_tcw, 3}}]}]),
    t([1], [{'_', [], [{message, {set_tcw, foo}}]}]),
    t([1], [{'_', [], [{message, {enable_trace, send}}]}]),
    t([1], [{'_', [], [{message, {enable_trace, foo}}]}]),
    t([1], [{'_', [], [{message, {disable_trace, 'receive'}}]}]),
    t([1], [{'_', [], [{message, {enable_trace, {self}, send}}]}]),
    t([1], [{'_', [], [{message, {enable_trace, x, send}}]}]),
    t([1], [{'_', [], [{message, {trace, [], [send]}}]}]),
    t([1], [{'_', [], [{message, {trace, [], [foo]}}]}]),
    t([1], [{'_', [], [{message, {trace, {self}, [call], [send, procs]}}]}]),
    t([1], [{'_', [], [{message, {is_seq_trace}}]}]),
    t([1], [{'_', [], [{message, {get_seq_token}}]}]),
    t([1], [{'_', [], [{message, {set_seq_token, label, 3}}]}]),
    t([1], [{'_', [], [{message, {set_seq_token, foo, 1}}]}]),
    t([1], [{'_', [], [{message, {{hd, a}}}]}]),
    t([1], [{'_', [], [{message, {hd, a}}]}]),
    t([1], [{'_', [], [{message, {'and', 1, 2}}]}]),
    t([1], [{'_', [], [{message, {{{hd, a}}}}]}]),
    t([1], [{'_', [{get_tcw}], []}]),
    t([1], [{'_', [{'==', {get_tcw}, 0}], [{message, zero}]}]),
    t([1], [{'_', [{'not', {is_seq_trace}}], [{message, no_seq}]}]),
    {ok, Dump, [], []} = erlang:match_spec_test([1], [{'_', [], [{message, {process_dump}}]}], trace),
    io:format("process_dump ~w~n", [is_binary(Dump)]),
    t([1], [{'_', [{'==', 1, 2}], [{return_trace}]}, {'_', [], [{exception_trace}]}]).

errors() ->
    Acts = [{return_trace}, {exception_trace}, {message, 1}, {display, 1}, {caller}, {caller_line},
            {process_dump}, {silent, true}, {trace, [], []}, {trace, x, [], []}, {enable_trace, send},
            {enable_trace, x, send}, {disable_trace, send}, {disable_trace, x, send}, {get_tcw},
            {set_tcw, 1}, {get_seq_token}, {set_seq_token, label, 1}, {is_seq_trace}, {self}, {node},
            {return_trace, 1}, {message}, {silent, 1, 2}, {caller, x}, {trace, a}, {trace, a, b, c, d},
            {enable_trace}, {set_seq_token, a}, {display}],
    [t([1], [{'_', [A], []}]) || A <- Acts],
    [t([1], [{'_', [], [A]}]) || A <- [{message}, {silent, 1, 2}, {caller, x}, {trace, a},
                                      {trace, a, b, c, d}, {enable_trace}, {set_seq_token, a}, {display},
                                      {return_trace, 1}]],
    t([1], [{a, [], []}]),
    t([1], [{1, [], []}]),
    t([1], [{#{}, [], []}]),
    t([1], [{<<>>, [], []}]),
    t([1], [{['$1' | '$2'], [], []}]),
    t([1], [{'_', [], x}]),
    t([1], [{'_', [], [x | y]}]),
    t([1], [{'_', [a | b], [x]}]),
    t([1], [{['$1'], [], [{message, '$2'}]}]),
    t([1], [{'_', [], [{foo, 1}]}]).

funs() ->
    MS1 = dbg:fun2ms(fun([A, _]) when A > 1 -> return_trace(), message(caller()) end),
    io:format("~w~n", [MS1]),
    t([2, x], MS1),
    t([0, x], MS1),
    MS2 = dbg:fun2ms(fun([A, B]) when is_list(B) -> message({A, length(B)}), exception_trace() end),
    io:format("~w~n", [MS2]),
    t([a, [1, 2, 3]], MS2),
    t([a, b], MS2),
    MS3 = dbg:fun2ms(fun(Args) when length(Args) > 1 -> message(Args) end),
    t([1, 2, 3], MS3),
    t([1], MS3),
    %% dbg:ltp() shortcuts
    t([1], [{'_', [], [{exception_trace}]}]),
    t([1], [{'_', [], [{message, {caller}}]}]),
    t([1], [{'_', [], [{exception_trace}, {message, {caller}}]}]).
