-module(compat_error_format).
-export([main/0, f/1]).
main() ->
    t(fun() -> io:format("~d~n", [a]) end),
    t(fun() -> io:format("~s ~s~n", [x]) end),
    t(fun() -> io:format(standard_io, "~p", bad) end),
    t(fun() -> io_lib:format("~q", [1]) end),
    t(fun() -> ?MODULE:f(3) end),
    t(fun() -> lists:map(fun(X) -> X + 1 end, [1, a]) end),
    t(fun() -> lists:foldl(fun(_, _) -> erlang:error(inner) end, 0, [1]) end),
    t(fun() -> case ?MODULE:f(1) of 2 -> ok end end),
    t(fun() -> V = ?MODULE:f(1), if V =:= 2 -> ok end end),
    t(fun() -> <<X:8>> = ?MODULE:f(bin), X end),
    t(fun() -> #{a := A} = ?MODULE:f(map), A end),
    t(fun() -> (?MODULE:f(fn))(1, 2) end),
    t(fun() -> try ?MODULE:f(1) of 5 -> ok after ok end end),
    t(fun() -> list_to_atom(lists:duplicate(300, $a)) end),
    t(fun() -> binary_to_atom(<<255, 255>>, utf8) end),
    t(fun() -> atom_to_list(?MODULE:f(bin)) end),
    t(fun() -> erlang:error({my, reason}, [1, 2], [{error_info, #{module => ?MODULE}}]) end),
    t(fun() -> gen_server:call(nonexistent_server, x) end),
    t(fun() -> ets:insert(no_such_tab, {a}) end),
    t(fun() -> maps:get(k, ?MODULE:f(map)) end),
    t(fun() -> string:slice(?MODULE:f(1), 1) end),
    t(fun() -> lists:nth(10, [1]) end),
    t(fun() -> lists:seq(5, 1, 1) end),
    t(fun() -> unicode:characters_to_binary(?MODULE:f(badlist)) end),
    t(fun() -> file:read_file(?MODULE:f(1)) end),
    ok.
f(1) -> 1;
f(bin) -> <<1:4>>;
f(map) -> #{};
f(fn) -> fun(X) -> X end;
f(badlist) -> [a, b].
t(F) ->
    try F() of V -> io:format("value ~p~n", [V])
    catch C:R:S ->
        io:format("~tp~n", [{C, R, [Fr || {M, _, _, _} = Fr <- S, M =/= ?MODULE, M =/= init]}]),
        io:format("~ts~n", [erl_error:format_exception(C, R, [Fr || {M, _, _, _} = Fr <- S, M =/= init])])
    end.
