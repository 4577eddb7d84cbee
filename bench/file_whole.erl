-module(file_whole).
-export([main/0]).

%% Writes a 100 MB binary with file:write_file/3 (raw) and reads it back
%% whole with prim_file:read_file/1, what file:read_file/1's server calls.
%% Best of three.

-define(SIZE, (100 * 1024 * 1024)).
-define(RUNS, 3).

main() ->
    Name = "/tmp/erb_bench_whole_" ++ os:getpid(),
    Data = binary:copy(<<"0123456789abcdef">>, ?SIZE div 16),
    {Best, Bytes} = bench_time:best(?RUNS, fun() ->
                                                  ok = file:write_file(Name, Data, [raw]),
                                                  {ok, Back} = prim_file:read_file(Name),
                                                  byte_size(Back)
                                          end),
    ok = file:delete(Name, [raw]),
    io:format("CHECK read back ~b bytes~n", [Bytes]),
    io:format("RESULT file_whole ~b~n", [Best]).
