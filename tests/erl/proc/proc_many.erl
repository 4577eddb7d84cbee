-module(proc_many).
-export([main/0]).

%% Spawns 1,000,000 processes: each sends one message to a collector and exits.
main() ->
    Self = self(),
    N = 1000000,
    spawn_all(N, Self),
    Sum = collect(N, 0),
    io:format("sum: ~p~n", [Sum]),
    %% a ring of 1000 processes passing a token 100 times around
    First = ring(1000, Self),
    First ! {token, 100 * 1000},
    receive {done, Hops} -> io:format("ring done: ~p~n", [Hops]) end,
    io:format("priorities: ~p~n", [priorities()]).

spawn_all(0, _) -> ok;
spawn_all(I, To) -> spawn(fun() -> To ! {n, I} end), spawn_all(I - 1, To).

collect(0, Acc) -> Acc;
collect(K, Acc) -> receive {n, I} -> collect(K - 1, Acc + I) end.

ring(N, Main) ->
    Last = spawn(fun() -> last(Main) end),
    build(N - 1, Last).

build(0, Next) -> Next;
build(K, Next) -> build(K - 1, spawn(fun() -> relay(Next) end)).

relay(Next) ->
    receive
        {token, 0} = T -> Next ! T;
        {token, K} -> Next ! {token, K - 1}, relay(Next)
    end.

last(Main) ->
    receive
        {token, K} -> Main ! {done, K}
    end.

priorities() ->
    Old = process_flag(priority, high),
    New = process_flag(priority, Old),
    {Old, New}.
