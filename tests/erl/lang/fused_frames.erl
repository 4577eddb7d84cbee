-module(fused_frames).
-export([main/0]).
-export([fib/1, down/1, sum/1, count_ge/2, pair/2, tree/1, nested/1]).

%% Body calls the loader fuses (ops_fused.def, load_fused.c): a guard
%% `x < C` or `x >= C` that returns, `x - C` chained into a one-slot frame
%% filled by its move and the call (i_allocate1_move2_call_xyxx), `y - C`
%% chained into the second call, `y + x` with deallocate and return. Edge
%% cases: bignum, float and non-number arguments (the slow paths of the
%% compare and the arithmetic; a positive bignum would recurse for ever), badarith raised before and between the
%% calls with the stack trace through the fused frames, recursion deep
%% enough to grow the stack many times, and call_count and call tracing
%% (with return_trace) on the functions.

%% Every function is called through ?MODULE, so the compiler cannot
%% specialise it for the constant arguments given here.
main() ->
    M = ?MODULE,
    Big = 1 bsl 59,
    io:format("fib: ~w~n", [[M:fib(N) || N <- [0, 1, 2, 3, 10, 20, -5]]]),
    io:format("fib other: ~w~n", [[M:fib(N) || N <- [1.5, 2.0, 3.5, -1.0, 1 bsl 70 - (1 bsl 70) + 7]]]),
    io:format("fib errors: ~p~n", [[catch_line(fun() -> M:fib(X) end) || X <- [x, [], {1}, <<1>>]]]),
    io:format("down: ~w~n", [[M:down(N) || N <- [0, 1, 5, 2.5, -Big - 1, 1 - (1 bsl 70)]]]),
    io:format("down errors: ~p~n", [[catch_line(fun() -> M:down(X) end) || X <- [a, "s"]]]),
    io:format("sum: ~w~n", [[M:sum(N) || N <- [0, 1, 100, 1000000]]]),
    io:format("sum floats: ~w~n", [[M:sum(N) || N <- [3.5, 0.25, 1.0e15 + 2.0 - 1.0e15]]]),
    %% every difference a boxed float while the stack grows: collections between the
    %% subtraction and the call move the argument
    io:format("sum deep floats: ~w~n", [[M:sum(N) || N <- [30000.5, 2000.5, 1 bsl 62 + 0.5 - (1 bsl 62) + 20000]]]),
    io:format("fib bignum base: ~w~n", [[M:fib(N) || N <- [-(1 bsl 64), -(1 bsl 80) + 3]]]),
    io:format("count_ge: ~w~n", [[M:count_ge(N, L) || {N, L} <- [{0, 0}, {10, 3}, {3, 10}, {2.5, 0}, {Big, Big - 4}]]]),
    io:format("pair: ~w~n", [[M:pair(A, B) || {A, B} <- [{0, 0}, {3, 4}, {3, Big - 2}, {2, -Big}, {1.5, 2}]]]),
    io:format("pair errors: ~p~n", [[catch_line(fun() -> M:pair(A, B) end) || {A, B} <- [{3, x}, {x, 3}, {1, 1.0e308}]]]),
    io:format("tree: ~w~n", [[M:tree(N) || N <- [0, 1, 4, 12]]]),
    io:format("nested: ~p~n", [[catch_line(fun() -> M:nested(N) end) || N <- [3, 0, -2]]]),
    counts(M),
    traced(M).

catch_line(F) ->
    try F() of
        V -> {ok, V}
    catch
        Class:Reason:St -> {Class, Reason, [{Fn, A, proplists:get_value(line, L)} || {?MODULE, Fn, A, L} <- St]}
    end.

%% call_count on the fused shapes: every entry counted, the breakpoint on the first instruction.
counts(M) ->
    Fs = [{fib, 1}, {down, 1}, {pair, 2}],
    [erlang:trace_pattern({M, F, A}, true, [call_count]) || {F, A} <- Fs],
    _ = {M:fib(15), M:down(100), M:pair(20, 7)},
    io:format("call_count: ~w~n", [[{F, erlang:trace_info({M, F, A}, call_count)} || {F, A} <- Fs]]),
    [erlang:trace_pattern({M, F, A}, false, [call_count]) || {F, A} <- Fs],
    ok.

%% Call and return_from trace messages of a small fib, in order.
traced(M) ->
    Self = self(),
    Tracer = spawn(fun() -> collect(Self, []) end),
    erlang:trace(Self, true, [call, {tracer, Tracer}]),
    erlang:trace_pattern({M, fib, 1}, [{'_', [], [{return_trace}]}], [local]),
    R = M:fib(4),
    erlang:trace(Self, false, [call]),
    erlang:trace_pattern({M, fib, 1}, false, [local]),
    Tracer ! {done, Self},
    Msgs = receive {trace_msgs, Ms} -> Ms end,
    io:format("traced fib(4) = ~w, ~w messages~n", [R, length(Msgs)]),
    [io:format("  ~w~n", [strip(Msg)]) || Msg <- Msgs],
    ok.

collect(Parent, Acc) ->
    receive
        {done, Parent} -> Parent ! {trace_msgs, lists:reverse(Acc)};
        Msg when element(1, Msg) =:= trace -> collect(Parent, [Msg | Acc])
    end.

strip({trace, _Pid, call, MFA}) -> {call, MFA};
strip({trace, _Pid, return_from, MFA, V}) -> {return_from, MFA, V};
strip(Other) -> {other, Other}.

%% is_lt x 2 + return; x - 1 into the one-slot frame and call; y - 2 and call; y + x, return
fib(N) when N < 2 -> N;
fib(N) -> fib(N - 1) + fib(N - 2).

%% the same shape with one call
down(N) when N < 1 -> [];
down(N) -> [N | down(N - 1)].

%% deep body recursion: the stack grows many times over
sum(N) when N < 1 -> 0;
sum(N) -> N + sum(N - 1).

%% is_ge x C + return
count_ge(N, L) when N >= L -> N;
count_ge(N, L) -> 1 + count_ge(N + 1, L).

%% two arguments, one saved across the call
pair(A, B) when A < 1 -> B;
pair(A, B) -> B + pair(A - 1, B + 1) - 1.

%% a tuple built from the two calls' results
tree(N) when N < 1 -> leaf;
tree(N) -> {tree(N - 1), N, tsize(tree(N - 2))}.

tsize(leaf) -> 0;
tsize({L, _, S}) -> tsize(L) + 1 + S.

%% badarith raised deep inside fused frames: the stack trace names each of them
nested(N) when N < 1 -> N + nope();
nested(N) -> nested(N - 1) + 1.

nope() -> list_to_atom("nope").
