%% OTP's own tools over erbium's breakpoints and trace messages, unchanged:
%% cprof counting calls, dbg with a handler fun, a local pattern with a
%% fun2ms match spec and return_trace.
-module(trace_otp_tools).
-export([main/0, fib/1]).
-include_lib("stdlib/include/ms_transform.hrl").
fib(N) when N < 2 -> N;
fib(N) -> fib(N - 1) + fib(N - 2).
main() ->
    cprof:start(trace_otp_tools),
    fib(15),
    io:format("cprof: ~p~n", [cprof:analyse(trace_otp_tools)]),
    cprof:stop(),
    Self = self(),
    dbg:tracer(process, {fun(Msg, N) -> Self ! {got, Msg}, N + 1 end, 0}),
    dbg:p(self(), [call]),
    dbg:tpl(trace_otp_tools, fib, dbg:fun2ms(fun([1]) -> return_trace() end)),
    fib(3),
    dbg:stop(),
    Msgs = collect(),
    io:format("dbg: ~p~n", [[{T, element(4, M)} || {got, M} <- Msgs, T <- [element(3, M)]]]).
collect() -> receive M -> [M | collect()] after 300 -> [] end.
