-module(suspend_timer_conc).
%% Timers of a suspended process (erlang:suspend_process/1): they keep
%% running, as in OTP 25. A receive ... after that times out while the
%% process is suspended takes its after clause once resumed (unless a
%% matching message is there by then); erlang:send_after/start_timer
%% messages arrive in the queue meanwhile; cancelling works; nothing is
%% lost and no process stays suspended.
-export([main/0]).

main() ->
    Me = self(),
    %% 1. the after clause fires while suspended: it runs once resumed
    P1 = spawn(fun() -> Me ! {p1, receive go -> go after 300 -> timed_out end} end),
    waiting(P1),
    true = erlang:suspend_process(P1),
    timer:sleep(600),
    show("p1 while suspended", {status(P1), got(p1, 0)}),
    true = erlang:resume_process(P1),
    show("p1 resumed", got(p1, 1000)),
    %% 2. a matching message and an expired timer, both while suspended
    P2 = spawn(fun() -> Me ! {p2, receive go -> go after 300 -> timed_out end} end),
    waiting(P2),
    true = erlang:suspend_process(P2),
    timer:sleep(600),
    P2 ! go,
    true = erlang:resume_process(P2),
    show("p2 resumed", got(p2, 1000)),
    %% 3. a timer that has not expired yet when resumed: it still fires on time
    P3 = spawn(fun() -> Me ! {p3, receive go -> go after 1000 -> timed_out end} end),
    waiting(P3),
    true = erlang:suspend_process(P3),
    true = erlang:resume_process(P3),
    show("p3 before its timeout", got(p3, 0)),
    show("p3 after its timeout", got(p3, 3000)),
    %% 4. BIF timers to a suspended process land in its queue
    P4 = spawn(fun() -> receive start -> ok end, Me ! {p4, [receive M -> M end, receive M2 -> M2 end]} end),
    true = erlang:suspend_process(P4),
    erlang:send_after(20, P4, tick),
    Ref = erlang:start_timer(30, P4, tock),
    Cancelled = erlang:send_after(5000, P4, never),
    timer:sleep(400),
    show("p4 queue while suspended", process_info(P4, message_queue_len)),
    show("p4 cancel a pending timer", is_integer(erlang:cancel_timer(Cancelled))),
    show("p4 read an expired timer", erlang:read_timer(Ref)),
    P4 ! start,
    true = erlang:resume_process(P4),
    [tick, {timeout, Ref, tock}] = got(p4, 1000),
    show("p4 got", [tick, tock]),
    %% 5. killed while suspended with a timer pending: it goes, and so does its timer
    P5 = spawn(fun() -> receive after 300 -> Me ! {p5, late} end end),
    waiting(P5),
    true = erlang:suspend_process(P5),
    MRef = monitor(process, P5),
    exit(P5, kill),
    show("p5 killed", receive {'DOWN', MRef, process, P5, R} -> R after 1000 -> timeout end),
    show("p5 timer message", got(p5, 600)),
    %% 6. nested suspends: the timeout waits for the last resume
    P6 = spawn(fun() -> Me ! {p6, receive go -> go after 300 -> timed_out end} end),
    waiting(P6),
    true = erlang:suspend_process(P6),
    true = erlang:suspend_process(P6),
    timer:sleep(600),
    true = erlang:resume_process(P6),
    show("p6 one resume of two", {status(P6), got(p6, 100)}),
    true = erlang:resume_process(P6),
    show("p6 both resumed", got(p6, 1000)),
    show("suspended left", [P || P <- processes(), status(P) =:= suspended]),
    ok.

show(What, V) -> io:format("~s: ~p~n", [What, V]).

status(P) ->
    case process_info(P, status) of
        {status, S} -> S;
        undefined -> dead
    end.

got(Tag, Wait) ->
    receive {Tag, V} -> V after Wait -> nothing end.

%% (a process that timed out first would be dead: the test then fails, never hangs)
waiting(P) ->
    case status(P) of
        waiting -> ok;
        dead -> error({timed_out_before_suspended, P});
        _ -> timer:sleep(1), waiting(P)
    end.
