%% Costs of call trace, on OTP and on erbium alike: naive fib(20) run by a
%% traced process whose tracer counts every message until it has them all,
%% untraced, with a `[]` local pattern (call messages) and with a
%% return_trace match spec (call and return_from messages).
%% Prints `COST <name> <value>` lines: the best of five runs in microseconds
%% and the nanoseconds each traced call adds.
-module(trace_costs).
-export([main/0, fib/1, tracer/2]).

-define(N, 20).

fib(N) when N < 2 -> N;
fib(N) -> fib(N - 1) + fib(N - 2).

calls(N) when N < 2 -> 1;
calls(N) -> 1 + calls(N - 1) + calls(N - 2).

tracer(0, Parent) -> Parent ! {counted, self()};
tracer(Left, Parent) -> receive _ -> tracer(Left - 1, Parent) end.

%% One run: the time from the start of fib until the tracer has counted `Expect` messages.
run(Expect) ->
    Self = self(),
    T = spawn(?MODULE, tracer, [Expect, Self]),
    W = spawn(fun() -> receive go -> ok end, fib(?N), Self ! {fib_done, self()} end),
    Expect > 0 andalso erlang:trace(W, true, [call, {tracer, T}]),
    Start = erlang:monotonic_time(microsecond),
    W ! go,
    receive {fib_done, W} -> ok end,
    Expect > 0 andalso receive {counted, T} -> ok end,
    Us = erlang:monotonic_time(microsecond) - Start,
    exit(T, kill),
    Us.

best(Expect) -> lists:min([run(Expect) || _ <- lists:seq(1, 5)]).

cost(Name, V) -> io:format("COST ~s ~p~n", [Name, V]).

main() ->
    Calls = calls(?N),
    Plain = best(0),
    erlang:trace_pattern({?MODULE, fib, 1}, true, [local]),
    Call = best(Calls),
    erlang:trace_pattern({?MODULE, fib, 1}, [{'_', [], [{return_trace}]}], [local]),
    Ret = best(2 * Calls),
    erlang:trace_pattern({?MODULE, fib, 1}, false, [local]),
    cost("fib20_plain_us", Plain),
    cost("fib20_call_trace_us", Call),
    cost("fib20_return_trace_us", Ret),
    cost("call_trace_added_ns", round((Call - Plain) * 1000 / Calls)),
    cost("return_trace_added_ns", round((Ret - Plain) * 1000 / Calls)).
