-module(bifs_misc).
-export([main/0, hello/1]).

%% Assorted BIFs from the erlang module, called directly and dynamically.

main() ->
    io:format("length/hd/tl: ~w ~w ~w~n", [length([a, b]), hd([x | y]), tl([x | y])]),
    io:format("max/min: ~w ~w ~w~n", [max(3, 7), min(a, 1), max("a", "b")]),
    io:format("abs: ~w ~w~n", [abs(-5), abs(-5.5)]),
    io:format("conversions: ~w ~w~n", [list_to_tuple([1, 2]), tuple_to_list({3, 4})]),
    io:format("integer_to_list: ~s~n", [integer_to_list(987654321)]),
    io:format("list_to_integer: ~w~n", [list_to_integer("-42")]),
    io:format("atom_to_list: ~s~n", [atom_to_list(some_atom)]),
    io:format("float_to_list: ~s~n", [float_to_list(2.5, [{decimals, 2}])]),
    io:format("round trips: ~w~n", [list_to_atom(atom_to_list(xyz))]),
    io:format("apply/3: ~w~n", [apply(lists, seq, [1, 4])]),
    io:format("apply/2: ~w~n", [apply(fun(X, Y) -> X * Y end, [6, 7])]),
    io:format("dynamic: ~w~n", [(id(?MODULE)):hello(world)]),
    io:format("erlang:apply: ~w~n", [erlang:apply(erlang, element, [2, {a, b}])]),
    io:format("is_*: ~w~n", [[is_number(1), is_number(a), is_pid(self()), is_reference(x)]]),
    io:format("self is pid: ~w~n", [is_pid(self())]),
    io:format("node: ~w~n", [node()]),
    io:format("module info: ~w~n", [lists:member({hello, 1}, ?MODULE:module_info(exports))]),
    io:format("function_exported: ~w ~w~n",
              [erlang:function_exported(?MODULE, hello, 1),
               erlang:function_exported(?MODULE, nothere, 0)]),
    io:format("make_ref: ~w~n", [is_reference(make_ref())]),
    io:format("refs differ: ~w~n", [make_ref() =/= make_ref()]),
    io:format("monotonic: ~w~n", [is_integer(erlang:monotonic_time())]),
    io:format("unique: ~w~n", [erlang:unique_integer([positive]) > 0]),
    io:format("throw in apply: ~w~n", [catch apply(erlang, throw, [x])]),
    io:format("list ops: ~w ~w~n", [erlang:'++'([1], [2]), erlang:'--'([1, 2], [1])]),
    io:format("operators as funs: ~w ~w~n", [erlang:'+'(1, 2), erlang:'=:='(a, a)]),
    io:format("element/setelement: ~w~n", [setelement(1, {a}, element(1, {b}))]),
    io:format("integer/float: ~w ~w~n", [is_integer(7 div 2), is_float(7 / 2)]),
    io:format("bit ops via erlang: ~w ~w~n", [erlang:'band'(6, 3), erlang:'bsl'(1, 4)]),
    io:format("size: ~w~n", [size({a, b, c})]),
    io:format("lists:keymember: ~w~n", [lists:keymember(b, 1, [{a, 1}, {b, 2}])]).

id(X) -> X.

hello(X) -> {hello, X}.
