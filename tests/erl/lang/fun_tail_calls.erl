-module(fun_tail_calls).
-export([main/0, loop/2, loop2/2, bad/1]).

%% A fun called last in a function with a stack frame is a tail call (OTP's
%% loader makes `call_fun; deallocate; return` one), so a loop through funs
%% runs in constant stack; and a stack trace leaves out a return address
%% equal to the one before it, as OTP does.

main() ->
    io:format("call_fun loop: ~p~n", [loop(fun ?MODULE:loop/2, 1000000)]),
    io:format("call_fun2 loop: ~p~n", [loop2(fun loop2/2, 1000000)]),
    Closure = closure_loop(1000000, 7),
    io:format("closure loop: ~p~n", [Closure]),
    io:format("badfun in tail position: ~p~n", [frames(fun() -> call_last(not_a_fun) end)]),
    io:format("badarity in tail position: ~p~n", [frames(fun() -> call_last(fun(A, B) -> {A, B} end) end)]),
    M = ?MODULE,
    io:format("recursion frames: ~p~n",
              [[frames(fun() -> G(nan) end) || G <- [fun M:bad/1, fun M:bad/1, fun M:bad/1, fun M:bad/1]]]),
    io:format("deep: ~p~n", [frames(fun() -> deep(5) end)]).

id(X) -> X.

%% call_fun: the fun comes from a call, so it is kept in a y register
loop(_, 0) -> {done, stack_words()};
loop(F, N) -> G = id(F), G(F, N - 1).

%% call_fun2 (a fun of this module, called by a local name)
loop2(_, 0) -> {done, stack_words()};
loop2(F, N) -> _ = id(N), F(F, N - 1).

%% a closure with free variables, called last
closure_loop(N, K) ->
    Step = fun Step(0, Acc) -> {Acc, stack_words()};
               Step(I, Acc) -> Next = id(Step), Next(I - 1, Acc + K)
           end,
    Step(N, 0).

call_last(F) -> G = id(F), G(1).

bad(X) -> X + 1.

deep(0) -> erlang:error(bottom);
deep(N) -> [deep(N - 1)].

stack_words() ->
    {stack_size, S} = process_info(self(), stack_size),
    S < 100.

frames(F) ->
    try F() of
        V -> {returned, V}
    catch
        C:R:S -> {C, R, [{Fn, A, proplists:get_value(line, L)} || {?MODULE, Fn, A, L} <- S]}
    end.
