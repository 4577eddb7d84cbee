-module(exc_catch).
-export([main/0]).

%% The old catch expression. Stack traces are not printed: only the reason
%% part of {'EXIT', {Reason, Stack}}.

main() ->
    io:format("throw: ~w~n", [catch throw(ball)]),
    io:format("value: ~w~n", [catch 1 + 2]),
    io:format("exit: ~w~n", [catch exit(gone)]),
    io:format("error tag: ~w~n", [element(1, catch error(oops))]),
    io:format("error reason: ~w~n", [reason(catch error(oops))]),
    io:format("badarith: ~w~n", [reason(catch id(1) / 0)]),
    io:format("badmatch: ~w~n", [reason(catch ({x} = id({y})))]),
    io:format("function_clause: ~w~n", [reason(catch pos(id(-1)))]),
    io:format("undef: ~w~n", [reason(catch (id(nomod)):nofun())]),
    io:format("stack is list: ~w~n", [stack_is_list(catch error(x))]),
    io:format("exit tuple: ~w~n", [catch exit({a, b})]),
    io:format("throw exit-like: ~w~n", [catch throw({'EXIT', fake})]),
    io:format("nested: ~w~n", [catch (catch throw(inner))]),
    io:format("in list: ~w~n", [[catch maybe_throw(X) || X <- [1, 2, 3, 4]]]),
    io:format("match on catch: ~w ~w~n", [classify(catch risky(1)), classify(catch risky(2))]),
    io:format("after match: ~w~n", [[classify(catch risky(N)) || N <- [1, 2, 3]]]),
    io:format("deep throw: ~w~n", [catch deep(10000)]),
    io:format("counted: ~w~n", [count_throws(100000, 0)]).

id(X) -> X.

reason({'EXIT', {Reason, Stack}}) when is_list(Stack) -> Reason;
reason(Other) -> {unexpected, Other}.

stack_is_list({'EXIT', {_, Stack}}) -> is_list(Stack).

pos(X) when X > 0 -> X.

maybe_throw(X) when X rem 2 =:= 0 -> throw({even, X});
maybe_throw(X) -> X.

risky(1) -> ok;
risky(2) -> exit(bad);
risky(3) -> error(worse).

classify({'EXIT', {R, _}}) -> {error, R};
classify({'EXIT', R}) -> {exit, R};
classify(V) -> {ok, V}.

deep(0) -> throw(bottom);
deep(N) -> 1 + deep(N - 1).

count_throws(0, Acc) -> Acc;
count_throws(N, Acc) ->
    case catch maybe_throw(N) of
        {even, _} -> count_throws(N - 1, Acc + 1);
        _ -> count_throws(N - 1, Acc)
    end.
