-module(proc_dirty_stress).
-export([main/0]).

%% Many processes on every scheduler mixing messages with calls that erbium
%% runs on its dirty pools (on OTP the same work runs in plain Erlang).
%% Checks that every process finishes and every message arrives.

main() ->
    Self = self(),
    N = 200,
    [spawn(fun() -> worker(Self, I) end) || I <- lists:seq(1, N)],
    Results = [receive {done, I, R} -> R end || I <- lists:seq(1, N)],
    io:format("workers: ~p~n", [length(Results)]),
    io:format("sum: ~p~n", [lists:sum(Results)]),
    Echo = spawn(fun echo/0),
    Pairs = [spawn(fun() -> Echo ! {self(), I}, receive {echo, I} -> Self ! {pong, I} end end)
             || I <- lists:seq(1, 1000)],
    io:format("echoes: ~p~n", [length([receive {pong, I} -> I end || I <- lists:seq(1, 1000)])]),
    io:format("pairs: ~p~n", [length(Pairs)]).

worker(Main, I) ->
    work(I rem 3, I),
    Main ! {done, I, fib(15 + I rem 5)}.

%% erbium runs busy_cpu/sleep_io on dirty schedulers; OTP has no such module,
%% so the same pause is a receive timeout there.
work(0, _) -> pause(erbium_busy_cpu);
work(1, _) -> pause(erbium_sleep_io);
work(2, I) -> fib(10 + I rem 7).

pause(Kind) ->
    case erlang:function_exported(erbium, busy_cpu, 1) of
        true when Kind =:= erbium_busy_cpu -> erbium:busy_cpu(2);
        true -> erbium:sleep_io(2);
        false -> receive after 2 -> ok end
    end.

echo() -> receive {From, X} -> From ! {echo, X}, echo() end.

fib(N) when N < 2 -> N;
fib(N) -> fib(N - 1) + fib(N - 2).
