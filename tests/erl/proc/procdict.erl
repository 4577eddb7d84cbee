-module(procdict).
-export([main/0]).

%% The process dictionary: put/get/erase and friends.

main() ->
    io:format("empty get: ~w~n", [get(missing)]),
    io:format("put new: ~w~n", [put(count, 1)]),
    io:format("put old: ~w~n", [put(count, 2)]),
    io:format("get: ~w~n", [get(count)]),
    put({tuple, key}, [1, 2, 3]),
    put("sk", value),
    put(42, forty_two),
    io:format("tuple key: ~w~n", [get({tuple, key})]),
    io:format("string key: ~w~n", [get("sk")]),
    io:format("int key: ~w~n", [get(42)]),
    io:format("all: ~p~n", [lists:sort(get())]),
    io:format("keys: ~p~n", [lists:sort(get_keys())]),
    put(a, same), put(b, same), put(c, other),
    io:format("keys of same: ~w~n", [lists:sort(get_keys(same))]),
    io:format("erase: ~w~n", [erase(count)]),
    io:format("erase again: ~w~n", [erase(count)]),
    io:format("after erase: ~w~n", [get(count)]),
    counter_loop(100000),
    io:format("counter: ~w~n", [get(counter)]),
    memo_fib(90),
    io:format("memo fib: ~w~n", [get({fib, 90})]),
    io:format("size: ~w~n", [length(get())]),
    Old = erase(),
    io:format("erase all: ~w ~w~n", [length(Old), get()]),
    io:format("big value: ~w~n", [begin put(big, lists:seq(1, 10000)),
                                      lists:sum(get(big)) end]),
    io:format("overwrite: ~w~n", [[put(k, N) || N <- [1, 2, 3]]]).

counter_loop(0) -> ok;
counter_loop(N) ->
    case get(counter) of
        undefined -> put(counter, 1);
        C -> put(counter, C + 1)
    end,
    counter_loop(N - 1).

memo_fib(N) when N < 2 -> N;
memo_fib(N) ->
    case get({fib, N}) of
        undefined ->
            V = memo_fib(N - 1) + memo_fib(N - 2),
            put({fib, N}, V),
            V;
        V -> V
    end.
