-module(proc_info).
-export([main/0]).

%% process_info/2 on the caller and on other processes.
main() ->
    Self = self(),
    P = spawn(fun() -> receive go -> ok end, receive stop -> ok end end),
    P ! hello, P ! world,
    wait_queue(P, 2),
    io:format("queue: ~p~n", [process_info(P, message_queue_len)]),
    io:format("messages: ~p~n", [process_info(P, messages)]),
    io:format("status: ~p~n", [wait_status(P, waiting, 5000)]),
    io:format("unnamed: ~p~n", [process_info(P, registered_name)]),
    register(info_target, P),
    io:format("named: ~p~n", [process_info(P, registered_name)]),
    io:format("list: ~p~n", [process_info(P, [registered_name, message_queue_len, trap_exit])]),
    L = spawn_link(fun() -> receive stop -> ok end end),
    {links, Mine} = process_info(self(), links),
    io:format("my links: ~p~n", [lists:member(L, Mine)]),
    io:format("their links: ~p~n", [process_info(L, links) =:= {links, [Self]}]),
    put(k, v),
    io:format("my dict: ~p~n", [process_info(self(), dictionary)]),
    io:format("priority: ~p~n", [process_info(P, priority)]),
    io:format("bad item: ~p~n", [element(1, element(2, catch process_info(P, no_such_item)))]),
    P ! go, P ! stop,
    L ! stop,
    wait_dead(P),
    io:format("dead: ~p~n", [process_info(P, status)]),
    %% two processes inspecting each other at the same time
    Pair = [spawn(fun() -> inspect_loop(Self) end) || _ <- [1, 2]],
    [Q ! {peer, R} || {Q, R} <- lists:zip(Pair, lists:reverse(Pair))],
    io:format("inspections: ~p~n", [[receive {inspected, Q, N} -> N end || Q <- Pair]]).

inspect_loop(Main) ->
    receive {peer, Peer} -> ok end,
    N = length([ok || _ <- lists:seq(1, 2000), is_tuple(process_info(Peer, message_queue_len))]),
    Main ! {inspected, self(), N},
    receive after 100 -> ok end.

wait_queue(P, N) ->
    case process_info(P, message_queue_len) of
        {message_queue_len, N} -> ok;
        _ -> receive after 1 -> wait_queue(P, N) end
    end.

%% P looks at its messages and waits again; on a loaded machine that may
%% take a while, so poll (for at most Ms milliseconds) instead of sleeping.
wait_status(P, Want, Ms) ->
    case process_info(P, status) of
        {status, Want} = S -> S;
        S when Ms =< 0 -> S;
        _ -> receive after 1 -> wait_status(P, Want, Ms - 1) end
    end.

wait_dead(P) ->
    case is_process_alive(P) of
        true -> receive after 1 -> wait_dead(P) end;
        false -> ok
    end.
