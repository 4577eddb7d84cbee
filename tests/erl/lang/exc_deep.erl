-module(exc_deep).
-export([main/0]).

%% Exceptions crossing many frames, and many nested handlers.

main() ->
    io:format("error from 100k deep: ~w~n", [catch_deep(fun() -> down(100000) end)]),
    io:format("nested handlers: ~w~n", [nested(100000)]),
    io:format("rethrow chain: ~w~n", [catch_deep(fun() -> chain(1000) end)]),
    AfterChain = catch_deep(fun() -> after_chain(10000) end),
    io:format("after chain: ~w ~w~n", [AfterChain, get(afters)]),
    io:format("stack ok after: ~w~n", [length(build(100000))]),
    io:format("catch in loop: ~w~n", [loop(200000, 0)]),
    io:format("deep throw value: ~w~n", [catch throw_at(50000, 50000)]).

catch_deep(F) ->
    try F() catch Class:Reason -> {Class, Reason} end.

down(0) -> error(bottom_reached);
down(N) -> 1 + down(N - 1).

%% Each level has its own handler; only the innermost one catches.
nested(0) -> throw(deepest);
nested(N) ->
    try nested(N - 1) of
        V -> V
    catch
        throw:deepest -> {caught_at, N};
        throw:Other -> Other
    end.

%% Each level catches and rethrows a wrapped reason, keeping a counter.
chain(0) -> throw(0);
chain(N) ->
    try chain(N - 1) catch throw:C -> throw(C + 1) end.

after_chain(0) -> exit(done);
after_chain(N) ->
    try after_chain(N - 1)
    after
        put(afters, case get(afters) of undefined -> 1; A -> A + 1 end)
    end.

build(0) -> [];
build(N) -> [N | build(N - 1)].

loop(0, Acc) -> Acc;
loop(N, Acc) ->
    R = try
            case N rem 4 of
                0 -> throw(t);
                1 -> error(e);
                2 -> exit(x);
                3 -> ok
            end
        catch
            throw:t -> 1;
            error:e -> 2;
            exit:x -> 3
        end,
    loop(N - 1, Acc + case R of ok -> 0; _ -> R end).

throw_at(Target, Target) -> throw({thrown_at, Target});
throw_at(Target, N) -> [N | throw_at(Target, N + 1)].
