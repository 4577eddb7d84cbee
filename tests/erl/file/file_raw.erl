%% The file module on raw files (which need no file server): open/read/
%% write/position/pread/pwrite/truncate/copy/close, read_line, read_file_info
%% and friends with the raw option, write_file/3. Errors included. Works in
%% a temporary directory it makes and removes; prints no paths or times.
-module(file_raw).
-export([main/0]).

-include_lib("kernel/include/file.hrl").

main() ->
    Dir = "/tmp/erb_file_raw_" ++ os:getpid(),
    ok = prim_file:make_dir(Dir),
    try run(Dir) after cleanup(Dir) end.

run(Dir) ->
    F = filename:join(Dir, "data.txt"),
    p(write_file3, file:write_file(F, ["line one\n", <<"line two\n">>, "end"], [raw])),
    p(info, info(file:read_file_info(F, [raw]))),
    {ok, Fd} = file:open(F, [read, raw, binary, read_ahead]),
    p(read_line1, file:read_line(Fd)),
    p(read_line2, file:read_line(Fd)),
    p(read_line3, file:read_line(Fd)),
    p(read_line_eof, file:read_line(Fd)),
    p(position, file:position(Fd, {bof, 5})),
    p(read, file:read(Fd, 3)),
    p(pread, file:pread(Fd, [{0, 4}, {9, 4}])),
    p(close, file:close(Fd)),
    {ok, L} = file:open(F, [read, raw]),
    p(list_mode_read, file:read(L, 4)),
    p(list_mode_line, file:read_line(L)),
    file:close(L),
    G = filename:join(Dir, "copy.txt"),
    {ok, Src} = file:open(F, [read, raw, binary]),
    {ok, Dst} = file:open(G, [write, raw, binary]),
    p(copy, file:copy(Src, Dst)),
    file:close(Src),
    p(write, file:write(Dst, <<"!">>)),
    p(pwrite, file:pwrite(Dst, 0, "L")),
    p(truncate_pos, file:position(Dst, 10)),
    p(truncate, file:truncate(Dst)),
    p(sync, file:sync(Dst)),
    file:close(Dst),
    {ok, RG} = file:open(G, [read, raw, binary]),
    p(copied, file:read(RG, 100)),
    file:close(RG),
    p(delete_raw, file:delete(G, [raw])),
    p(delete_raw_again, file:delete(G, [raw])),
    p(link_info_raw, info(file:read_link_info(F, [raw]))),
    p(write_info_raw, file:write_file_info(F, #file_info{mode = 8#640}, [raw])),
    {ok, MI} = file:read_file_info(F, [raw]),
    p(mode, MI#file_info.mode band 8#777),
    p(raw_read_file_info, info(file:raw_read_file_info(F))),
    p(open_missing, file:open(filename:join(Dir, "nope"), [read, raw])),
    p(open_dir, file:open(Dir, [read, raw])),
    p(open_unknown_mode, opened(file:open(F, [raw, sideways]))),
    p(info_missing, file:read_file_info(filename:join(Dir, "nope"), [raw])),
    p(write_file_dir, file:write_file(Dir, <<"x">>, [raw])),
    {ok, W} = file:open(F, [write, raw]),
    p(read_write_only, file:read(W, 1)),
    file:close(W),
    p(closed_read, file:read(W, 1)),
    p(native_name_encoding, lists:member(file:native_name_encoding(), [latin1, utf8])).

opened({ok, Fd}) -> {file:close(Fd), opened};
opened(Other) -> Other.

info({ok, #file_info{size = S, type = T, links = N}}) -> {ok, S, T, N};
info(Other) -> Other.

p(Tag, R) -> io:format("~p: ~p~n", [Tag, R]).

cleanup(Dir) ->
    {ok, Names} = prim_file:list_dir_all(Dir),
    [prim_file:delete(filename:join(Dir, N)) || N <- Names],
    prim_file:del_dir(Dir).
