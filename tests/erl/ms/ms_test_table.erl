%% erlang:match_spec_test/3 in the table dialect: heads, variables, '$_',
%% '$$', const, construction, every guard function and the compile errors.
-module(ms_test_table).
-export([main/0]).

t(Obj, MS) ->
    io:format("~w ~w~n  -> ~w~n", [Obj, MS, (catch erlang:match_spec_test(Obj, MS, table))]).

%% the body's value of one guard expression applied to the object's fields
g(Obj, Expr) -> t(Obj, [{'$1', [], [Expr]}]).

main() ->
    heads(),
    guards(),
    bodies(),
    errors(),
    ok.

heads() ->
    t({a, b}, [{{'$1', '$2'}, [], ['$$']}]),
    t({a, b, c}, [{{'$1', '_', '$3'}, [], ['$$']}]),
    t({a, b, c}, [{{'$3', '_', '$1'}, [], ['$$']}]),
    t({a, b, c}, [{{'$3', '_', '$1'}, [], ['$_']}]),
    t({a, a}, [{{'$1', '$1'}, [], [same]}]),
    t({a, b}, [{{'$1', '$1'}, [], [same]}, {'_', [], [other]}]),
    t([a], [{{'$1'}, [], ['$$']}]),
    t({a}, [{['$1'], [], ['$$']}]),
    t({a}, [{'$1', [], ['$1']}]),
    t(x, [{'_', [], [x]}]),
    t({[1, 2, 3]}, [{{['$1' | '$2']}, [], [{{'$1', '$2'}}]}]),
    t({[1, 2, 3]}, [{{[1, 2, '$1']}, [], ['$1']}]),
    t({[1, 2]}, [{{[1, 2, '$1']}, [], ['$1']}]),
    t({#{a => 1, b => 2}}, [{{#{a => '$1'}}, [], ['$1']}]),
    t({#{b => 2}}, [{{#{a => '$1'}}, [], ['$1']}]),
    t({#{a => {x, 1}}}, [{{#{a => {x, '$1'}}}, [], ['$1']}]),
    t({1.0, <<"bin">>, 12345678901234567890}, [{{1.0, <<"bin">>, 12345678901234567890}, [], [yes]}]),
    t({1, <<"bin">>}, [{{1.0, '_'}, [], [yes]}]),
    t({'$_'}, [{{'$_'}, [], ['$_']}]),
    t({'$$'}, [{{'$$'}, [], ['$$']}]),
    t({a}, [{{'_'}, [], ['_']}]),
    t({a}, [{{'$0'}, [], ['$0']}]),
    t({a}, [{{'$a'}, [], [x]}]),
    t({a}, [{{'$100000000'}, [], ['$100000000']}]),
    t({a, b}, [{{'$7', '$3'}, [], ['$$']}]),
    t({1}, [{{'$1'}, [{'>', '$1', 0}], [pos]}, {{'$1'}, [], [neg]}]),
    t({-1}, [{{'$1'}, [{'>', '$1', 0}], [pos]}, {{'$1'}, [], [neg]}]),
    t({-1}, [{{'$1'}, [{'>', '$1', 0}], [pos]}]).

guards() ->
    O = {1, 2.5, -3, atom, [1, 2], {t, 1}, <<1, 2, 3>>, #{k => v}, self(), make_ref(), fun main/0, <<1:3>>},
    Vars = ['$1', '$2', '$3', '$4', '$5', '$6', '$7', '$8', '$9', '$10', '$11', '$12'],
    H = list_to_tuple(Vars),
    Tests = [is_atom, is_float, is_integer, is_list, is_number, is_pid, is_port, is_reference,
             is_tuple, is_map, is_binary, is_function],
    [io:format("~w ~w~n", [T, [element(2, erlang:match_spec_test(O, [{H, [], [{T, V}]}], table)) || V <- Vars]])
     || T <- Tests],
    Unary = [abs, hd, tl, length, map_size, round, trunc, size, bit_size, byte_size, float, 'bnot', '-', '+', 'not',
             node],
    [io:format("~w ~w~n", [F, [element(2, erlang:match_spec_test(O, [{H, [], [{F, V}]}], table)) || V <- Vars]])
     || F <- Unary],
    Nums = [0, 1, -7, 3.5, 100000000000000000000, a],
    Binary = ['+', '-', '*', '/', 'div', 'rem', 'band', 'bor', 'bxor', 'bsl', 'bsr', '>', '>=', '<', '=<',
              '=:=', '==', '=/=', '/=', 'and', 'or', 'xor', 'andalso', 'orelse'],
    [io:format("~w ~w~n", [Op, [element(2, erlang:match_spec_test({A, B}, [{{'$1', '$2'}, [], [{Op, '$1', '$2'}]}], table))
                                || A <- Nums, B <- Nums]])
     || Op <- Binary],
    Bools = [true, false, 1],
    [io:format("~w ~w~n", [Op, [element(2, erlang:match_spec_test({A, B}, [{{'$1', '$2'}, [], [{Op, '$1', '$2'}]}], table))
                                || A <- Bools, B <- Bools]])
     || Op <- ['and', 'or', 'xor', 'andalso', 'orelse']],
    g({{a, b, c}}, {element, 2, {element, 1, '$1'}}),
    g({{a, b, c}}, {element, 4, {element, 1, '$1'}}),
    g({#{a => 1}}, {map_get, a, {element, 1, '$1'}}),
    g({#{a => 1}}, {map_get, b, {element, 1, '$1'}}),
    g({#{a => 1}}, {is_map_key, a, {element, 1, '$1'}}),
    g({#{a => 1}}, {is_map_key, a, x}),
    g({<<"hello">>}, {binary_part, {element, 1, '$1'}, {1, 3}}),
    g({<<"hello">>}, {binary_part, {element, 1, '$1'}, 1, 3}),
    g({<<"hello">>}, {binary_part, {element, 1, '$1'}, 4, 3}),
    g({rec, 1, 2}, {is_record, '$1', rec, 3}),
    g({rec, 1, 2}, {is_record, '$1', rec, 2}),
    g({rec, 1, 2}, {is_record, '$1', other, 3}),
    g({rec, 1, 2}, {is_record, '$1', 1, 3}),
    g({a}, {node, {self}}),
    g({a}, {'is_pid', {self}}),
    g({a}, {'andalso', true, true, false}),
    g({a}, {'andalso', true, true, 7}),
    g({a}, {'orelse', false, false, 7}),
    g({a}, {'and', true, true, true}),
    g({a}, {'or', false, false, true}),
    g({a}, {'andalso', false, {hd, a}}),
    g({a}, {'andalso', true, {hd, a}}),
    g({a}, {'and', true, {hd, a}}),
    t({a}, [{{'$1'}, [{'andalso', {hd, a}, true}], [x]}, {'_', [], [y]}]),
    t({a}, [{{'$1'}, [{'orelse', {hd, a}, true}], [x]}, {'_', [], [y]}]),
    t({a}, [{{'$1'}, [{'orelse', true, {hd, a}}], [x]}, {'_', [], [y]}]),
    t({a}, [{{'$1'}, [{'not', {hd, a}}], [x]}, {'_', [], [y]}]),
    t({a}, [{{'$1'}, [{'and', true, 1}], [x]}, {'_', [], [y]}]),
    t({1}, [{{'$1'}, ['$1'], [x]}, {'_', [], [y]}]),
    t({true}, [{{'$1'}, ['$1'], [x]}, {'_', [], [y]}]),
    t({true}, [{{'$1'}, [true, '$1', {'==', '$1', true}], [x]}, {'_', [], [y]}]),
    t({5}, [{{'$1'}, [{'>', '$1', 1}, {'<', '$1', 10}], [in]}, {'_', [], [out]}]),
    t({50}, [{{'$1'}, [{'>', '$1', 1}, {'<', '$1', 10}], [in]}, {'_', [], [out]}]).

bodies() ->
    t({a, b}, [{{'$1', '$2'}, [], ['$1', '$2']}]),
    t({a, b}, [{{'$1', '$2'}, [], [{{'$2', '$1', '$_', '$$'}}]}]),
    t({a, b}, [{{'$1', '$2'}, [], [['$2', '$1' | '$_']]}]),
    t({a, b}, [{{'$1', '$2'}, [], [[1, 2, 3]]}]),
    t({a, b}, [{{'$1', '$2'}, [], [#{'$1' => '$2', k => [v]}]}]),
    t({a, b}, [{{'$1', '$2'}, [], [#{}]}]),
    t({a, b}, [{{'$1', '$2'}, [], [{const, '$1'}]}]),
    t({a, b}, [{{'$1', '$2'}, [], [{const, {x, '$2', [y]}}]}]),
    t({a, b}, [{{'$1', '$2'}, [], [{{}}]}]),
    t({a, b}, [{{'$1', '$2'}, [], [{{{{'$1'}}}}]}]),
    t({a, b}, [{{'$1', '$2'}, [], [{hd, a}]}]),
    t({a, b}, [{{'$1', '$2'}, [], [{hd, a}, 3]}]),
    t({a, b}, [{{'$1', '$2'}, [], [{{{hd, a}}}]}]),
    t({a, b}, [{{'$1', '$2'}, [], [{{hd, a}}]}]),
    t({a, b}, [{{'$1', '$2'}, [], [{is_pid, {self}}]}]),
    t({a, b}, [{{'$1', '$2'}, [], [{node}]}]),
    t({a, b}, [{{'$1', '$2'}, [], [<<"bin">>, 1.5]}]),
    t({"str", 12345678901234567890123}, [{{'$1', '$2'}, [], [{{'$2', '$1'}}]}]).

errors() ->
    t({a}, [{'_', [], ['$1']}]),
    t({a}, [{'_', [], []}]),
    t({a}, [{'_', [], x}]),
    t({a}, [{'_', [], [x | y]}]),
    t({a}, [{'_', x, [x]}]),
    t({a}, [{'_', [a | b], [x]}]),
    t({a}, [{'_', [], [x], y}]),
    t({a}, [{'_', []}]),
    t({a}, [x]),
    t({a}, []),
    t({a}, x),
    t({a}, [{'_', [], [x]} | x]),
    t({a}, [{'_', [], [{foo}]}]),
    t({a}, [{'_', [], [{tuple_size, '$_'}]}]),
    t({a}, [{'_', [], [{element, 1}]}]),
    [t({a}, [{'_', [], [F]}])
     || F <- [{is_bitstring, 1}, {is_boolean, true}, {is_function, x, 1}, {ceil, 1.5}, {floor, 1.5},
              {tuple_size, {{}}}, {min, 1, 2}, {max, 1, 2}, {atom_to_list, a}, {self, 1}, {apply, a, b, []},
              {is_record, a, b}, {node, 1, 2}, {binary_part, <<>>}, {'not'}, {'+', 1, 2, 3}]],
    t({a}, [{'_', [], [{'$_'}]}]),
    t({a}, [{'_', [], [{}]}]),
    t({a}, [{'_', [], [{1, 2}]}]),
    t({a}, [{'_', [], [{"abc"}]}]),
    t({a}, [{'_', [], [{const, a, b}]}]),
    t({a}, [{'_', [], [{const}]}]),
    t({a}, [{'_', [], [{'andalso'}]}]),
    t({a}, [{'_', [], [{'and'}]}]),
    t({a}, [{'_', [], [{'or'}]}]),
    t({a}, [{'_', [], [{'orelse'}]}]),
    t({#{a => 1}}, [{{#{'$1' => 1}}, [], [x]}]),
    t({a}, [{{'$1'}, [], [ok]}, {'_', [], [{foo}]}, {'_', [], ['$7']}]),
    [t({a}, [{'_', [], [A]}])
     || A <- [{return_trace}, {exception_trace}, {message, 1}, {display, 1}, {caller}, {caller_line},
              {process_dump}, {silent, true}, {trace, [], []}, {trace, x, [], []}, {enable_trace, send},
              {enable_trace, x, send}, {disable_trace, send}, {disable_trace, x, send}, {get_tcw},
              {set_tcw, 1}, {get_seq_token}, {set_seq_token, label, 1}, {is_seq_trace}, {return_trace, 1}]],
    io:format("~w~n", [try erlang:match_spec_test({a}, [{'_', [], [x]}], other) catch C:R -> {C, R} end]).
