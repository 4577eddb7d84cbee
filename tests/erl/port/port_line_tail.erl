-module(port_line_tail).
%% A last line without its newline comes after the exit status, as in OTP
%% (it is flushed when the port ends, after the status has been reported).
-export([main/0]).
collect(P) -> receive {P, M} -> [M | collect(P)] after 2000 -> [] end.
main() ->
    [begin
         P = open_port({spawn, Cmd}, Opts),
         io:format("~p~n", [collect(P)])
     end || {Cmd, Opts} <- [{"printf 'ab\\nlast'", [{line, 80}, exit_status]},
                            {"printf 'ab\\nlast'", [{line, 80}, exit_status, eof]},
                            {"printf 'ab\\nlast'", [{line, 80}]},
                            {"printf 'ab\\nlast'", [{line, 2}, exit_status]},
                            {"printf 'ab\\nlast\\n'", [{line, 80}, exit_status]},
                            {"printf 'abc'; exit 3", [{line, 80}, exit_status]}]].
