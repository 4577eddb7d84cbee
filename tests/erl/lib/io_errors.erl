-module(io_errors).
-export([main/0]).

%% io errors raised as OTP raises them (through the group leader), and the
%% replies the standard output server gives as erl -noshell's does.

main() ->
    show(fun() -> io:format(unchecked("~d"), [foo]) end),
    show(fun() -> io:format(unchecked("~p ~p"), [one]) end),
    show(fun() -> io:format(unchecked(bad_format), [x]) end),
    show(fun() -> io:put_chars([foo]) end),
    show(fun() -> io:put_chars(<<255>>) end),
    show(fun() -> io:format(no_such_device, "x", []) end),
    show(fun() -> io:format(dead_pid(), "x", []) end),
    show(fun() -> io:put_chars(self(), "to myself") end),
    show(fun() -> io:write(user, {ok, "text", [1.5]}) end),
    io:nl(),
    %% characters a Latin-1 device cannot hold
    io:format("~ts|~s|~tc~n", ["snow\x{2603}man", "caf\x{e9}", 16#1F600]),
    io:put_chars(["put ", 16#3B1, "\n"]),
    show(fun() -> io:put_chars([16#D800]) end),
    io:format("getopts: ~p~n", [io:getopts()]),
    io:format("columns: ~p, rows: ~p~n", [io:columns(), io:rows()]),
    io:format("unknown request: ~p~n", [io:request(user, {frobnicate, 1})]),
    io:format("requests: ~p~n", [io:requests(user, [{put_chars, unicode, <<"a">>}, {put_chars, unicode, <<"b\n">>}])]),
    io:format("bad requests: ~p~n", [io:requests(user, [{put_chars, unicode, <<"c">>}, bogus, {put_chars, unicode, <<"d\n">>}])]),
    io:format("setopts bad: ~p~n", [io:setopts([{echo, true}])]),
    %% a Unicode device writes UTF-8
    ok = io:setopts([{encoding, unicode}]),
    io:format("unicode now: ~ts ~p~n", ["snow\x{2603}man", io:getopts()]),
    ok = io:setopts([{encoding, latin1}]),
    io:format("latin1 again: ~ts~n", ["snow\x{2603}man"]),
    %% standard_error is a server too (its output is not compared)
    ok = io:format(standard_error, "to stderr~n", []),
    %% the conversions the servers use
    io:format("~p~n", [[unicode:characters_to_binary([97, 1000], unicode, latin1),
                        unicode:characters_to_list([97, [16#D800, 98], 99], unicode),
                        unicode:characters_to_list([97, [1000, 98], 99], latin1),
                        unicode:characters_to_binary(["abc", 229, <<"x">>], unicode, latin1)]]).

dead_pid() ->
    {Pid, Ref} = spawn_monitor(fun() -> ok end),
    receive {'DOWN', Ref, process, Pid, _} -> Pid end.

%% Hides a format from the compiler's format checks.
unchecked(Format) -> binary_to_term(term_to_binary(Format)).

show(F) ->
    R = try F() of
            V -> {returned, V}
        catch
            C:E:S ->
                [{M, Fn, Args, Loc} | _] = S,
                {C, E, {M, Fn, length(Args)}, lists:keyfind(error_info, 1, Loc)}
        end,
    io:format("~p~n", [R]).
