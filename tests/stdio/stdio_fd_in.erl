%% With -noinput standard input is the program's: it reads it through an {fd, 0, 1} port.
-module(stdio_fd_in).
-export([main/0]).

main() ->
    P = open_port({fd, 0, 1}, [in, eof, {line, 8}]),
    loop(P).

loop(P) ->
    receive
        {P, {data, D}} -> io:format("~p~n", [D]), loop(P);
        {P, eof} -> io:format("eof~n")
    after 10000 -> io:format("timeout~n")
    end.
