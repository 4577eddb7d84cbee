-module(exc_after).
-export([main/0]).

%% try ... after, nested try, rethrow, and the order of side effects.

main() ->
    io:format("1: ~w~n", [after_normal()]),
    io:format("2: ~w~n", [catch after_throw()]),
    io:format("3: ~w~n", [after_catch()]),
    io:format("4: ~w~n", [after_in_after()]),
    io:format("5: ~w~n", [rethrow()]),
    io:format("6: ~w~n", [catch after_replaces()]),
    io:format("7: ~w~n", [nested_three()]),
    io:format("8: ~w~n", [unwind(5)]),
    io:format("9: ~w~n", [get_log()]),
    io:format("10: ~w~n", [loop_after(1000, 0)]),
    io:format("11: ~w~n", [catch_in_after()]),
    io:format("12: ~w~n", [top_frame()]).

log(X) -> put(log, [X | get_log_raw()]).
get_log_raw() -> case get(log) of undefined -> []; L -> L end.
get_log() -> lists:reverse(get_log_raw()).

after_normal() ->
    try
        io:format("  body~n"),
        value
    after
        io:format("  after~n")
    end.

after_throw() ->
    try
        throw(t)
    after
        io:format("  after runs on throw~n")
    end.

after_catch() ->
    try
        error(e)
    catch
        error:e -> io:format("  catch~n"), caught
    after
        io:format("  after catch~n")
    end.

after_in_after() ->
    try
        try inner_value
        after io:format("  inner after~n")
        end
    after
        io:format("  outer after~n")
    end.

rethrow() ->
    try
        try error(first)
        catch error:R:St -> erlang:raise(error, {again, R}, St)
        end
    catch
        error:R2 -> R2
    end.

%% An exception raised in the after block replaces the original one.
after_replaces() ->
    try
        throw(original)
    after
        throw(replacement)
    end.

nested_three() ->
    try
        try
            try throw(level3)
            catch throw:X -> throw({level2, X})
            end
        catch throw:Y -> exit({level1, Y})
        end
    catch exit:Z -> {top, Z}
    end.

%% Each level records its exit on the way out of a deep throw.
unwind(0) -> throw(bottom);
unwind(N) when N =:= 5 ->
    try unwind(N - 1) catch throw:bottom -> {caught_at, N} after log({out, N}) end;
unwind(N) ->
    try unwind(N - 1) after log({out, N}) end.

loop_after(0, Acc) -> Acc;
loop_after(N, Acc) ->
    Acc2 = try N rem 7 after ok end,
    loop_after(N - 1, Acc + Acc2).

catch_in_after() ->
    try
        done
    after
        X = (catch error(inside_after)),
        io:format("  after caught ~w~n", [element(1, X)])
    end.

%% The top frame of a stack trace names the function that raised.
top_frame() ->
    try thrower(1) catch error:boom:St -> [{M, F, A, _} | _] = St, {M, F, A} end.

thrower(X) -> error(boom), X.
