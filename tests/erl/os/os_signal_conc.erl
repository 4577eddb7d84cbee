-module(os_signal_conc).
-export([main/0]).
-export([init/1, handle_event/2, handle_call/2, handle_info/2, terminate/2]).

%% OS signals as erl takes them: a signal set to `handle` (os:set_signal/2)
%% reaches kernel's erl_signal_server as a gen_event event, which a program's
%% own handler sees; `ignore` drops it; a child's exit (os:cmd's shell) is no
%% sigchld event, as on OTP, whose port programs are not the VM's children.
%% os:set_signal/2's errors. Last, SIGTERM, handled from the start: OTP's
%% erl_signal_handler logs it and stops the system with init:stop/0, so
%% nothing after it runs (the logger prints the message alone here, without
%% its timestamp).

main() ->
    ok = logger:set_handler_config(default, formatter, {logger_formatter, #{template => [msg, "\n"]}}),
    ok = gen_event:add_handler(erl_signal_server, ?MODULE, self()),
    Pid = os:getpid(),
    [begin
         R = os:set_signal(S, handle),
         kill(K, Pid),
         io:format("~p ~p -> ~p~n", [S, R, event(2000)])
     end || {S, K} <- [{sighup, "HUP"}, {sigusr2, "USR2"}, {sigalrm, "ALRM"}, {sigchld, "CHLD"}, {sigtstp, "TSTP"}]],
    _ = os:cmd("true"),
    io:format("a child's exit: ~p~n", [event(300)]),
    io:format("errors: ~p~n", [[error_of(S, O) || {S, O} <- [{sigint, handle}, {sigkill, default}, {sigquit, foo},
                                                             {sigint, foo}, {1, handle}, {sigterm, "handle"}]]]),
    io:format("accepted: ~p~n", [[os:set_signal(S, O) || {S, O} <- [{sigusr2, ignore}, {sigstop, handle}, {sigtstp, default}]]]),
    kill("USR2", Pid),
    io:format("ignored: ~p~n", [event(500)]),
    io:format("sigterm next~n"),
    kill("TERM", Pid),
    receive after 5000 -> io:format("still running after sigterm~n") end.

kill(Sig, Pid) -> _ = os:cmd("kill -" ++ Sig ++ " " ++ Pid), ok.

event(Timeout) -> receive {signal_event, E} -> E after Timeout -> none end.

error_of(S, O) ->
    try os:set_signal(S, O) catch error:R:St -> {R, [I || {os, set_signal, _, I} <- St]} end.

init(Parent) -> {ok, Parent}.
handle_event(Event, Parent) -> Parent ! {signal_event, Event}, {ok, Parent}.
handle_call(_, Parent) -> {ok, ok, Parent}.
handle_info(_, Parent) -> {ok, Parent}.
terminate(_, _) -> ok.
