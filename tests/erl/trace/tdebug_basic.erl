%% Debug breakpoints (erts_debug:breakpoint/2, OTP 25): a call of a function
%% with one runs error_handler:breakpoint(M, F, Args) (the process's
%% error_handler module's) in its place, whose int:eval/3 call here reaches
%% a stand-in `int` module made by this test; the handler's value is the
%% call's (the compiler may use a value it inferred instead: h/0 called
%% locally). Counters and debug breakpoints coexist; trace_info sees nothing.
%% OTP 25 crashes (SIGSEGV) when the handler module lacks breakpoint/3, so
%% that case is in tests/stress/prof_stress.erl, on erbium only.
-module(tdebug_basic).
-export([main/0, f/1, g/1, h/0, breakpoint/3, undefined_function/3, undefined_lambda/3]).

f(X) -> {f, g(X)}.
g(X) -> X * 10.
h() -> h_result.

%% As an error_handler module: breakpoint/3 answers itself.
breakpoint(M, F, Args) -> {handled, M, F, Args}.
undefined_function(M, F, A) -> error_handler:undefined_function(M, F, A).
undefined_lambda(M, F, A) -> error_handler:undefined_lambda(M, F, A).

show(Label, Value) -> io:format("~p: ~p~n", [Label, Value]).
t(F) -> try F() catch C:R -> {C, R} end.

%% A stand-in for the debugger's int:eval/3.
make_int() ->
    Forms = [{attribute, 1, module, int},
             {attribute, 2, export, [{eval, 3}]},
             {function, 3, eval, 3,
              [{clause, 3, [{var, 3, 'M'}, {var, 3, 'F'}, {var, 3, 'A'}], [],
                [{tuple, 3, [{atom, 3, int_eval}, {var, 3, 'M'}, {var, 3, 'F'}, {var, 3, 'A'}]}]}]}],
    {ok, int, Bin} = compile:forms(Forms, []),
    {module, int} = erlang:load_module(int, Bin).

main() ->
    M = ?MODULE,
    show(bad, [t(fun() -> erts_debug:breakpoint(A, B) end)
               || {A, B} <- [{{M, f, 1}, maybe}, {M, true}, {{M, '_', 1}, true}, {{M, f}, true}]]),
    show(missing, erts_debug:breakpoint({no_such_module_x, f, 1}, true)),
    show(bif, erts_debug:breakpoint({lists, reverse, 2}, true)),
    show(bif_call, lists:reverse([1, 2], [])),
    erts_debug:breakpoint({lists, reverse, 2}, false),
    %% no int module: undef from error_handler:breakpoint/3's call
    show(set, erts_debug:breakpoint({M, g, 1}, true)),
    {'EXIT', {undef, [{int, eval, [M, g, [2]], _} | _]}} = (catch f(2)),
    show(no_int, undef),
    make_int(),
    show(with_int, f(2)),
    show(remote, M:g(3)),
    show(info, [erlang:trace_info({M, g, 1}, I) || I <- [traced, all]]),
    %% counters alongside
    show(count, erlang:trace_pattern({M, g, 1}, true, [call_count])),
    f(1), M:g(1),
    show(counted, erlang:trace_info({M, g, 1}, call_count)),
    show(still, f(5)),
    show(clear, erts_debug:breakpoint({M, g, 1}, false)),
    show(cleared, f(5)),
    show(counted2, erlang:trace_info({M, g, 1}, call_count)),
    erlang:trace_pattern({M, g, 1}, false, [call_count]),
    %% the whole module, and another handler module
    show(all, erts_debug:breakpoint({M, h, '_'}, true)),
    Me = self(),
    spawn(fun() -> process_flag(error_handler, M), Me ! {own, h()} end),
    receive {own, R} -> show(own_handler, R) end,
    spawn(fun() -> process_flag(error_handler, M), Me ! {own_remote, M:h()} end),
    receive {own_remote, R2} -> show(own_remote, R2) end,
    show(off, erts_debug:breakpoint({M, '_', '_'}, false)),
    show(plain, {h(), f(1)}),
    ok.
