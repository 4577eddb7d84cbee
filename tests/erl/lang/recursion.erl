-module(recursion).
-export([main/0]).

%% Plain and doubly recursive functions: the call/return path.

main() ->
    io:format("fib 0..15: ~w~n", [[fib(N) || N <- lists:seq(0, 15)]]),
    io:format("fib(25) = ~b~n", [fib(25)]),
    io:format("ack(2,3) = ~b~n", [ack(2, 3)]),
    io:format("ack(3,4) = ~b~n", [ack(3, 4)]),
    io:format("fact(20) = ~b~n", [fact(20)]),
    io:format("sum_to(1000) = ~b~n", [sum_to(1000)]),
    io:format("hanoi(16) moves = ~b~n", [hanoi(16, a, b, c)]),
    io:format("gcd(1071,462) = ~b~n", [gcd(1071, 462)]),
    io:format("power(3,20) = ~b~n", [power(3, 20)]),
    io:format("collatz(27) steps = ~b~n", [collatz(27, 0)]),
    io:format("even(1001) = ~w, odd(1001) = ~w~n", [even(1001), odd(1001)]).

fib(0) -> 0;
fib(1) -> 1;
fib(N) -> fib(N - 1) + fib(N - 2).

ack(0, N) -> N + 1;
ack(M, 0) -> ack(M - 1, 1);
ack(M, N) -> ack(M - 1, ack(M, N - 1)).

fact(0) -> 1;
fact(N) -> N * fact(N - 1).

sum_to(0) -> 0;
sum_to(N) -> N + sum_to(N - 1).

hanoi(0, _, _, _) -> 0;
hanoi(N, From, To, Via) ->
    hanoi(N - 1, From, Via, To) + 1 + hanoi(N - 1, Via, To, From).

gcd(A, 0) -> A;
gcd(A, B) -> gcd(B, A rem B).

power(_, 0) -> 1;
power(B, E) when E rem 2 =:= 0 -> H = power(B, E div 2), H * H;
power(B, E) -> B * power(B, E - 1).

collatz(1, Steps) -> Steps;
collatz(N, Steps) when N rem 2 =:= 0 -> collatz(N div 2, Steps + 1);
collatz(N, Steps) -> collatz(3 * N + 1, Steps + 1).

even(0) -> true;
even(N) -> odd(N - 1).

odd(0) -> false;
odd(N) -> even(N - 1).
