-module(ring).
-export([main/0]).

%% A ring of 1,000 processes passing one token 1,000,000 hops.

-define(PROCS, 1000).
-define(HOPS, 1000000).

main() ->
    T0 = erlang:monotonic_time(microsecond),
    Self = self(),
    First = build(?PROCS - 1, spawn(fun() -> last(Self) end)),
    First ! {token, ?HOPS},
    Result = receive {done, Hops} -> Hops end,
    Elapsed = erlang:monotonic_time(microsecond) - T0,
    io:format("CHECK ring ~b~n", [Result]),
    io:format("RESULT ring ~b~n", [Elapsed]).

build(0, Next) -> Next;
build(K, Next) -> build(K - 1, spawn(fun() -> relay(Next) end)).

relay(Next) ->
    receive
        {token, 0} = T -> Next ! T;
        {token, K} -> Next ! {token, K - 1}, relay(Next)
    end.

last(Main) ->
    receive
        {token, 0} -> Main ! {done, ?HOPS};
        {token, K} -> self() ! {token, K - 1}, last(Main)
    end.
