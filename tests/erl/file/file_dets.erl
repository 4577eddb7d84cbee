%% dets, disk_log and mnesia on files: what they read with pread and ipread_s32bu_p32bu
%% (zero-size reads, empty index records, records larger than the limit, infinity),
%% lookups and members of absent keys, a table reopened from its file, select, qlc, folds,
%% bags, and a log read back in chunks.
-module(file_dets).
-include_lib("stdlib/include/qlc.hrl").
-export([main/0]).

main() ->
    Dir = "/tmp/file_dets_" ++ os:getpid(),
    os:cmd("rm -rf " ++ Dir), ok = file:make_dir(Dir),
    try run(Dir) after os:cmd("rm -rf " ++ Dir) end.

run(Dir) ->
    P = filename:join(Dir, "p.bin"), ok = file:write_file(P, <<"0123456789">>),
    {ok, R} = file:open(P, [read, raw, binary]),
    io:format("raw pread: ~p~n", [[file:pread(R, [{0, 3}, {8, 5}, {10, 2}, {20, 1}, {2, 0}]),
                                   file:pread(R, 9, 0), file:pread(R, 20, 0), file:read(R, 0)]]),
    file:close(R),
    {ok, S} = file:open(P, [read, binary]),
    io:format("server pread: ~p~n", [[file:pread(S, [{0, 3}, {2, 0}]), file:pread(S, 20, 0), file:read(S, 0)]]),
    file:close(S),
    F = filename:join(Dir, "t.dets"),
    {ok, T} = dets:open_file(tab, [{file, F}, {type, set}]),
    io:format("empty: ~p~n", [[dets:member(T, 1), dets:lookup(T, 1), dets:info(T, size)]]),
    ok = dets:insert(T, [{K, K * 2} || K <- lists:seq(1, 10)]),
    io:format("small: ~p~n", [[dets:member(T, 7), dets:lookup(T, 2000), dets:member(T, 2000), dets:lookup(T, 3)]]),
    ok = dets:insert(T, [{K, K * 2} || K <- lists:seq(1, 3000)]),
    io:format("big: ~p~n", [[dets:member(T, 7), dets:lookup(T, 20000), dets:member(T, 20000), dets:info(T, size)]]),
    io:format("select: ~p~n", [lists:sort(dets:select(T, [{{'$1', '$2'}, [{'<', '$1', 5}], ['$$']}]))]),
    io:format("qlc: ~p~n", [lists:sort(qlc:e(qlc:q([K || {K, V} <- dets:table(T), V > 5990])))]),
    io:format("foldl: ~p~n", [dets:foldl(fun({_, V}, A) -> A + V end, 0, T)]),
    ok = dets:delete(T, 5), io:format("deleted: ~p~n", [[dets:member(T, 5), dets:info(T, size)]]),
    ok = dets:close(T),
    {ok, T2} = dets:open_file(again, [{file, F}]),
    io:format("reopened: ~p~n", [[dets:info(T2, size), dets:lookup(T2, 2999), dets:member(T2, 5)]]),
    ok = dets:close(T2),
    {ok, Fd} = file:open(F, [read, raw, binary]),
    Recs = [file:ipread_s32bu_p32bu(Fd, Pos, 1 bsl 20) || Pos <- lists:seq(1336, 1400, 8)],
    io:format("ipread: ~p~n", [[case X of {ok, {Sz, Ptr, B}} -> {Sz, Ptr, is_binary(B) orelse B}; _ -> X end || X <- Recs]]),
    io:format("ipread limits: ~p~n", [[file:ipread_s32bu_p32bu(Fd, 100000, 100), element(1, file:ipread_s32bu_p32bu(Fd, 0, infinity))]]),
    file:close(Fd),
    B = filename:join(Dir, "b.dets"),
    {ok, Bag} = dets:open_file(bag, [{file, B}, {type, bag}]),
    ok = dets:insert(Bag, [{k, 1}, {k, 2}, {j, 3}, {k, 1}]),
    io:format("bag: ~p~n", [[lists:sort(dets:lookup(Bag, k)), dets:lookup(Bag, none)]]),
    dets:close(Bag),
    L = filename:join(Dir, "log"),
    {ok, Log} = disk_log:open([{name, mylog}, {file, L}]),
    [ok = disk_log:log(Log, {entry, I}) || I <- lists:seq(1, 5)],
    ok = disk_log:sync(Log),
    {_, Terms} = disk_log:chunk(Log, start), io:format("log: ~p~n", [Terms]),
    ok = disk_log:close(Log).
