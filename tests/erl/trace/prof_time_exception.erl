%% call_time after a caught exception: OTP 25 goes on charging the function
%% that raised for the work the catching function does afterwards, both
%% before and after the catcher's later traced call. Each function is printed
%% with whether it got more than a tenth of the total (the amounts depend on
%% the load; the catcher and after_call get next to nothing).
-module(prof_time_exception).
-export([main/0, raiser/0, catcher/0, after_call/0]).

raiser() -> throw(oops).
spin(0) -> ok;
spin(N) -> spin(N - 1).
catcher() ->
    R = (catch ?MODULE:raiser()),
    spin(3000000),
    ?MODULE:after_call(),
    spin(1000000),
    R.
after_call() -> ok.

us(F) ->
    {call_time, L} = erlang:trace_info({?MODULE, F, 0}, call_time),
    lists:sum([S * 1000000 + U || {_, _, S, U} <- L]).

main() ->
    [erlang:trace_pattern({?MODULE, F, 0}, true, [call_time]) || F <- [raiser, catcher, after_call]],
    Self = self(),
    P = spawn(fun() -> receive go -> ok end, catcher(), Self ! done end),
    erlang:trace(P, true, [call]),
    P ! go,
    receive done -> ok end,
    Times = [{F, us(F)} || F <- [raiser, catcher, after_call]],
    Total = lists:sum([T || {_, T} <- Times]),
    io:format("~p~n", [[{F, T * 10 > Total} || {F, T} <- Times]]).
