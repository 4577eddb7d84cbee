%% Stack traces of errors raised by the first instruction after a call to the
%% function itself (its return address): OTP lists the caller's frame as well.
-module(exc_after_self_call).
-export([main/0, pair/2]).

pair(A, B) when A < 1 -> B;
pair(A, B) -> B + pair(A - 1, B + 1) - 1.

hd_of(0) -> [];
hd_of(N) -> hd(hd_of(N - 1)).

deep(0) -> 1.0e308;
deep(N) -> 1.0e308 * deep(N - 1).

main() ->
    [io:format("~p~n", [catch F()])
     || F <- [fun() -> pair(1, 1.0e308) end,
              fun() -> pair(2, 1.0e308) end,
              fun() -> pair(4, 1.0e308) end,
              fun() -> ?MODULE:pair(3, 1.0e308) end,
              fun() -> hd_of(2) end,
              fun() -> deep(1) end,
              fun() -> deep(3) end]],
    ok.
