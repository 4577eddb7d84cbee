-module(zlib_basic).
-export([main/0]).
-compile(nowarn_deprecated_function).

%% zlib through OTP's zlib.beam: one-shot functions, streams fed in chunks,
%% checksums, dictionaries, and the errors of bad data and bad streams.

t(F) ->
    try F() of R -> R catch C:E -> {C, E} end.

data(N) ->
    list_to_binary([integer_to_list(I * 7919 rem 1000) || I <- lists:seq(1, N)]).

main() ->
    Small = <<"hello hello hello hello zlib">>,
    Big = data(200000),
    [begin
         C = zlib:F(D),
         io:format("~p ~p ~p~n", [F, byte_size(C), zlib:G(C) =:= iolist_to_binary(D)])
     end || {F, G} <- [{compress, uncompress}, {zip, unzip}, {gzip, gunzip}],
            D <- [<<>>, Small, Big, ["ab", [$c, <<"de">>] | <<"f">>]]],
    io:format("~p~n", [zlib:compress(Small)]),
    io:format("~p~n", [zlib:gzip(Small)]),
    io:format("~p~n", [zlib:zip(Small)]),
    streams(Big),
    checksums(Big),
    dictionary(),
    errors(),
    io:format("~p~n", [t(fun() -> zlib:uncompress(<<"garbage garbage">>) end)]),
    io:format("~p~n", [t(fun() -> zlib:uncompress(<<1, 2>>) end)]),
    io:format("~p~n", [t(fun() -> zlib:gunzip(<<"not gzip data at all">>) end)]),
    io:format("~p~n", [t(fun() -> zlib:unzip(<<255, 255, 255, 255, 255>>) end)]),
    io:format("~p~n", [t(fun() -> zlib:compress(foo) end)]),
    io:format("~p~n", [t(fun() -> zlib:gzip([1, 2, 300]) end)]),
    %% concatenated gzip members are all read (gunzip resets at the end of one)
    Two = <<(zlib:gzip(<<"one ">>))/binary, (zlib:gzip(<<"two">>))/binary>>,
    io:format("~p~n", [zlib:gunzip(Two)]).

streams(Big) ->
    Z = zlib:open(),
    ok = zlib:deflateInit(Z, best_compression, deflated, 15, 9, default),
    Chunks = [binary:part(Big, S, min(7777, byte_size(Big) - S)) || S <- lists:seq(0, byte_size(Big) - 1, 7777)],
    Out = [zlib:deflate(Z, C) || C <- Chunks],
    Last = zlib:deflate(Z, [], finish),
    ok = zlib:deflateEnd(Z),
    Comp = iolist_to_binary([Out, Last]),
    io:format("deflate chunks ~p ~p~n", [length(Chunks), byte_size(Comp)]),
    ok = zlib:inflateInit(Z),
    Parts = [zlib:inflate(Z, binary:part(Comp, S, min(1000, byte_size(Comp) - S)))
             || S <- lists:seq(0, byte_size(Comp) - 1, 1000)],
    ok = zlib:inflateEnd(Z),
    io:format("inflate ~p~n", [iolist_to_binary(Parts) =:= Big]),
    %% sync and full flushes, then params change mid-stream
    ok = zlib:deflateInit(Z),
    A = zlib:deflate(Z, <<"first part ">>, sync),
    B = zlib:deflate(Z, <<"second part ">>, full),
    ok = zlib:deflateParams(Z, best_speed, filtered),
    C2 = zlib:deflate(Z, <<"third part">>, finish),
    ok = zlib:deflateEnd(Z),
    io:format("flushes ~p~n", [zlib:uncompress(iolist_to_binary([A, B, C2]))]),
    %% safeInflate and inflateChunk hand out bounded pieces
    ok = zlib:inflateInit(Z),
    Safe = safe(Z, zlib:safeInflate(Z, zlib:compress(Big)), []),
    ok = zlib:inflateEnd(Z),
    io:format("safeInflate ~p~n", [Safe =:= Big]),
    ok = zlib:inflateInit(Z),
    ok = zlib:setBufSize(Z, 4096),
    io:format("bufsize ~p~n", [zlib:getBufSize(Z)]),
    Chunked = chunk(Z, zlib:inflateChunk(Z, zlib:compress(Big)), []),
    ok = zlib:inflateEnd(Z),
    io:format("inflateChunk ~p~n", [Chunked =:= Big]),
    %% raw streams keep the plain text's CRC
    ok = zlib:deflateInit(Z, default, deflated, -15, 8, default),
    Raw = zlib:deflate(Z, Big, finish),
    io:format("raw crc ~p ~p~n", [zlib:crc32(Z), erlang:crc32(Big)]),
    ok = zlib:deflateEnd(Z),
    ok = zlib:inflateInit(Z, -15),
    Back = zlib:inflate(Z, Raw),
    io:format("raw back ~p ~p~n", [iolist_to_binary(Back) =:= Big, zlib:crc32(Z)]),
    ok = zlib:inflateReset(Z),
    io:format("end after reset ~p~n", [t(fun() -> zlib:inflateEnd(Z) end)]),
    ok = zlib:close(Z).

safe(Z, {continue, Out}, Acc) -> safe(Z, zlib:safeInflate(Z, []), [Acc, Out]);
safe(_Z, {finished, Out}, Acc) -> iolist_to_binary([Acc, Out]).

chunk(Z, {more, Out}, Acc) -> chunk(Z, zlib:inflateChunk(Z), [Acc, Out]);
chunk(_Z, Out, Acc) -> iolist_to_binary([Acc, Out]).

checksums(Big) ->
    io:format("~p~n", [[erlang:crc32(<<>>), erlang:crc32("abc"), erlang:crc32(Big),
                        erlang:crc32(erlang:crc32(<<"ab">>), <<"c">>),
                        erlang:crc32_combine(erlang:crc32(<<"ab">>), erlang:crc32(<<"c">>), 1),
                        erlang:adler32(<<>>), erlang:adler32(["a", <<"bc">>]), erlang:adler32(Big),
                        erlang:adler32(erlang:adler32(<<"ab">>), <<"c">>),
                        erlang:adler32_combine(erlang:adler32(<<"ab">>), erlang:adler32(<<"c">>), 1)]]),
    Z = zlib:open(),
    io:format("~p~n", [[zlib:crc32(Z, <<"abc">>), zlib:crc32(Z, 5, <<"abc">>), zlib:adler32(Z, <<"abc">>),
                        zlib:adler32(Z, 7, "abc"), zlib:crc32_combine(Z, 1, 2, 3),
                        zlib:adler32_combine(Z, 1, 2, 3)]]),
    zlib:close(Z),
    io:format("~p~n", [[t(fun() -> erlang:crc32(foo) end), t(fun() -> erlang:crc32(-1, <<>>) end),
                        t(fun() -> erlang:adler32(1 bsl 40, <<>>) end),
                        t(fun() -> erlang:crc32_combine(1, 2, -1) end),
                        t(fun() -> erlang:adler32([256]) end)]]).

dictionary() ->
    Dict = <<"a dictionary of common words: hello zlib stream">>,
    Z = zlib:open(),
    ok = zlib:deflateInit(Z),
    Sum = zlib:deflateSetDictionary(Z, Dict),
    Comp = iolist_to_binary(zlib:deflate(Z, <<"hello zlib stream hello">>, finish)),
    ok = zlib:deflateEnd(Z),
    io:format("dict sum ~p~n", [Sum]),
    ok = zlib:inflateInit(Z),
    io:format("~p~n", [t(fun() -> zlib:inflate(Z, Comp) end)]),
    ok = zlib:inflateSetDictionary(Z, Dict),
    io:format("~p~n", [iolist_to_binary(zlib:inflate(Z, []))]),
    ok = zlib:inflateEnd(Z),
    ok = zlib:inflateInit(Z),
    {need_dictionary, Adler, []} = zlib:inflate(Z, Comp, [{exception_on_need_dict, false}]),
    io:format("need ~p~n", [Adler]),
    ok = zlib:inflateSetDictionary(Z, Dict),
    io:format("~p~n", [iolist_to_binary(zlib:inflate(Z, []))]),
    io:format("getdict ~p~n", [byte_size(zlib:inflateGetDictionary(Z))]),
    ok = zlib:inflateEnd(Z),
    zlib:close(Z).

errors() ->
    Z = zlib:open(),
    E = fun(F) -> io:format("~p~n", [t(F)]) end,
    E(fun() -> zlib:deflate(Z, <<"x">>) end),
    E(fun() -> zlib:inflate(Z, <<"x">>) end),
    E(fun() -> zlib:deflateEnd(Z) end),
    E(fun() -> zlib:crc32(Z) end),
    E(fun() -> zlib:deflateInit(Z, 10) end),
    E(fun() -> zlib:deflateInit(Z, default, deflated, 7, 8, default) end),
    E(fun() -> zlib:deflateInit(Z, default, stored, 15, 8, default) end),
    E(fun() -> zlib:deflateInit(Z, default, deflated, 15, 10, default) end),
    E(fun() -> zlib:deflateInit(Z, default, deflated, 15, 8, bogus) end),
    E(fun() -> zlib:inflateInit(Z, 15, bogus) end),
    ok = zlib:deflateInit(Z),
    E(fun() -> zlib:deflateInit(Z) end),
    E(fun() -> zlib:inflateInit(Z) end),
    E(fun() -> zlib:deflate(Z, foo) end),
    E(fun() -> zlib:deflate(Z, <<"x">>, bogus) end),
    E(fun() -> zlib:setBufSize(Z, 3) end),
    %% ending with input still queued is a data error
    _ = zlib:deflate(Z, <<"pending">>),
    E(fun() -> zlib:deflateEnd(Z) end),
    ok = zlib:inflateInit(Z),
    E(fun() -> iolist_to_binary(zlib:inflate(Z, <<"this is not deflate data">>)) end),
    E(fun() -> zlib:inflateEnd(Z) end),
    ok = zlib:inflateInit(Z),
    _ = zlib:inflate(Z, binary:part(zlib:compress(<<"truncated stream here">>), 0, 10)),
    E(fun() -> zlib:inflateEnd(Z) end),
    ok = zlib:close(Z),
    E(fun() -> zlib:close(Z) end),
    E(fun() -> zlib:deflateInit(Z) end),
    E(fun() -> zlib:close(make_ref()) end),
    E(fun() -> zlib:deflate(foo, <<>>) end),
    %% another process may not use a stream it does not control
    Z2 = zlib:open(),
    Self = self(),
    spawn(fun() -> Self ! {other, t(fun() -> zlib:deflateInit(Z2) end)} end),
    receive {other, R} -> io:format("~p~n", [R]) end,
    ok = zlib:set_controlling_process(Z2, spawn(fun() -> receive go -> ok end end)),
    E(fun() -> zlib:deflateInit(Z2) end),
    E(fun() -> zlib:set_controlling_process(Z2, foo) end).
