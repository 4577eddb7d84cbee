-module(break_demo).
%% The program tests/cli_break.sh puts --break logpoints on (line numbers matter).
-export([main/0]).

main() ->
    [step(N, {item, N}) || N <- lists:seq(1, 4)],
    io:format("done~n").

step(N, T) ->
    R = erlang:phash2(T, 100) + N,
    R * 2.
