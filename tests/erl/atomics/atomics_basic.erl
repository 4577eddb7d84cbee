%% atomics: signed and unsigned arrays, wrapping, range and index checks,
%% info/1, and the errors with their error_info (the frame's module,
%% function, arity and error_info; refs are never printed).
-module(atomics_basic).
-export([main/0]).

t(F) ->
    try F() catch
        C:R:St -> {C, R, frame(St)}
    end.

frame([{M, F, Args, Loc} | _]) when is_list(Args) ->
    {M, F, length(Args), proplists:get_value(error_info, Loc)};
frame([{M, F, A, Loc} | _]) ->
    {M, F, A, proplists:get_value(error_info, Loc)}.

show(Label, V) -> io:format("~s: ~p~n", [Label, V]).

main() ->
    A = atomics:new(3, []),
    U = atomics:new(2, [{signed, false}]),
    S = atomics:new(1, [{signed, false}, {signed, true}]),
    show("info signed", atomics:info(A)),
    show("info unsigned", atomics:info(U)),
    show("info last option wins", atomics:info(S)),
    show("info 100", atomics:info(atomics:new(100, []))),
    show("is_reference", is_reference(A)),
    show("zeroed", [atomics:get(A, I) || I <- [1, 2, 3]]),
    show("new 0", t(fun() -> atomics:new(0, []) end)),
    show("new -1", t(fun() -> atomics:new(-1, []) end)),
    show("new atom", t(fun() -> atomics:new(a, []) end)),
    show("new big", t(fun() -> atomics:new(1 bsl 64, []) end)),
    show("new huge", t(fun() -> atomics:new(1 bsl 62, []) end)),
    show("new bad opt", t(fun() -> atomics:new(1, [bad]) end)),
    show("new bad signed", t(fun() -> atomics:new(1, [{signed, maybe}]) end)),
    show("new improper", t(fun() -> atomics:new(1, [{signed, true} | x]) end)),
    show("internal new", is_reference(erts_internal:atomics_new(2, 5))),
    show("internal new bad", t(fun() -> erts_internal:atomics_new(2, -1) end)),
    show("put ix 4", t(fun() -> atomics:put(A, 4, 1) end)),
    show("put ix 0", t(fun() -> atomics:put(A, 0, 1) end)),
    show("put ix big", t(fun() -> atomics:put(A, 1 bsl 70, 1) end)),
    show("put 2^63", t(fun() -> atomics:put(A, 1, 1 bsl 63) end)),
    show("put -2^63", t(fun() -> atomics:put(A, 1, -(1 bsl 63)) end)),
    show("get min", atomics:get(A, 1)),
    show("put float", t(fun() -> atomics:put(A, 1, 1.0) end)),
    show("unsigned put -1", t(fun() -> atomics:put(U, 1, -1) end)),
    show("unsigned put max", t(fun() -> atomics:put(U, 1, (1 bsl 64) - 1) end)),
    show("unsigned put 2^64", t(fun() -> atomics:put(U, 1, 1 bsl 64) end)),
    show("unsigned wraps up", {atomics:add(U, 1, 1), atomics:get(U, 1)}),
    show("unsigned wraps down", {atomics:add(U, 1, -1), atomics:get(U, 1)}),
    show("add below -2^63", t(fun() -> atomics:add(U, 1, -(1 bsl 63) - 1) end)),
    show("add -2^63", {atomics:add(U, 1, -(1 bsl 63)), atomics:get(U, 1)}),
    show("signed add 2^64-1", {atomics:add(A, 1, (1 bsl 64) - 1), atomics:get(A, 1)}),
    show("signed add 2^64", t(fun() -> atomics:add(A, 1, 1 bsl 64) end)),
    show("add_get", [atomics:add_get(A, 2, 1 bsl 62), atomics:add_get(A, 2, 1 bsl 62),
                     atomics:add_get(A, 2, -1)]),
    show("sub", {atomics:sub(A, 3, 5), atomics:get(A, 3)}),
    show("sub_get", atomics:sub_get(A, 3, -15)),
    show("sub_get unsigned", atomics:sub_get(U, 2, 1)),
    show("sub atom", t(fun() -> atomics:sub(A, 1, x) end)),
    show("sub_get bad ix", t(fun() -> atomics:sub_get(A, 9, 1) end)),
    show("exchange", [atomics:exchange(A, 3, 7), atomics:exchange(A, 3, -7), atomics:get(A, 3)]),
    show("exchange range", t(fun() -> atomics:exchange(U, 1, -1) end)),
    show("compare_exchange", [atomics:compare_exchange(A, 3, -7, 9),
                              atomics:compare_exchange(A, 3, -7, 11), atomics:get(A, 3)]),
    show("compare_exchange range", t(fun() -> atomics:compare_exchange(U, 1, -1, 9) end)),
    show("compare_exchange unsigned big", [atomics:put(U, 2, (1 bsl 64) - 2),
                                           atomics:compare_exchange(U, 2, (1 bsl 64) - 2, 1 bsl 63),
                                           atomics:get(U, 2)]),
    show("get plain ref", t(fun() -> atomics:get(make_ref(), 1) end)),
    show("get float ix", t(fun() -> atomics:get(A, 1.0) end)),
    show("get tuple", t(fun() -> atomics:get({atomics, A}, 1) end)),
    show("info plain ref", t(fun() -> atomics:info(make_ref()) end)),
    show("info atom", t(fun() -> atomics:info(x) end)),
    show("not a counters ref", t(fun() -> erts_internal:counters_get(A, 1) end)),
    ok.
