%% counters: both kinds (atomics and write_concurrency), wrapping, checks,
%% info/1 and the errors with their error_info.
-module(counters_basic).
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

each(C) ->
    show("zeroed", [counters:get(C, I) || I <- [1, 2, 3]]),
    show("add sub", [counters:add(C, 1, 5), counters:sub(C, 1, 7), counters:get(C, 1)]),
    show("wrap", [counters:put(C, 2, (1 bsl 63) - 1), counters:add(C, 2, 1), counters:get(C, 2)]),
    show("add 2^64-1", [counters:add(C, 3, (1 bsl 64) - 1), counters:get(C, 3)]),
    show("add 2^63", [counters:add(C, 3, 1 bsl 63), counters:get(C, 3)]),
    show("add 2^64", t(fun() -> counters:add(C, 3, 1 bsl 64) end)),
    show("sub 2^64", t(fun() -> counters:sub(C, 3, -(1 bsl 64)) end)),
    show("put -5", [counters:put(C, 3, -5), counters:get(C, 3)]),
    show("put 2^63", t(fun() -> counters:put(C, 1, 1 bsl 63) end)),
    show("put float", t(fun() -> counters:put(C, 1, 1.5) end)),
    show("add float", t(fun() -> counters:add(C, 1, 1.0) end)),
    show("sub atom", t(fun() -> counters:sub(C, 1, a) end)),
    show("get ix 0", t(fun() -> counters:get(C, 0) end)),
    show("get ix 5", t(fun() -> counters:get(C, 5) end)),
    show("add ix 9", t(fun() -> counters:add(C, 9, 1) end)),
    show("many adds", begin
                          [counters:add(C, 4, I) || I <- lists:seq(1, 1000)],
                          [counters:sub(C, 4, 1) || _ <- lists:seq(1, 10)],
                          counters:get(C, 4)
                      end).

main() ->
    W = counters:new(4, [write_concurrency]),
    A = counters:new(4, [atomics]),
    D = counters:new(4, []),
    show("kinds", [element(1, W), element(1, A), element(1, D)]),
    show("info atomics", counters:info(A)),
    show("info default", counters:info(D)),
    #{size := WSize, memory := WMem} = counters:info(W),
    show("info write_concurrency", {WSize, lists:sort(maps:keys(counters:info(W))),
                                    WMem >= 4 * 8 * erlang:system_info(schedulers)}),
    #{memory := BigMem} = counters:info(counters:new(100, [write_concurrency])),
    show("memory grows with size", BigMem > WMem),
    each(W),
    each(A),
    show("new 0", t(fun() -> counters:new(0, [write_concurrency]) end)),
    show("new atom", t(fun() -> counters:new(x, []) end)),
    show("new big", t(fun() -> counters:new(1 bsl 64, [write_concurrency]) end)),
    show("new bad opt", t(fun() -> counters:new(1, [foo]) end)),
    show("new two opts", t(fun() -> counters:new(1, [atomics, write_concurrency]) end)),
    show("internal new 0", t(fun() -> erts_internal:counters_new(0) end)),
    show("internal new -1", t(fun() -> erts_internal:counters_new(-1) end)),
    show("get bad ref", t(fun() -> counters:get({foo, make_ref()}, 1) end)),
    show("get wrong kind", t(fun() -> counters:get({write_concurrency, element(2, A)}, 1) end)),
    show("atomics on counters", t(fun() -> atomics:get(element(2, W), 1) end)),
    show("info bad", t(fun() -> counters:info(make_ref()) end)),
    show("info not a ref", t(fun() -> counters:info(x) end)),
    ok.
