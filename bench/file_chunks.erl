-module(file_chunks).
-export([main/0]).

%% Writes a 100 MB file in 64 KB chunks through file:write/2 on a raw file,
%% then reads it back in 64 KB chunks with file:read/2. Best of three.

-define(SIZE, (100 * 1024 * 1024)).
-define(CHUNK, (64 * 1024)).
-define(RUNS, 3).

main() ->
    Name = "/tmp/erb_bench_chunks_" ++ os:getpid(),
    Chunk = binary:copy(<<"0123456789abcdef">>, ?CHUNK div 16),
    {Best, Bytes} = bench_time:best(?RUNS, fun() ->
                                                  ok = write(Name, Chunk),
                                                  read(Name)
                                          end),
    ok = file:delete(Name, [raw]),
    io:format("CHECK read back ~b bytes~n", [Bytes]),
    io:format("RESULT file_chunks ~b~n", [Best]).

write(Name, Chunk) ->
    {ok, Fd} = file:open(Name, [write, raw, binary]),
    ok = write_loop(Fd, Chunk, ?SIZE div ?CHUNK),
    file:close(Fd).

write_loop(_Fd, _Chunk, 0) -> ok;
write_loop(Fd, Chunk, N) ->
    ok = file:write(Fd, Chunk),
    write_loop(Fd, Chunk, N - 1).

read(Name) ->
    {ok, Fd} = file:open(Name, [read, raw, binary]),
    Bytes = read_loop(Fd, 0),
    ok = file:close(Fd),
    Bytes.

read_loop(Fd, Acc) ->
    case file:read(Fd, ?CHUNK) of
        {ok, Data} -> read_loop(Fd, Acc + byte_size(Data));
        eof -> Acc
    end.
