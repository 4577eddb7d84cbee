%% prim_file and prim_buffer directly: every operation on a file handle and
%% on paths, with OTP's results and errors. Works in a temporary directory
%% it makes and removes; prints no paths or times.
-module(file_prim).
-export([main/0]).

-include_lib("kernel/include/file.hrl").

main() ->
    Dir = "/tmp/erb_file_prim_" ++ os:getpid(),
    p(make_dir, prim_file:make_dir(Dir)),
    p(make_dir_again, prim_file:make_dir(Dir)),
    try run(Dir) after cleanup(Dir) end,
    p(dir_gone, prim_file:read_file_info(Dir)).

run(Dir) ->
    F = Dir ++ "/a.txt",
    p(write_file, prim_file:write_file(F, [<<"hello">>, $\s, "world\r\nline2\nlast"])),
    p(read_file, prim_file:read_file(F)),
    p(read_file_bin_name, prim_file:read_file(list_to_binary(F))),
    handle_ops(F),
    buffered(F),
    positions(F),
    writes(Dir),
    infos(Dir, F),
    names(Dir, F),
    errors(Dir, F),
    buffers().

handle_ops(F) ->
    {ok, Fd} = prim_file:open(F, [read, binary]),
    p(read3, prim_file:read(Fd, 3)),
    p(read0, prim_file:read(Fd, 0)),
    p(read_line_crlf, prim_file:read_line(Fd)),
    p(read_line, prim_file:read_line(Fd)),
    p(read_line_last, prim_file:read_line(Fd)),
    p(read_line_eof, prim_file:read_line(Fd)),
    p(read_eof, prim_file:read(Fd, 10)),
    p(pread, prim_file:pread(Fd, 6, 5)),
    p(pread_past, prim_file:pread(Fd, 1000, 5)),
    p(pread_list, prim_file:pread(Fd, [{0, 2}, {1000, 1}, {6, 3}])),
    p(pread_neg, prim_file:pread(Fd, -1, 5)),
    p(write_ro, prim_file:write(Fd, <<"x">>)),
    p(handle_info, element(1, prim_file:read_handle_info(Fd))),
    p(sync, prim_file:sync(Fd)),
    p(datasync, prim_file:datasync(Fd)),
    p(advise, prim_file:advise(Fd, 0, 0, sequential)),
    p(advise_bad, prim_file:advise(Fd, 0, 0, sideways)),
    p(close, prim_file:close(Fd)),
    p(read_closed, prim_file:read(Fd, 3)),
    p(close_again, prim_file:close(Fd)),
    p(not_owner, catch_other(fun() -> prim_file:read(Fd, 1) end)).

buffered(F) ->
    {ok, Fd} = prim_file:open(F, [read, binary, {read_ahead, 8}]),
    p(ra_read, prim_file:read(Fd, 2)),
    p(ra_read_more, prim_file:read(Fd, 10)),
    p(ra_position, prim_file:position(Fd, cur)),
    p(ra_line, prim_file:read_line(Fd)),
    p(ra_rest, prim_file:read(Fd, 100)),
    prim_file:close(Fd).

positions(F) ->
    {ok, Fd} = prim_file:open(F, [read, write, binary]),
    p(pos_eof, prim_file:position(Fd, eof)),
    p(pos_bof, prim_file:position(Fd, bof)),
    p(pos_int, prim_file:position(Fd, 4)),
    p(pos_cur, prim_file:position(Fd, {cur, -2})),
    p(pos_neg, prim_file:position(Fd, {bof, -5})),
    p(pos_bad, prim_file:position(Fd, {sideways, 1})),
    p(pos_end, prim_file:position(Fd, {eof, -4})),
    p(read_end, prim_file:read(Fd, 10)),
    p(pos_5, prim_file:position(Fd, 5)),
    p(truncate, prim_file:truncate(Fd)),
    p(after_truncate, prim_file:pread(Fd, 0, 100)),
    p(allocate, prim_file:allocate(Fd, 0, 10)),
    prim_file:close(Fd),
    p(truncated, prim_file:read_file(F)).

writes(Dir) ->
    G = Dir ++ "/w.bin",
    {ok, Fd} = prim_file:open(G, [write, binary]),
    p(write_iolist, prim_file:write(Fd, ["ab", [<<"cd">>, $e], binary:copy(<<"x">>, 300)])),
    p(write_bad, prim_file:write(Fd, [foo])),
    p(pwrite, prim_file:pwrite(Fd, 1, <<"ZZ">>)),
    p(pwrite_list, prim_file:pwrite(Fd, [{0, "Q"}, {400, <<"end">>}])),
    p(read_wo, prim_file:read(Fd, 1)),
    prim_file:close(Fd),
    {ok, Bin} = prim_file:read_file(G),
    p(written, {byte_size(Bin), binary:part(Bin, 0, 6), binary:part(Bin, 400, 3),
                binary:part(Bin, 305, 4)}),
    {ok, A} = prim_file:open(G, [append]),
    p(append, prim_file:write(A, <<"++">>)),
    prim_file:close(A),
    {ok, Bin2} = prim_file:read_file(G),
    p(appended, binary:part(Bin2, byte_size(Bin2), -5)),
    p(exclusive, prim_file:open(G, [write, exclusive])),
    {ok, T} = prim_file:open(G, [write]),
    prim_file:close(T),
    p(trunc_on_write, prim_file:read_file(G)),
    {ok, RW} = prim_file:open(G, [read, write]),
    prim_file:write(RW, <<"0123456789">>),
    prim_file:close(RW),
    {ok, RW2} = prim_file:open(G, [read, write]),
    prim_file:write(RW2, <<"ab">>),
    prim_file:close(RW2),
    p(rw_keeps, prim_file:read_file(G)).

infos(Dir, F) ->
    {ok, I} = prim_file:read_file_info(F),
    p(info, {I#file_info.size, I#file_info.type, I#file_info.mode band 8#777,
             I#file_info.links, is_tuple(I#file_info.mtime)}),
    {ok, DI} = prim_file:read_file_info(Dir),
    p(dir_info, DI#file_info.type),
    {ok, P} = prim_file:read_file_info(F, [{time, posix}]),
    p(posix_time, is_integer(P#file_info.mtime)),
    {ok, U} = prim_file:read_file_info(F, [{time, universal}]),
    p(universal_time, size(U#file_info.atime)),
    p(set_mode, prim_file:write_file_info(F, #file_info{mode = 8#600})),
    {ok, I2} = prim_file:read_file_info(F),
    p(mode_now, I2#file_info.mode band 8#777),
    p(set_time, prim_file:write_file_info(F, #file_info{mtime = {{2020, 1, 2}, {3, 4, 5}},
                                                        atime = {{2021, 1, 2}, {3, 4, 5}}},
                                          [{time, universal}])),
    {ok, I3} = prim_file:read_file_info(F, [{time, universal}]),
    p(times_now, {I3#file_info.mtime, I3#file_info.atime}),
    p(set_posix, prim_file:write_file_info(F, #file_info{mtime = 1000000000}, [{time, posix}])),
    {ok, I4} = prim_file:read_file_info(F, [{time, posix}]),
    p(posix_now, I4#file_info.mtime),
    p(info_missing, prim_file:read_file_info(Dir ++ "/nope")),
    p(info_bad_name, prim_file:read_file_info([foo])).

names(Dir, F) ->
    L = Dir ++ "/link",
    p(symlink, prim_file:make_symlink("a.txt", L)),
    p(read_link, prim_file:read_link(L)),
    p(read_link_all, prim_file:read_link_all(L)),
    p(read_link_file, prim_file:read_link(F)),
    {ok, LI} = prim_file:read_link_info(L),
    p(link_info, LI#file_info.type),
    {ok, FI} = prim_file:read_file_info(L),
    p(follow_info, FI#file_info.type),
    H = Dir ++ "/hard",
    p(hard_link, prim_file:make_link(F, H)),
    p(links, (element(2, prim_file:read_file_info(F)))#file_info.links),
    p(rename, prim_file:rename(H, Dir ++ "/renamed")),
    p(rename_missing, prim_file:rename(H, Dir ++ "/x")),
    p(list_dir, lists:sort(element(2, prim_file:list_dir(Dir)))),
    p(list_dir_all, lists:sort(element(2, prim_file:list_dir_all(Dir)))),
    p(list_dir_file, prim_file:list_dir(F)),
    p(list_dir_missing, prim_file:list_dir(Dir ++ "/nope")),
    {ok, Cwd} = prim_file:get_cwd(),
    p(set_cwd, prim_file:set_cwd(Dir)),
    p(cwd_is_dir, prim_file:get_cwd() =:= {ok, Dir}),
    p(relative_read, prim_file:read_file("renamed")),
    p(set_cwd_back, prim_file:set_cwd(Cwd)),
    p(set_cwd_missing, prim_file:set_cwd(Dir ++ "/nope")),
    p(get_cwd_drive, prim_file:get_cwd("c:")),
    p(altname, prim_file:altname(F)),
    p(sub_dir, prim_file:make_dir(Dir ++ "/sub")),
    p(make_dir_missing_parent, prim_file:make_dir(Dir ++ "/no/sub")),
    p(del_dir_not_empty, prim_file:del_dir(Dir)),
    p(del_dir, prim_file:del_dir(Dir ++ "/sub")),
    p(del_dir_file, prim_file:del_dir(F)),
    p(delete_link, prim_file:delete(L)).

errors(Dir, F) ->
    p(open_missing, prim_file:open(Dir ++ "/nope", [read])),
    p(open_dir, prim_file:open(Dir, [read])),
    p(open_dir_write, prim_file:open(Dir, [write])),
    p(open_under_file, prim_file:open(F ++ "/x", [read])),
    p(open_bad_name, prim_file:open(foo, [read])),
    p(open_nul_name, prim_file:open("a\0b", [read])),
    p(open_bad_modes, prim_file:open(F, foo)),
    p(read_file_dir, prim_file:read_file(Dir)),
    p(read_file_missing, prim_file:read_file(Dir ++ "/nope")),
    p(read_file_bad, prim_file:read_file(42)),
    p(delete_dir, prim_file:delete(Dir)),
    p(delete_missing, prim_file:delete(Dir ++ "/nope")),
    p(write_file_dir, prim_file:write_file(Dir, <<"x">>)),
    p(read_proc, element(1, prim_file:read_file("/proc/self/stat"))),
    Bad = list_to_binary([Dir, "/bad", 255]),
    p(bad_name_write, prim_file:write_file(Bad, <<"x">>)),
    p(bad_name_listed, [N || N <- element(2, prim_file:list_dir_all(Dir)), is_binary(N)]),
    p(bad_name_read, prim_file:read_file(Bad)),
    p(bad_name_delete, prim_file:delete(Bad)),
    p(bad_char_name, prim_file:open([16#D800], [read])),
    p(bad_char_name2, prim_file:read_file_info([-1])),
    p(name2native, prim_file:internal_name2native("abc")),
    p(name2native_bin, prim_file:internal_name2native(<<"abc">>)),
    p(name2native_nul, catch prim_file:internal_name2native("a\0b")),
    p(name2native_deep, catch prim_file:internal_name2native(["a"])),
    p(native2name, prim_file:internal_native2name(<<"abc">>)),
    p(translatable, prim_file:is_translatable(<<"abc">>)).

buffers() ->
    B = prim_buffer:new(),
    p(buf_size0, prim_buffer:size(B)),
    p(buf_write, prim_buffer:write(B, [<<"abc\ndef">>, binary:copy(<<"y">>, 200), <<"\nz">>])),
    p(buf_size, prim_buffer:size(B)),
    p(buf_find, prim_buffer:find_byte_index(B, $\n)),
    p(buf_find_none, prim_buffer:find_byte_index(B, $Q)),
    p(buf_read, prim_buffer:read(B, 4)),
    p(buf_find2, prim_buffer:find_byte_index(B, $\n)),
    p(buf_read_iovec, iolist_to_binary(prim_buffer:read_iovec(B, 100)) =:= <<"def", (binary:copy(<<"y">>, 97))/binary>>),
    p(buf_skip, prim_buffer:skip(B, 50)),
    p(buf_read_big, byte_size(prim_buffer:read(B, 40))),
    p(buf_size_left, prim_buffer:size(B)),
    p(buf_lock, prim_buffer:try_lock(B)),
    p(buf_lock2, prim_buffer:try_lock(B)),
    p(buf_unlock, prim_buffer:unlock(B)),
    p(buf_too_much, catch prim_buffer:read(B, 1000)),
    p(buf_wipe, prim_buffer:wipe(B)),
    p(buf_empty, prim_buffer:size(B)),
    p(buf_bad_write, catch prim_buffer:write(B, [foo])),
    p(buf_bad, catch prim_buffer:size(make_ref())).

catch_other(Fun) ->
    Self = self(),
    spawn(fun() -> Self ! {res, catch Fun()} end),
    receive {res, R} -> strip(R) end.

strip({'EXIT', {Reason, _}}) -> {'EXIT', Reason};
strip(R) -> R.

p(Tag, {'EXIT', {Reason, _Stack}}) -> io:format("~p: EXIT ~p~n", [Tag, Reason]);
p(Tag, R) -> io:format("~p: ~p~n", [Tag, R]).

cleanup(Dir) ->
    case prim_file:list_dir_all(Dir) of
        {ok, Names} -> [rm(Dir ++ "/" ++ N) || N <- Names];
        _ -> ok
    end,
    prim_file:del_dir(Dir).

rm(Path) ->
    case prim_file:read_link_info(Path) of
        {ok, #file_info{type = directory}} -> cleanup(Path);
        _ -> prim_file:delete(Path)
    end.
