%% erlang:apply/2 is a VM stub with breakpoints as OTP 25 has them: counted
%% and traced when apply/3 or spawn/3 reaches it, not for direct calls or
%% fun erlang:apply/2; erlang:apply/3 never. Then M:apply(F, []) with M
%% dynamic, which OTP does not trace either.
-module(trace_apply_stub).
-export([main/0, f/0, g/1]).
f() -> ok.
g(X) -> X.
c() -> [element(2, erlang:trace_info(X, call_count)) || X <- [{erlang,apply,2},{erlang,apply,3}]].
step(Name, Fun) ->
    erlang:trace_pattern({erlang, apply, '_'}, restart, [call_count]),
    Fun(),
    timer:sleep(5),
    io:format("~p ~p~n", [Name, c()]).
main() ->
    L = [fun f/0, []],
    erlang:trace_pattern({erlang, apply, '_'}, true, [call_count]),
    F = fun f/0,
    A = list_to_tuple([[]]),
    M = list_to_atom("erlang"),
    step(direct2, fun() -> apply(F, element(1, A)) end),
    step(direct3, fun() -> apply(trace_apply_stub, g, element(1, {[1]})) end),
    step(a3_a2, fun() -> apply(M, apply, L) end),
    step(a3_a3, fun() -> apply(M, apply, [trace_apply_stub, g, [2]]) end),
    G = fun erlang:apply/2, H = fun erlang:apply/3,
    step(fun2, fun() -> G(F, []) end),
    step(fun3, fun() -> H(trace_apply_stub, g, [3]) end),
    step(spawn2, fun() -> spawn(erlang, apply, [F, []]) end),
    step(spawn3, fun() -> spawn(erlang, apply, [trace_apply_stub, g, [1]]) end),
    Self = self(),
    T = spawn(fun() -> tr(Self) end),
    erlang:trace_pattern({erlang, apply, '_'}, true, [local]),
    erlang:trace(self(), true, [call, {tracer, T}]),
    apply(M, apply, L),
    apply(M, apply, [trace_apply_stub, g, [2]]),
    G(F, []),
    H(trace_apply_stub, g, [3]),
    apply(F, element(1, A)),
    erlang:trace(self(), false, [call]),
    T ! stop,
    receive {T, Msgs} -> io:format("~p~n", [Msgs]) end,
    erlang:trace_pattern({erlang, apply, '_'}, true, [global]),
    T2 = spawn(fun() -> tr(Self) end),
    erlang:trace(self(), true, [call, {tracer, T2}]),
    apply(M, apply, L),
    apply(M, apply, [trace_apply_stub, g, [2]]),
    G(F, []),
    H(trace_apply_stub, g, [3]),
    erlang:trace(self(), false, [call]),
    T2 ! stop,
    receive {T2, Msgs2} -> io:format("~p~n", [Msgs2]) end,
    erlang:trace_pattern({erlang, apply, 2}, [{'_', [], [{return_trace}]}], [local]),
    T3 = spawn(fun() -> tr(Self) end),
    erlang:trace(self(), true, [call, {tracer, T3}]),
    apply(M, apply, [fun() -> g(7) end, []]),
    erlang:trace(self(), false, [call]),
    T3 ! stop,
    receive {T3, Msgs3} -> io:format("~p~n", [Msgs3]) end.
tr(P) -> tr(P, []).
tr(P, Acc) -> receive stop -> P ! {self(), lists:reverse(Acc)}; {trace, _, call, MFA} -> tr(P, [MFA | Acc]);
                          {trace, _, What, MFA, Extra} -> tr(P, [{What, MFA, Extra} | Acc]) end.
