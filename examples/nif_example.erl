-module(nif_example).
-export([main/0]).

%% Calls the natives registered by nif_example.c from several processes.
main() ->
    io:format("add: ~p~n", [example:add(40, 2)]),
    io:format("badarg: ~p~n", [element(1, element(2, catch example:add(x, 2)))]),
    Self = self(),
    [spawn(fun() -> Self ! {I, example:sum_to(1000000 * I)} end) || I <- lists:seq(1, 4)],
    [receive {I, R} -> io:format("sum_to ~p: ~p~n", [I, R]) end || I <- lists:seq(1, 4)].
