%% Opens and closes 10,000 ports in every way a port can end (port_close, end
%% of input, exit status, owner death, exit/2, {Pid, close}), from four
%% processes at once, then checks that the VM holds no more descriptors and
%% has no more child processes (running or unreaped) than before. Under the
%% sanitizers (ERBIUM_SANITIZED set) 2,000: the children's own exec dominates
%% the time there and is not what the sanitizers check.
-module(port_stress).
-export([main/0]).

per_worker() ->
    case os:getenv("ERBIUM_SANITIZED") of
        false -> 2500;
        _ -> 500
    end.

main() ->
    process_flag(trap_exit, true),
    Before = resources(),
    Ports = erlang:ports(),
    Self = self(),
    Workers = [spawn_link(fun() -> process_flag(trap_exit, true), worker(N, per_worker()), Self ! {done, self()} end)
               || N <- lists:seq(0, 3)],
    [receive {done, W} -> ok end || W <- Workers],
    flush(),
    io:format("every port opened and ended~n"),
    io:format("ports left: ~p~n", [length(erlang:ports() -- Ports)]),
    io:format("no fd or child leak: ~p~n", [settle(Before, 100)]).

%% Each of the six endings in turn.
worker(_, 0) -> ok;
worker(N, K) ->
    ending((N + K) rem 6),
    worker(N, K - 1).

ending(0) ->
    P = open_port({spawn, "cat"}, []),
    port_command(P, "x"),
    receive {P, {data, "x"}} -> ok end,
    port_close(P);
ending(1) ->
    P = open_port({spawn, "true"}, []),
    receive {'EXIT', P, normal} -> ok end;
ending(2) ->
    P = open_port({spawn_executable, "/bin/sh"}, [{args, ["-c", "exit 5"]}, exit_status]),
    receive {P, {exit_status, 5}} -> ok end,
    receive {'EXIT', P, normal} -> ok end;
ending(3) ->
    Self = self(),
    {Pid, Ref} = spawn_monitor(fun() -> Self ! {port, open_port({spawn, "cat"}, [])}, exit(die) end),
    receive {port, _} -> ok end,
    receive {'DOWN', Ref, process, Pid, die} -> ok end;
ending(4) ->
    P = open_port({spawn, "cat"}, [binary, {packet, 2}]),
    exit(P, kill),
    receive {'EXIT', P, killed} -> ok end;
ending(5) ->
    P = open_port({spawn, "cat"}, [{line, 10}]),
    P ! {self(), close},
    receive {P, closed} -> ok end.

flush() ->
    receive _ -> flush() after 0 -> ok end.

%% Children finish on their own after their pipes close: wait for the counts to come back.
settle(Before, 0) -> {Before, resources()};
settle(Before, N) ->
    case resources() of
        Before -> true;
        _ -> timer:sleep(100), settle(Before, N - 1)
    end.

%% The VM's open descriptors and child processes, counted by a child shell
%% (whose own pipes and process count the same every time).
resources() ->
    P = open_port({spawn, "echo $(ls /proc/$PPID/fd | wc -l) $(ps -o pid= --ppid $PPID | wc -l)"}, []),
    receive {P, {data, D}} -> receive {'EXIT', P, normal} -> ok end, string:trim(D) end.
