-module(idle_procs).
-export([main/0]).

%% Resident memory of idle processes: the growth of the VM's resident set
%% (VmRSS in /proc/self/status) when 200,000 processes are spawned and wait
%% in receive, in bytes per process. No process keeps their pids (a list of
%% them would be counted too); they are found with erlang:processes/0 and
%% killed after the measurement. Prints `RESULT idle_procs <bytes> B`.

-define(N, 200000).

main() ->
    Old = lists:sort(erlang:processes()),
    erlang:garbage_collect(),
    Before = rss_kb(),
    Spawner = spawn(fun() -> spawn_idle(?N) end),
    wait_down(Spawner),
    wait_idle(),
    After = rss_kb(),
    New = ordsets:subtract(lists:sort(erlang:processes()), Old),
    Waiting = length([P || P <- New, process_info(P, status) =:= {status, waiting}]),
    [exit(P, kill) || P <- New],
    io:format("CHECK idle_procs ~b waiting~n", [Waiting]),
    io:format("RESULT idle_procs ~b B~n", [(After - Before) * 1024 div ?N]).

spawn_idle(0) -> ok;
spawn_idle(N) ->
    spawn(fun idle/0),
    spawn_idle(N - 1).

idle() ->
    receive stop -> ok end.

wait_down(Pid) ->
    Ref = monitor(process, Pid),
    receive {'DOWN', Ref, process, Pid, _} -> ok end.

%% Until every new process has run up to its receive.
wait_idle() ->
    case erlang:statistics(total_run_queue_lengths_all) of
        0 -> timer:sleep(200);
        _ -> timer:sleep(50), wait_idle()
    end.

rss_kb() ->
    {ok, Status} = file:read_file("/proc/self/status"),
    [Line] = [L || L <- binary:split(Status, <<"\n">>, [global]), binary:part(L, 0, min(6, byte_size(L))) =:= <<"VmRSS:">>],
    [_, Kb, <<"kB">>] = binary:split(Line, [<<" ">>, <<"\t">>], [global, trim_all]),
    binary_to_integer(Kb).
