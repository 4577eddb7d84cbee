-module(proc_msg_heap).
-export([main/0]).

%% Messages a process sends to itself stay on its own heap while queued,
%% and small messages from others are moved onto the receiver's heap when
%% they arrive: they must survive garbage collections (and heap growth)
%% intact, keep their order, and mix correctly with each other.

main() ->
    %% many queued self-messages holding heap data, then lots of garbage
    [self() ! {item, I, lists:seq(1, I rem 50), integer_to_binary(I * 7919)} || I <- lists:seq(1, 2000)],
    Garbage = length(churn(200000, [])),
    io:format("garbage made: ~p~n", [Garbage]),
    io:format("all intact: ~p~n", [check_items(1, 2000)]),
    %% a large binary shared by queued messages and the sender
    Big = binary:copy(<<"abc">>, 10000),
    [self() ! {big, N, Big} || N <- lists:seq(1, 10)],
    _ = churn(50000, []),
    Same = [receive {big, N, B} -> B =:= Big end || N <- lists:seq(1, 10)],
    io:format("big intact: ~p, size ~p~n", [Same, byte_size(Big)]),
    %% selective receive picks a late message, leaving earlier ones queued
    self() ! {a, [1, 2]}, self() ! {b, "two"}, self() ! {c, <<"three">>},
    receive {c, C} -> io:format("first taken: ~p~n", [C]) end,
    _ = churn(20000, []),
    io:format("left: ~p~n", [flush()]),
    %% self-messages and messages from another process, each in its sender's order
    Self = self(),
    {P, Ref} = spawn_monitor(fun() -> [Self ! {other, I} || I <- lists:seq(1, 500)] end),
    [self() ! {mine, I} || I <- lists:seq(1, 500)],
    receive {'DOWN', Ref, process, P, normal} -> ok end,
    {Other, Mine} = lists:partition(fun({T, _}) -> T =:= other end, flush()),
    io:format("other in order: ~p, mine in order: ~p~n",
              [[I || {_, I} <- Other] =:= lists:seq(1, 500), [I || {_, I} <- Mine] =:= lists:seq(1, 500)]),
    %% small messages from another process, queued while the receiver collects
    Sender = spawn(fun() -> receive go -> ok end,
                            [Self ! {small, I, lists:seq(1, I), <<I:32>>} || I <- lists:seq(1, 12)],
                            Self ! last end),
    Sender ! go,
    receive last -> ok end,
    _ = churn(100000, []),
    io:format("small intact: ~p~n", [[receive {small, I, L, B} -> {L, B} =:= {lists:seq(1, I), <<I:32>>} end
                                      || I <- lists:seq(1, 12)]]),
    %% process_info sees queued self-messages
    self() ! {info, [x, y]},
    {messages, Ms} = process_info(self(), messages),
    io:format("queued: ~p~n", [Ms]),
    flush(),
    %% a long self-send loop (the ring benchmark's last process)
    io:format("countdown: ~p~n", [countdown(100000)]).

churn(0, Acc) -> Acc;
churn(N, _Acc) when N rem 1000 =:= 0 -> churn(N - 1, [N]);
churn(N, Acc) -> churn(N - 1, [{N, N} | Acc]).

check_items(N, Max) when N > Max -> true;
check_items(N, Max) ->
    receive
        {item, N, L, B} ->
            L =:= lists:seq(1, N rem 50) andalso B =:= integer_to_binary(N * 7919) andalso check_items(N + 1, Max);
        Other ->
            {wrong, N, Other}
    end.

flush() -> receive X -> [X | flush()] after 0 -> [] end.

countdown(N) ->
    self() ! {token, N},
    countdown().

countdown() ->
    receive
        {token, 0} -> done;
        {token, K} -> self() ! {token, K - 1}, countdown()
    end.
