-module(dbg_timer).
%% Timers of a process suspended at an erl_debugger breakpoint keep
%% running, as those of one erlang:suspend_process stopped (OTP 25 and 28):
%% a send_after message lands in its queue meanwhile, a receive ... after
%% armed before the stop is not, and once resumed it goes on with both;
%% nothing is lost and no process stays suspended (expected output:
%% dbg_timer.out).
-export([main/0]).

ticker(Parent) ->
    erlang:send_after(50, self(), tick),
    Stop = erlang:phash2(stop),
    Parent ! {ticker, Stop, receive tick -> got_tick after 1000 -> no_tick end}.

main() ->
    {ok, S} = erl_debugger:register(self()),
    ok = erl_debugger:breakpoint(?MODULE, 12, true),
    Me = self(),
    P = spawn(fun() -> ticker(Me) end),
    {breakpoint, P, {?MODULE, ticker, 1}, 12, Resume} = receive {debugger_event, S, E} -> E end,
    timer:sleep(600),
    io:format("at the breakpoint: ~p ~p~n", [process_info(P, status), process_info(P, message_queue_len)]),
    Resume(),
    io:format("resumed: ~p~n", [receive {ticker, _, R} -> R after 2000 -> timeout end]),
    %% a process waiting in receive ... after, suspended by the debugger (as
    %% edb does to every process on a hit): the timeout fires meanwhile and
    %% the after clause runs once it is resumed
    W = spawn(fun() -> Me ! {waiter, receive go -> go after 300 -> timed_out end} end),
    wait_in_receive(W),
    true = erlang:suspend_process(W),
    timer:sleep(600),
    W ! go,
    io:format("waiter while suspended: ~p~n", [receive {waiter, _} = M -> M after 0 -> nothing end]),
    true = erlang:resume_process(W),
    io:format("waiter resumed: ~p~n", [receive {waiter, V} -> V after 2000 -> timeout end]),
    ok = erl_debugger:unregister(self(), S),
    io:format("suspended left: ~p~n",
              [[Q || Q <- processes(), process_info(Q, status) =:= {status, suspended}]]).

wait_in_receive(P) ->
    case process_info(P, status) of
        {status, waiting} -> ok;
        undefined -> error({timed_out_before_suspended, P});
        _ -> timer:sleep(1), wait_in_receive(P)
    end.
