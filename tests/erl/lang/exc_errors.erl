-module(exc_errors).
-export([main/0, one_arg/1]).

%% The reasons of the errors raised by the VM itself and by BIFs.

main() ->
    T = fun(Name, F) -> io:format("~s: ~p~n", [Name, reason(F)]) end,
    T("badmatch", fun() -> {a, _} = id({b, c}) end),
    T("badmatch list", fun() -> [_] = id([1, 2]) end),
    T("case_clause", fun() -> case id(3) of 1 -> one; 2 -> two end end),
    T("if_clause", fun() -> if_clause(id(5)) end),
    T("function_clause", fun() -> one_arg(id(not_a_number)) end),
    T("fun clause", fun() -> (fun(1) -> ok end)(id(2)) end),
    T("badarith add", fun() -> id(1) + id(a) end),
    T("badarith div", fun() -> id(1) div id(0) end),
    T("badarith rem", fun() -> id(7) rem id(0) end),
    T("badarith fdiv", fun() -> id(1) / id(0) end),
    T("badarith band", fun() -> id(1.5) band 1 end),
    T("badarith neg", fun() -> -id(foo) end),
    T("badarg element", fun() -> element(id(5), {a}) end),
    T("badarg element 0", fun() -> element(id(0), {a}) end),
    T("badarg hd", fun() -> hd(id([])) end),
    T("badarg tl", fun() -> tl(id(x)) end),
    T("badarg length", fun() -> length(id([1 | 2])) end),
    T("badarg atom_to_list", fun() -> atom_to_list(id("s")) end),
    T("badarg list_to_integer", fun() -> list_to_integer(id("12x")) end),
    T("badarg list_to_atom", fun() -> list_to_atom(id(abc)) end),
    T("badarg tuple_size", fun() -> tuple_size(id([])) end),
    T("badarg setelement", fun() -> setelement(id(3), {a, b}, c) end),
    T("badarg abs", fun() -> abs(id(x)) end),
    T("badarg integer_to_list", fun() -> integer_to_list(id(1.0)) end),
    T("badarg ++", fun() -> id(a) ++ [1] end),
    T("badarg --", fun() -> [1] -- id(b) end),
    T("badarg apply", fun() -> apply(id(1), id(2), []) end),
    T("badfun", fun() -> (id(not_a_fun))(1) end),
    T("badarity", fun() -> element(1, reason_of_badarity()) end),
    T("undef module", fun() -> (id(no_such_module)):f() end),
    T("undef function", fun() -> (id(?MODULE)):no_such_function(1) end),
    T("undef lists", fun() -> lists:no_such_function() end),
    T("try_clause", fun() -> try id(1) of 2 -> ok catch _:_ -> caught end end),
    T("error tuple", fun() -> error({my, reason}) end),
    T("list_to_existing_atom", fun() -> list_to_existing_atom(id("xq_never_seen_zz")) end),
    T("lists:nth", fun() -> lists:nth(id(5), [a]) end),
    T("lists:seq", fun() -> lists:seq(id(a), 3) end),
    T("no error", fun() -> fine end).

reason(F) ->
    try F() of
        V -> {no_error, V}
    catch
        error:R -> R
    end.

id(X) -> X.

one_arg(X) when is_integer(X) -> X.

if_clause(X) ->
    if X > 10 -> big; X < 0 -> negative end.

reason_of_badarity() ->
    try (id(fun(A, B) -> A + B end))(1) catch error:{badarity, _} -> {badarity} end.
