-module(exc_classes).
-export([main/0]).

%% try/catch of the three classes, with class and reason printed.

main() ->
    io:format("~w~n", [catch_all(fun() -> throw(ball) end)]),
    io:format("~w~n", [catch_all(fun() -> error(oops) end)]),
    io:format("~w~n", [catch_all(fun() -> exit(bye) end)]),
    io:format("~w~n", [catch_all(fun() -> throw({complex, [1, 2], "s"}) end)]),
    io:format("~w~n", [catch_all(fun() -> normal_value end)]),
    io:format("~w~n", [catch_all(fun() -> error({tagged, 42}) end)]),
    io:format("~w~n", [catch_all(fun() -> exit({shutdown, why}) end)]),
    io:format("only throw: ~w~n", [only_throw(fun() -> throw(t) end)]),
    io:format("pass through: ~w~n", [catch_all(fun() -> only_throw(fun() -> error(e) end) end)]),
    io:format("try of: ~w~n", [[try_of(X) || X <- [1, 2, 3]]]),
    io:format("default class: ~w~n", [default_class()]),
    io:format("class var: ~w~n", [[class_var(C) || C <- [error, exit, throw]]]),
    io:format("error/2: ~w~n", [catch_all(fun() -> error(with_args, [a, b]) end)]),
    io:format("raise: ~w~n", [[raise(C) || C <- [error, exit, throw]]]),
    io:format("raise badarg: ~w~n", [catch_all(fun() -> erlang:raise(bad, x, []) end)]),
    io:format("loop: ~w~n", [lists:sum([loop_catch(I) || I <- lists:seq(1, 100000)])]),
    io:format("nocatch in try: ~w~n", [nested_reason()]).

catch_all(F) ->
    try F() of
        V -> {value, V}
    catch
        Class:Reason -> {caught, Class, Reason}
    end.

only_throw(F) ->
    try F() catch throw:R -> {thrown, R} end.

%% An exception in an "of" clause is not caught by the same try;
%% no matching "of" clause is a try_clause error.
try_of(X) ->
    try
        try X * 2 of
            2 -> two;
            4 -> throw(four)
        catch
            throw:four -> inner_caught
        end
    catch
        C:R -> {outer, C, R}
    end.

default_class() ->
    try throw(plain) catch R -> {default, R} end.

class_var(C) ->
    try
        case C of
            error -> error(e);
            exit -> exit(x);
            throw -> throw(t)
        end
    catch
        error:R -> {err, R};
        exit:R -> {ex, R};
        throw:R -> {th, R}
    end.

raise(Class) ->
    try
        try throw(inner)
        catch throw:inner:St -> erlang:raise(Class, reraised, St)
        end
    catch
        C:R -> {C, R}
    end.

loop_catch(I) ->
    try
        if I rem 3 =:= 0 -> throw(I); true -> I end
    catch
        throw:V -> -V
    end.

nested_reason() ->
    try
        try error(deep)
        catch throw:_ -> wrong
        end
    catch
        error:R -> {outer, R}
    end.
