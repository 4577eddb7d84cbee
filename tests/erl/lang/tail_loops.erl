-module(tail_loops).
-export([main/0]).

%% Tail calls must run in constant stack: ten million iterations.

main() ->
    io:format("count: ~b~n", [count(0, 10000000)]),
    io:format("sum: ~b~n", [sum(10000000, 0)]),
    io:format("mutual: ~w~n", [ping(10000000)]),
    io:format("two accs: ~w~n", [accs(1000000, 0, 1)]),
    io:format("lcg: ~b~n", [lcg(5000000, 42)]),
    io:format("via case: ~b~n", [case_loop(3000000, 0)]),
    io:format("countdown: ~w~n", [countdown(10000000)]).

count(Acc, 0) -> Acc;
count(Acc, N) -> count(Acc + 1, N - 1).

sum(0, Acc) -> Acc;
sum(N, Acc) -> sum(N - 1, Acc + N).

ping(0) -> ping_done;
ping(N) -> pong(N - 1).

pong(0) -> pong_done;
pong(N) -> ping(N - 1).

%% Two accumulators, one wrapping modulo a prime.
accs(0, A, B) -> {A, B};
accs(N, A, B) -> accs(N - 1, A + N rem 7, (B * 31 + N) rem 1000003).

lcg(0, X) -> X;
lcg(N, X) -> lcg(N - 1, (X * 1103515245 + 12345) band 16#7fffffff).

case_loop(N, Acc) ->
    case N of
        0 -> Acc;
        _ when N rem 3 =:= 0 -> case_loop(N - 1, Acc + 2);
        _ -> case_loop(N - 1, Acc + 1)
    end.

countdown(N) when N > 0 -> countdown(N - 1);
countdown(N) -> {done, N}.
