-module(re_big_conc).
-export([main/0]).

%% Subjects large enough that re:run moves to the dirty CPU pool: results,
%% exceptions and every kind of call site (body call, tail call, apply,
%% fun) come back right, from several processes at once. Also big
%% checksums (also dirty) and zlib round trips in parallel.

t(F) ->
    try F() of R -> R catch C:E -> {C, E} end.

big(N) -> binary:copy(<<"abc def ghi\n">>, N).

tail_run(S, R, O) -> re:run(S, R, O).

main() ->
    B = big(50000),
    L = binary_to_list(binary:part(B, 0, 200000)),
    io:format("~p~n", [re:run(B, "ghi$", [multiline, global, {capture, none}])]),
    {match, Ms} = re:run(B, "d(e)f", [global, {capture, all_but_first, index}]),
    io:format("~p ~p~n", [length(Ms), lists:last(Ms)]),
    io:format("~p~n", [tail_run(B, "zzz", [])]),
    io:format("~p~n", [t(fun() -> re:run(<<B/binary, 255>>, "x", [unicode]) end)]),
    io:format("~p~n", [t(fun() -> re:run(B, "x", [{capture, all, bogus}]) end)]),
    io:format("~p~n", [apply(re, run, [B, "(ghi)\\n$", [{capture, all, list}]])]),
    F = fun re:run/3,
    io:format("~p~n", [F(L, "c d", [global, {capture, first, index}, {offset, 199000}])]),
    io:format("~p~n", [length(re:split(B, "\n", [trim]))]),
    io:format("~p~n", [byte_size(iolist_to_binary(re:replace(B, "def", "DEFG", [global])))]),
    io:format("~p~n", [[erlang:crc32(B), erlang:adler32(binary:copy(B, 8))]]),
    Self = self(),
    Pids = [spawn_link(fun() -> Self ! {self(), work(I, B)} end) || I <- lists:seq(1, 6)],
    [receive {P, R} -> io:format("~p~n", [R]) end || P <- Pids],
    ok.

work(I, B) ->
    Pat = lists:nth(1 + I rem 3, ["abc", "(d)(e)(f)", "\\bghi\\b"]),
    {match, M} = re:run(B, Pat, [global, {capture, first, index}]),
    Z = zlib:compress(binary:part(B, 0, 100000 * (1 + I rem 2))),
    {I, length(M), byte_size(zlib:uncompress(Z)), erlang:crc32(B)}.
