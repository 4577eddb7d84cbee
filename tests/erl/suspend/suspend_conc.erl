%% Suspending and resuming under load: workers count messages and bump an
%% atomics array while suspenders on every scheduler suspend and resume
%% them at random (sometimes several at once, sometimes one another) and
%% exit while still holding suspends. Nothing may be lost or hang: every
%% message is counted once, and at the end nobody is suspended.
-module(suspend_conc).
-export([main/0]).

-define(WORKERS, 6).
-define(SUSPENDERS, 4).
-define(ROUNDS, 400).
-define(MSGS, 2000).

show(Label, V) -> io:format("~s: ~p~n", [Label, V]).

worker(A, I, N) ->
    receive
        {get, From} -> From ! {count, self(), N}, worker(A, I, N);
        stop -> ok;
        _ ->
            atomics:add(A, I, 1),
            worker(A, I, N + 1)
    end.

suspender(Parent, Workers, Seed) ->
    rand:seed(exsss, {Seed, Seed * 7, Seed * 13}),
    [one_round(Workers) || _ <- lists:seq(1, ?ROUNDS)],
    Parent ! {done, self()}.

one_round(Workers) ->
    W = lists:nth(rand:uniform(length(Workers)), Workers),
    Opts = lists:nth(rand:uniform(4), [[], [asynchronous], [unless_suspending], [asynchronous, unless_suspending]]),
    Times = rand:uniform(3),
    Done = [erlang:suspend_process(W, Opts) || _ <- lists:seq(1, Times)],
    %% a synchronous suspend has taken effect when it returns (an asynchronous one may lag on OTP)
    [{status, suspended} = process_info(W, status) || lists:member(true, Done), not lists:member(asynchronous, Opts)],
    [true = erlang:resume_process(W) || true <- Done],
    ok.

%% A suspender that exits while holding suspends: its target must run again.
quitter(Parent, W) ->
    spawn(fun() ->
                  true = erlang:suspend_process(W),
                  true = erlang:suspend_process(W, [asynchronous]),
                  Parent ! {done, self()}
          end).

%% Two processes suspending each other at the same time must not deadlock.
mutual() ->
    Self = self(),
    Go = make_ref(),
    [A, B] = [spawn(fun() -> receive {Go, Other} -> ok end,
                             R = (catch erlang:suspend_process(Other)),
                             Self ! {mutual, self(), R},
                             receive stop -> ok end
                    end) || _ <- [1, 2]],
    A ! {Go, B},
    B ! {Go, A},
    %% at least one of them suspends the other; any that did gets its answer out
    First = receive {mutual, _, R1} -> R1 after 2000 -> timeout end,
    show("mutual suspend", First),
    exit(A, kill),
    exit(B, kill).

main() ->
    A = atomics:new(?WORKERS, []),
    Workers = [spawn(fun() -> worker(A, I, 0) end) || I <- lists:seq(1, ?WORKERS)],
    Self = self(),
    Suspenders = [spawn(fun() -> suspender(Self, Workers, S) end) || S <- lists:seq(1, ?SUSPENDERS)],
    Quitters = [quitter(Self, W) || W <- Workers],
    Senders = [spawn(fun() ->
                             [W ! {msg, K} || K <- lists:seq(1, ?MSGS)],
                             Self ! {done, self()}
                     end) || W <- Workers],
    [receive {done, P} -> ok end || P <- Suspenders ++ Quitters ++ Senders],
    Counts = [begin
                  W ! {get, self()},
                  receive {count, W, N} -> N after 5000 -> {timeout, process_info(W, [status, message_queue_len])} end
              end || W <- Workers],
    show("counts", Counts),
    show("atomics", [atomics:get(A, I) || I <- lists:seq(1, ?WORKERS)]),
    show("statuses", lists:usort([element(2, process_info(W, status)) || W <- Workers])),
    show("nobody suspended", [process_info(P, suspending) || P <- Suspenders, is_process_alive(P)]),
    [W ! stop || W <- Workers],
    mutual(),
    ok.
