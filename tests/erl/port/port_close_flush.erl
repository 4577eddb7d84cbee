-module(port_close_flush).
-export([main/0]).

%% A port closed with output still queued writes all of it first, as OTP's spawn
%% driver flushes: the bytes reach the child, the port takes no more commands, and
%% its owner gets {Port, closed} and the exit signal.

-define(CHUNK, 65536).
-define(CHUNKS, 32).

main() ->
    process_flag(trap_exit, true),
    Dir = "/tmp/erb_port_close_flush_" ++ os:getpid(),
    ok = file:make_dir(Dir),
    by_bif(filename:join(Dir, "a")),
    by_message(filename:join(Dir, "b")),
    empty_queue(filename:join(Dir, "c")),
    [file:delete(filename:join(Dir, F)) || F <- ["a", "b", "c"]],
    ok = file:del_dir(Dir).

open(File) ->
    %% the child reads only after a while, so output waits in the port's queue
    open_port({spawn, "sh -c 'sleep 0.3; exec cat > " ++ File ++ "'"}, [binary, out]).

fill(Port) ->
    Chunk = binary:copy(<<"0123456789abcdef">>, ?CHUNK div 16),
    [true = port_command(Port, Chunk) || _ <- lists:seq(1, ?CHUNKS)],
    ok.

by_bif(File) ->
    Port = open(File),
    fill(Port),
    true = port_close(Port),
    io:format("port_close: ~p~n", [gone(Port)]),
    io:format("exit: ~p~n", [exit_of(Port)]),
    io:format("bytes written: ~p~n", [size_when_done(File, ?CHUNK * ?CHUNKS)]).

by_message(File) ->
    Port = open(File),
    fill(Port),
    Port ! {self(), close},
    Closed = receive {Port, closed} -> closed after 10000 -> timeout end,
    io:format("close message: ~p ~p~n", [Closed, gone(Port)]),
    io:format("exit: ~p~n", [exit_of(Port)]),
    io:format("bytes written: ~p~n", [size_when_done(File, ?CHUNK * ?CHUNKS)]).

empty_queue(File) ->
    Port = open(File),
    true = port_command(Port, <<"short">>),
    true = port_close(Port),
    io:format("short: ~p ~p~n", [gone(Port), exit_of(Port)]),
    io:format("bytes written: ~p~n", [size_when_done(File, 5)]).

%% (whether port_info/1 and erlang:ports() still show a flushing port depends on
%% timing on OTP: not printed)
gone(Port) ->
    try port_command(Port, <<"more">>) catch error:Reason -> Reason end.

exit_of(Port) ->
    receive {'EXIT', Port, Reason} -> Reason after 10000 -> no_exit end.

%% cat may still be writing what it read: wait until the file has it all, or 10 s
size_when_done(File, Want) -> size_when_done(File, Want, 200).
size_when_done(File, Want, 0) -> filelib:file_size(File) =:= Want;
size_when_done(File, Want, N) ->
    case filelib:file_size(File) of
        Want -> true;
        _ -> timer:sleep(50), size_when_done(File, Want, N - 1)
    end.
