-module(compat_stdin_read).
-export([main/0]).
main() ->
    p(io:get_line("")), p(io:read("")), p(io:read('prompt> ')), p(io:fread("", "~d ~d")), p(io:fread("", "~s")),
    p(io:get_chars("", 5)), p(io:get_line("")), p(io:request(standard_io, {get_until, unicode, "", erl_scan, tokens, [1]})),
    p(io:parse_erl_exprs("")), p(io:scan_erl_form("")),
    L = read_all([]), p(length(L)), p(lists:sum([list_to_integer(string:trim(X)) || X <- L])),
    p(io:get_line("")), p(io:read("")).
read_all(Acc) ->
    case io:get_line("") of
        eof -> lists:reverse(Acc);
        "end\n" -> lists:reverse(Acc);
        Line -> read_all([Line | Acc])
    end.
p(X) -> io:format("~p~n", [X]).
