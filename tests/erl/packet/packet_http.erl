-module(packet_http).
%% erlang:decode_packet/3 on HTTP request, status and header lines, as strings and binaries.
-export([main/0]).
t(T, B) -> io:format("~p ~p -> ~p~n", [T, B, catch erlang:decode_packet(T, B, [])]).
main() ->
    Reqs = [<<"GET / HTTP/1.1\r\n">>, <<"GET /a/b?c HTTP/1.0\r\nX">>, <<"POST * HTTP/1.1\n">>,
            <<"FOO /x HTTP/1.1\r\n">>, <<"get / HTTP/1.1\r\n">>, <<"GET http://host:8080/p HTTP/1.1\r\n">>,
            <<"GET https://host/p HTTP/1.1\r\n">>, <<"GET http://host HTTP/1.1\r\n">>, <<"GET ftp://x/y HTTP/1.1\r\n">>,
            <<"GET foo HTTP/1.1\r\n">>, <<"GET / HTTP/1.1">>, <<"GET / HTTP/1.1\r">>, <<"GET /\r\n">>,
            <<"GET / HTTP/x.1\r\n">>, <<"GET  / HTTP/1.1\r\n">>, <<"GET / HTTP/12.34\r\n">>, <<"\r\n">>, <<"\n">>,
            <<"HTTP/1.1 200 OK\r\n">>, <<"HTTP/1.0 404 Not  Found \r\n">>, <<"HTTP/1.1 200\r\n">>, <<"HTTP/1.1 2000 OK\r\n">>,
            <<"HTTP/1.1 abc OK\r\n">>, <<"garbage\r\n">>, <<"GET http://host:/p HTTP/1.1\r\n">>, <<"GET http://host:99999999999/p HTTP/1.1\r\n">>,
            <<"GET http://user@host:80 HTTP/1.1\r\n">>, <<"OPTIONS * HTTP/1.1\r\n">>, <<"DELETE /x HTTP/1.1\r\n">>,
            <<"PATCH /x HTTP/1.1\r\n">>, <<"GET mailto:bob HTTP/1.1\r\n">>, <<"GET HTTP://HOST/p HTTP/1.1\r\n">>, <<"GET / HTTP/1.1 \r\n">>,
            <<"GET / XTTP/1.1\r\n">>, <<"HTTP/1.1  200 OK\r\n">>, <<" GET / HTTP/1.1\r\n">>, <<"GET / http/1.1\r\n">>],
    [t(T, B) || T <- [http, http_bin], B <- Reqs],
    Hdrs = [<<"Content-Length: 10\r\n\r\n">>, <<"content-length:10 \r\n\r\n">>, <<"CONTENT-type:  text/html  \r\nX">>,
            <<"X-My-Header: a\r\n b\r\n\tc\r\nX">>, <<"x-my-header: a\r\nX">>, <<"\r\n">>, <<"\n">>, <<"Bad Header\r\nX">>,
            <<"Host:\r\nX">>, <<"Host: a\r\n">>, <<": a\r\nX">>, <<"Ho st: a\r\nX">>, <<"Host : a\r\nX">>,
            <<"X_Y: a\r\nX">>, <<"x-1-y: a\r\nX">>, <<"Content-Length: 10\nX">>, <<"GET / HTTP/1.1\r\nX">>,
            <<"Host: a\r\n\r\n">>, <<"Host: a\r\n \r\nX">>, <<"Host: a b  c\r\nX">>, <<"Host: \x{e9}\r\nX">>,
            <<"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-b: 1\r\nX">>, <<"WWW-AUTHENTICATE: x\r\nX">>,
            <<"Host:a\r\r\nX">>],
    [t(T, B) || T <- [httph, httph_bin], B <- Hdrs],
    [t(T, B) || T <- [http, http_bin], B <- [<<"Host: a\r\n">>, <<"A/B / HTTP/1.1\r\n">>, <<"A.B / HTTP/1.1\r\n">>]],
    [t(httph, <<(list_to_binary(lists:duplicate(N, $a)))/binary, "-b: v\r\nX">>) || N <- [48, 49, 50]],
    [t(http, <<"GET ", U/binary, " HTTP/1.1\r\n">>) || U <- [<<"a+b:x">>, <<":x">>, <<"http://">>, <<"http://h:8a/x">>, <<"http://h:1:2/">>, <<"https://h:0">>]],
    [t(http, L) || L <- [<<"HTTP/1.1 20 OK\r\n">>, <<"HTTP/1.1 200x OK\r\n">>, <<"HTTP/1.1\r\n">>, <<"HTTP/1.1 \r\n">>, <<"HTTP/1 200 OK\r\n">>, <<"GET / HTTP/1.1x\r\n">>, <<"GET\r\n">>, <<"GET\t/ HTTP/1.1\r\n">>]],
    [t(httph, <<H/binary, ": v\r\nX">>) || H <- [<<"-a">>, <<"--a">>, <<"1a-b">>, <<"a.b">>, <<"a@b">>]],
    t(httph, <<"Host: a">>), t(http, <<"GET / HTTP/1.1\r\n">>),
    ok.
