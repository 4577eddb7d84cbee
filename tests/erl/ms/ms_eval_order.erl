-module(ms_eval_order).
-export([main/0]).

%% The order in which a match spec evaluates the parts of an expression, as
%% OTP 25 does it, made visible with display/1 in the trace dialect: call
%% arguments, {{...}} elements and 'and'/'or' operands from the last to the
%% first, map values then keys (each last first), list elements from the
%% head, andalso/orelse from the left. The results (printed after) do not
%% depend on the order.

main() ->
    T = fun(Body) -> erlang:match_spec_test([a, b], [{['$1', '$2'], [], Body}], trace) end,
    R = [T([{'+', {display, 1}, {display, 2}}]),
         T([{'andalso', {display, 3}, {display, 4}}]),
         T([{'orelse', {display, false}, {display, 5}}]),
         T([{'and', {display, 6}, {display, 7}}]),
         T([{'element', {display, 1}, {{{display, 8}, {display, 9}}}}]),
         T([#{{display, k1} => {display, v1}, {display, k2} => {display, v2}}]),
         T([{{{display, 10}, #{a => {display, 11}}, {display, 12}, [{display, 13}, {display, 14} | {display, 15}]}}]),
         T([{message, {{{display, '$1'}, {{{display, '$2'}, {display, 16}}}}}}]),
         T([{display, first}, {{{display, second}, {display, third}}}, {display, last}])],
    erlang:yield(),
    timer:sleep(50),
    io:format("~p~n", [R]).
