-module(otp_supervisor).
-behaviour(supervisor).
-export([main/0, init/1, start_worker/1, worker/1]).

%% Supervisors on OTP's own code: static and dynamic children, terminate,
%% restart and delete, simple_one_for_one, children that stop without a
%% report (normal and {shutdown, _}), and shutting the tree down. Restarts
%% after a crash log through logger, which needs ETS: not covered here.
init({Strategy, Children}) -> {ok, {#{strategy => Strategy, intensity => 3, period => 5}, Children}}.

start_worker(Name) -> {ok, spawn_link(?MODULE, worker, [Name])}.

worker(Name) ->
    receive
        {stop, Reason} -> exit(Reason);
        {ping, From} -> From ! {pong, Name}, worker(Name)
    end.

child(Id, Restart) -> #{id => Id, start => {?MODULE, start_worker, [Id]}, restart => Restart}.

ids(S) -> lists:sort([Id || {Id, _, _, _} <- supervisor:which_children(S)]).

pid_of(S, Id) -> hd([P || {I, P, _, _} <- supervisor:which_children(S), I =:= Id]).

ping(P) -> P ! {ping, self()}, receive {pong, N} -> N after 1000 -> timeout end.

main() ->
    process_flag(trap_exit, true),
    {ok, S} = supervisor:start_link(?MODULE, {one_for_one, [child(a, permanent), child(b, transient),
                                                            child(c, temporary)]}),
    io:format("children ~p~n", [ids(S)]),
    io:format("count ~p~n", [supervisor:count_children(S)]),
    io:format("ping ~p~n", [ping(pid_of(S, b))]),
    pid_of(S, b) ! {stop, normal},
    pid_of(S, c) ! {stop, {shutdown, done}},
    receive after 50 -> ok end,
    io:format("after stops ~p~n", [[{I, is_pid(P)} || {I, P, _, _} <- lists:sort(supervisor:which_children(S))]]),
    io:format("restart b ~p~n", [element(1, supervisor:restart_child(S, b))]),
    io:format("terminate a ~p~n", [supervisor:terminate_child(S, a)]),
    io:format("terminated ~p~n", [pid_of(S, a)]),
    io:format("restart a ~p~n", [element(1, supervisor:restart_child(S, a))]),
    io:format("ping a ~p~n", [ping(pid_of(S, a))]),
    ok = supervisor:terminate_child(S, b),
    io:format("delete b ~p~n", [supervisor:delete_child(S, b)]),
    io:format("start d ~p~n", [element(1, supervisor:start_child(S, child(d, permanent)))]),
    io:format("dup d ~p~n", [element(1, element(2, supervisor:start_child(S, child(d, permanent))))]),
    io:format("children ~p~n", [ids(S)]),
    io:format("spec ~p~n", [supervisor:get_childspec(S, d)]),
    io:format("check ~p~n", [supervisor:check_childspecs([child(x, permanent)])]),
    unlink(S),
    M = monitor(process, S),
    exit(S, shutdown),
    receive {'DOWN', M, process, S, R} -> io:format("down ~p~n", [R]) end,
    {ok, Sofo} = supervisor:start_link(?MODULE, {simple_one_for_one, [child(w, temporary)]}),
    Ws = [element(2, supervisor:start_child(Sofo, [])) || _ <- lists:seq(1, 5)],
    io:format("sofo count ~p~n", [supervisor:count_children(Sofo)]),
    [W ! {stop, normal} || W <- lists:sublist(Ws, 2)],
    receive after 50 -> ok end,
    io:format("sofo left ~p~n", [length(supervisor:which_children(Sofo))]),
    io:format("sofo terminate ~p~n", [supervisor:terminate_child(Sofo, lists:last(Ws))]),
    io:format("sofo left ~p~n", [length(supervisor:which_children(Sofo))]),
    unlink(Sofo),
    exit(Sofo, shutdown),
    ok.
