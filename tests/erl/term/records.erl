-module(records).
-export([main/0]).

%% Records are tuples tagged with the record name.

-record(point, {x = 0, y = 0}).
-record(person, {name, age = 0, tags = [] :: list()}).

main() ->
    P = #point{x = 3},
    io:format("~w~n", [P]),
    io:format("x=~w y=~w~n", [P#point.x, P#point.y]),
    P2 = P#point{y = 4},
    io:format("updated: ~w~n", [P2]),
    io:format("dist2: ~w~n", [dist2(P2)]),
    Bob = #person{name = "bob", age = 42},
    io:format("~p~n", [Bob]),
    io:format("older: ~p~n", [birthday(Bob)]),
    io:format("is_record: ~w ~w ~w~n",
              [is_record(Bob, person), is_record(P, person), is_record({x}, point)]),
    io:format("is_record/3: ~w~n", [is_record(P, point, 3)]),
    io:format("field index: ~w ~w~n", [#person.age, #point.y]),
    io:format("info: ~w ~w~n", [record_info(size, person), record_info(fields, point)]),
    io:format("guard: ~w ~w~n", [kind(P), kind(Bob)]),
    io:format("match: ~w~n", [name_of(Bob)]),
    People = [#person{name = N, age = A} || {N, A} <- [{"a", 30}, {"b", 20}, {"c", 40}]],
    Sorted = lists:keysort(#person.age, People),
    io:format("sorted: ~p~n", [[N || #person{name = N} <- Sorted]]),
    Tagged = lists:foldl(fun(T, Acc) -> Acc#person{tags = [T | Acc#person.tags]} end,
                         Bob, [x, y, z]),
    io:format("tags: ~w~n", [Tagged#person.tags]),
    io:format("element: ~w~n", [element(1, P)]).

dist2(#point{x = X, y = Y}) -> X * X + Y * Y.

birthday(#person{age = A} = P) -> P#person{age = A + 1}.

kind(R) when is_record(R, point) -> point;
kind(R) when is_record(R, person) -> person.

name_of(#person{name = Name}) -> list_to_atom(Name).
