%% erlang:suspend_process/1,2 and resume_process/1: suspend counts per
%% suspender, the options, status and suspending in process_info, messages
%% queued while suspended, exit signals to a suspended process, the
%% suspender's exit undoing its suspends, and the errors.
-module(suspend_basic).
-export([main/0]).

t(F) ->
    try F() catch
        C:R:St -> {C, R, info(St)}
    end.

info([{_, _, _, Loc} | _]) -> proplists:get_value(error_info, Loc).

show(Label, V) -> io:format("~s: ~p~n", [Label, V]).

%% A process that counts the messages it receives.
counter() ->
    spawn(fun() -> count(0) end).

count(N) ->
    receive
        {get, From} -> From ! {count, N}, count(N);
        _ -> count(N + 1)
    end.

get_count(P) ->
    P ! {get, self()},
    receive {count, N} -> N after 1000 -> timeout end.

%% Waits until P has handled what it was sent (it waits in receive with an empty queue).
settle(P) ->
    case process_info(P, [status, message_queue_len]) of
        [{status, waiting}, {message_queue_len, 0}] -> ok;
        _ -> timer:sleep(1), settle(P)
    end.

suspending(P) ->
    {suspending, L} = process_info(self(), suspending),
    [{N, M} || {Q, N, M} <- L, Q =:= P].

errors(P, Dead) ->
    show("self", t(fun() -> erlang:suspend_process(self()) end)),
    show("self async", t(fun() -> erlang:suspend_process(self(), [asynchronous]) end)),
    show("atom", t(fun() -> erlang:suspend_process(a) end)),
    show("dead", t(fun() -> erlang:suspend_process(Dead) end)),
    show("dead unless_suspending", t(fun() -> erlang:suspend_process(Dead, [unless_suspending]) end)),
    show("dead async", t(fun() -> erlang:suspend_process(Dead, [asynchronous]) end)),
    show("bad option", t(fun() -> erlang:suspend_process(P, [bad]) end)),
    show("improper options", t(fun() -> erlang:suspend_process(P, [asynchronous | x]) end)),
    show("options not a list", t(fun() -> erlang:suspend_process(P, asynchronous) end)),
    show("resume not suspending", t(fun() -> erlang:resume_process(P) end)),
    show("resume dead", t(fun() -> erlang:resume_process(Dead) end)),
    show("resume self", t(fun() -> erlang:resume_process(self()) end)),
    show("resume atom", t(fun() -> erlang:resume_process(a) end)).

counts(P) ->
    show("status before", process_info(P, status)),
    show("suspend", erlang:suspend_process(P)),
    show("status", process_info(P, status)),
    show("unless_suspending", erlang:suspend_process(P, [unless_suspending])),
    show("again", erlang:suspend_process(P, [])),
    show("async", erlang:suspend_process(P, [asynchronous])),
    show("async unless_suspending", erlang:suspend_process(P, [asynchronous, unless_suspending])),
    show("suspending", suspending(P)),
    show("target suspends nobody", process_info(P, suspending)),
    [P ! {msg, I} || I <- lists:seq(1, 5)],
    show("queued while suspended", process_info(P, message_queue_len)),
    show("resume 1", erlang:resume_process(P)),
    show("resume 2", erlang:resume_process(P)),
    show("still suspended", {process_info(P, status), suspending(P)}),
    timer:sleep(20),
    show("did not run", process_info(P, message_queue_len)),
    show("resume 3", erlang:resume_process(P)),
    settle(P),
    show("ran", get_count(P)),
    show("suspending after", suspending(P)),
    show("resume once more", t(fun() -> erlang:resume_process(P) end)).

exit_while_suspended() ->
    P = counter(),
    true = erlang:suspend_process(P),
    Ref = monitor(process, P),
    exit(P, kill),
    show("killed while suspended", receive {'DOWN', Ref, process, P, R} -> R after 1000 -> timeout end),
    show("suspending after death", suspending(P)),
    show("resume after death", t(fun() -> erlang:resume_process(P) end)),
    Q = counter(),
    true = erlang:suspend_process(Q),
    Ref2 = monitor(process, Q),
    exit(Q, normal),
    Q ! hello,
    timer:sleep(10),
    show("exit normal ignored", {is_process_alive(Q), process_info(Q, [status, message_queue_len])}),
    true = erlang:resume_process(Q),
    settle(Q),
    show("then runs", get_count(Q)),
    exit(Q, kill),
    receive {'DOWN', Ref2, process, Q, _} -> ok end.

suspender_exits() ->
    P = counter(),
    Self = self(),
    S = spawn(fun() ->
                      true = erlang:suspend_process(P),
                      true = erlang:suspend_process(P),
                      Self ! suspended,
                      receive stop -> ok end
              end),
    receive suspended -> ok end,
    true = erlang:suspend_process(P),
    P ! one,
    timer:sleep(10),
    show("suspended by two", {process_info(P, status), process_info(S, suspending) =/= {suspending, []}}),
    S ! stop,
    timer:sleep(20),
    show("one suspender left", {process_info(P, status), process_info(P, message_queue_len)}),
    true = erlang:resume_process(P),
    settle(P),
    show("runs after both", get_count(P)),
    exit(P, kill).

main() ->
    P = counter(),
    Dead = spawn(fun() -> ok end),
    timer:sleep(10),
    errors(P, Dead),
    counts(P),
    exit_while_suspended(),
    suspender_exits(),
    ok.
