%% Files under load: 10,000 opens and closes, processes that die holding
%% open files, and many processes reading and writing at once. The count
%% of open descriptors (/proc/self/fd) must come back to where it started:
%% no descriptor leaks.
-module(file_stress).
-export([main/0]).

main() ->
    Dir = "/tmp/erb_file_stress_" ++ os:getpid(),
    ok = prim_file:make_dir(Dir),
    try run(Dir) after cleanup(Dir) end.

run(Dir) ->
    F = Dir ++ "/f",
    ok = prim_file:write_file(F, <<"0123456789">>),
    Base = fds(),
    open_close(F, 10000),
    io:format("open/close 10000: ~p~n", [settle(Base)]),
    dying_owners(F, 100, 20),
    io:format("owners exit with files open: ~p~n", [settle(Base)]),
    parallel_io(Dir, 50, 200),
    io:format("parallel io: ~p~n", [settle(Base)]),
    io:format("errors: ~p~n", [error_loop(Dir, 2000)]).

open_close(_F, 0) -> ok;
open_close(F, N) ->
    {ok, Fd} = prim_file:open(F, [read, binary]),
    {ok, <<"0123">>} = prim_file:read(Fd, 4),
    ok = prim_file:close(Fd),
    open_close(F, N - 1).

%% Procs processes each open Files files and exit without closing them.
dying_owners(F, Procs, Files) ->
    Pids = [spawn_monitor(fun() ->
                                  [{ok, _} = prim_file:open(F, [read]) || _ <- lists:seq(1, Files)],
                                  exit(done)
                          end) || _ <- lists:seq(1, Procs)],
    [receive {'DOWN', R, process, P, done} -> ok end || {P, R} <- Pids],
    ok.

%% Procs processes each write and read back their own file Rounds times.
parallel_io(Dir, Procs, Rounds) ->
    Self = self(),
    [spawn(fun() ->
                   Name = Dir ++ "/p" ++ integer_to_list(I),
                   ok = io_rounds(Name, I, Rounds),
                   ok = prim_file:delete(Name),
                   Self ! {done, I}
           end) || I <- lists:seq(1, Procs)],
    [receive {done, I} -> ok end || I <- lists:seq(1, Procs)],
    ok.

io_rounds(_Name, _I, 0) -> ok;
io_rounds(Name, I, N) ->
    Data = binary:copy(<<I, N:16>>, 100 + N),
    {ok, W} = prim_file:open(Name, [write, binary]),
    ok = prim_file:write(W, [Data, <<"tail">>]),
    ok = prim_file:close(W),
    {ok, R} = prim_file:open(Name, [read, binary, {read_ahead, 64}]),
    {ok, Data} = prim_file:read(R, byte_size(Data)),
    {ok, <<"tail">>} = prim_file:read_line(R),
    ok = prim_file:close(R),
    io_rounds(Name, I, N - 1).

error_loop(Dir, N) ->
    Errs = [prim_file:open(Dir ++ "/missing", [read]) || _ <- lists:seq(1, N)],
    lists:usort(Errs).

%% Descriptors are closed when the exit of their owner has been handled,
%% which may be just after its 'DOWN' arrives: wait a little for it. Fewer
%% descriptors than at the start is no leak: one the VM held for a moment
%% then (reading a module, starting a port) may be closed since.
settle(Base) -> settle(Base, 100).
settle(Base, 0) -> {leaked, fds() - Base};
settle(Base, N) ->
    case fds() of
        Now when Now =< Base -> no_leak;
        _ -> receive after 10 -> settle(Base, N - 1) end
    end.

fds() ->
    {ok, L} = prim_file:list_dir("/proc/self/fd"),
    length(L).

cleanup(Dir) ->
    {ok, Names} = prim_file:list_dir_all(Dir),
    [prim_file:delete(Dir ++ "/" ++ N) || N <- Names],
    prim_file:del_dir(Dir).
