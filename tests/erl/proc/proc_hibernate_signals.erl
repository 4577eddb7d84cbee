-module(proc_hibernate_signals).
%% Only a message ends hibernation: a monitor, a link or suspend+resume
%% leave a hibernating process in erlang:hibernate/3 (they woke it).
-export([main/0, woke/1]).
woke(X) -> receive M -> io:format("woke with ~p ~p~n", [X, M]) end.
main() ->
    P = spawn(fun() -> erlang:hibernate(lists, reverse, [[]]) end), timer:sleep(30),
    monitor(process, P), timer:sleep(30), io:format("~p~n", [process_info(P, current_function)]),
    link(P), timer:sleep(30), io:format("~p~n", [process_info(P, current_function)]),
    erlang:suspend_process(P), erlang:resume_process(P), timer:sleep(30),
    io:format("~p~n", [process_info(P, current_function)]),
    Q = spawn(fun() -> erlang:hibernate(?MODULE, woke, [x]) end), timer:sleep(30),
    monitor(process, Q), timer:sleep(20),
    io:format("~p~n", [process_info(Q, current_function)]),
    Q ! hello, timer:sleep(30),
    io:format("~p~n", [process_info(Q, current_function)]),
    unlink(P), exit(P, kill).
