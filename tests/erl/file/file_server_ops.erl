%% The file module through kernel's file server (file_server_2) and
%% file_io_server: read_file/write_file, open/read/write/read_line/position
%% on io-server files (list and binary mode), io:format and io:get_line on
%% a file, consult/script, list_dir, make_dir/del_dir/del_dir_r, delete,
%% rename, copy, read_file_info/write_file_info, links, cwd; filelib on top
%% (ensure_dir, is_dir, is_file, is_regular, file_size, wildcard);
%% os:find_executable. Errors included. Works in a temporary
%% directory it makes and removes; prints no paths or times.
-module(file_server_ops).
-export([main/0]).

-include_lib("kernel/include/file.hrl").

main() ->
    Dir = "/tmp/erb_file_server_" ++ os:getpid(),
    p(make_dir, file:make_dir(Dir)),
    try run(Dir) after p(del_dir_r, file:del_dir_r(Dir)) end,
    p(gone, filelib:is_dir(Dir)).

run(Dir) ->
    F = filename:join(Dir, "a.txt"),
    p(write_file, file:write_file(F, "alpha\nbeta\ngamma\n")),
    p(read_file, file:read_file(F)),
    p(write_file_append, file:write_file(F, <<"delta\n">>, [append])),
    p(read_lines, read_lines(F)),
    p(read_file_missing, file:read_file(filename:join(Dir, "nope"))),
    p(read_file_dir, file:read_file(Dir)),
    p(write_file_dir, file:write_file(Dir, "x")),
    p(read_file_bad_name, catch file:read_file({bad})),
    io_files(Dir),
    terms(Dir),
    dirs(Dir, F),
    infos(Dir, F),
    lib(Dir),
    p(find_sh, os:find_executable("sh") =/= false),
    p(find_missing, os:find_executable("erb-no-such-program")).

read_lines(F) ->
    {ok, Fd} = file:open(F, [read]),
    L = read_all(Fd),
    ok = file:close(Fd),
    L.

read_all(Fd) ->
    case file:read_line(Fd) of
        {ok, Line} -> [Line | read_all(Fd)];
        eof -> []
    end.

io_files(Dir) ->
    G = filename:join(Dir, "io.txt"),
    {ok, W} = file:open(G, [write]),
    p(io_format, io:format(W, "~p and ~s~n", [{x, 1}, "text"])),
    p(io_write, file:write(W, [<<"raw ">>, "bytes\n"])),
    p(io_position, file:position(W, cur)),
    p(close, file:close(W)),
    p(write_closed, file:write(W, "x")),
    {ok, R} = file:open(G, [read, binary]),
    p(get_line, io:get_line(R, '')),
    p(read, file:read(R, 4)),
    p(read_line, file:read_line(R)),
    p(eof, file:read(R, 1)),
    p(pread, file:pread(R, 0, 5)),
    p(position_bof, file:position(R, bof)),
    p(read_again, file:read(R, 3)),
    file:close(R),
    {ok, U} = file:open(G, [read, write, {encoding, utf8}]),
    p(utf8_write, io:put_chars(U, [16#3b1, 16#3b2])),
    file:close(U),
    p(utf8_bytes, file:read_file_info(G) =/= error),
    p(open_missing, file:open(filename:join(Dir, "nope"), [read])),
    p(open_dir, file:open(Dir, [write])),
    p(open_unknown_mode, opened(file:open(G, [read, sideways]))),
    p(open_exclusive, file:open(G, [write, exclusive])),
    {ok, C} = file:open(G, [read]),
    Owner = self(),
    spawn(fun() -> Owner ! {other, file:read(C, 3)} end),
    receive {other, Other} -> p(other_process_read, Other) end,
    file:close(C).

terms(Dir) ->
    T = filename:join(Dir, "terms.config"),
    ok = file:write_file(T, "{a, 1}.\n[1, 2, 3].\n\"str\".\n"),
    p(consult, file:consult(T)),
    ok = file:write_file(T, "{a, .\n"),
    p(consult_bad, file:consult(T)),
    S = filename:join(Dir, "s.script"),
    ok = file:write_file(S, "X = 20, X + 1.\n"),
    p(script, file:script(S)),
    p(eval, file:eval(S)),
    p(consult_missing, file:consult(filename:join(Dir, "nope"))).

dirs(Dir, F) ->
    Sub = filename:join(Dir, "sub"),
    p(make_dir, file:make_dir(Sub)),
    p(make_dir_again, file:make_dir(Sub)),
    p(make_dir_missing, file:make_dir(filename:join([Dir, "no", "sub"]))),
    p(copy, file:copy(F, filename:join(Sub, "b.txt"))),
    p(copy_part, file:copy(F, filename:join(Sub, "c.txt"), 5)),
    p(list_dir, lists:sort(element(2, file:list_dir(Sub)))),
    p(list_dir_missing, file:list_dir(filename:join(Dir, "nope"))),
    p(rename, file:rename(filename:join(Sub, "c.txt"), filename:join(Sub, "d.txt"))),
    p(rename_missing, file:rename(filename:join(Sub, "c.txt"), filename:join(Sub, "e.txt"))),
    p(read_renamed, file:read_file(filename:join(Sub, "d.txt"))),
    p(del_dir_not_empty, file:del_dir(Sub)),
    p(delete, file:delete(filename:join(Sub, "d.txt"))),
    p(delete_missing, file:delete(filename:join(Sub, "d.txt"))),
    p(delete_dir, file:delete(Sub)),
    p(symlink, file:make_symlink("a.txt", filename:join(Dir, "l"))),
    p(read_link, file:read_link(filename:join(Dir, "l"))),
    p(read_link_all, file:read_link_all(filename:join(Dir, "l"))),
    p(hard_link, file:make_link(F, filename:join(Dir, "h"))),
    {ok, Cwd} = file:get_cwd(),
    p(set_cwd, file:set_cwd(Dir)),
    p(relative, file:read_file("h")),
    p(set_cwd_back, file:set_cwd(Cwd)),
    p(set_cwd_missing, file:set_cwd(filename:join(Dir, "nope"))),
    p(get_cwd_drive, file:get_cwd("c:")).

infos(Dir, F) ->
    {ok, I} = file:read_file_info(F),
    p(info, {I#file_info.size, I#file_info.type, I#file_info.links}),
    {ok, L} = file:read_link_info(filename:join(Dir, "l")),
    p(link_info, L#file_info.type),
    p(write_info, file:write_file_info(F, #file_info{mode = 8#600, mtime = {{2020, 6, 1}, {12, 0, 0}}})),
    {ok, I2} = file:read_file_info(F, [{time, posix}]),
    p(mode_mtime, {I2#file_info.mode band 8#777, I2#file_info.mtime - erlang:universaltime_to_posixtime(erlang:localtime_to_universaltime({{2020, 6, 1}, {12, 0, 0}}))}),
    p(change_mode, file:change_mode(F, 8#644)),
    p(change_time, file:change_time(F, {{2019, 1, 1}, {0, 0, 0}})),
    p(info_missing, file:read_file_info(filename:join(Dir, "nope"))).

lib(Dir) ->
    Deep = filename:join([Dir, "x", "y", "z", "f.txt"]),
    p(ensure_dir, filelib:ensure_dir(Deep)),
    p(ensure_path, filelib:ensure_path(filename:join(Dir, "p/q"))),
    ok = file:write_file(Deep, "12345"),
    p(is_dir, {filelib:is_dir(filename:join(Dir, "x")), filelib:is_dir(Deep)}),
    p(is_file, {filelib:is_file(Deep), filelib:is_file(filename:join(Dir, "nope"))}),
    p(is_regular, {filelib:is_regular(Deep), filelib:is_regular(Dir)}),
    p(file_size, filelib:file_size(Deep)),
    p(last_modified, is_tuple(filelib:last_modified(Deep))),
    p(wildcard, filelib:wildcard("*.txt", Dir)),
    p(wildcard_deep, filelib:wildcard("x/*/*/*.txt", Dir)),
    p(wildcard_abs, length(filelib:wildcard(filename:join(Dir, "*")))),
    p(safe_relative, filelib:safe_relative_path("a/../b", Dir)).

opened({ok, Fd}) -> {file:close(Fd), opened};
opened(Other) -> Other.

p(Tag, {'EXIT', {Reason, _}}) -> io:format("~p: EXIT ~p~n", [Tag, Reason]);
p(Tag, R) -> io:format("~p: ~p~n", [Tag, R]).
