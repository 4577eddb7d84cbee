-module(atoms).
-export([main/0]).

%% Atoms: conversion, comparison, and quoting when printed.

main() ->
    io:format("~w ~w ~w~n", [hello, 'Hello', 'with space']),
    io:format("~p ~p ~p~n", ['a-b', '', 'don\'t']),
    io:format("~w ~w ~w~n", [true, false, undefined]),
    io:format("~w ~w~n", ['1abc', 'aB_1@x']),
    io:format("~p ~p ~p~n", ['case', 'end', 'fun']),
    io:format("~s~n", [atom_to_list(hello_world)]),
    io:format("~w~n", [list_to_atom("made" ++ "_up")]),
    io:format("~w~n", [list_to_existing_atom("hello")]),
    io:format("~w~n", [atom_to_list('Quoted Atom')]),
    io:format("eq: ~w ~w~n", [abc =:= abc, abc =:= list_to_atom("abc")]),
    io:format("order: ~w ~w ~w~n", [a < b, abc < abd, z > 'Z']),
    io:format("sorted: ~w~n", [lists:sort([pear, apple, 'Zed', fig, a, aa])]),
    io:format("is_atom: ~w ~w ~w~n", [is_atom(x), is_atom("x"), is_atom([])]),
    io:format("bool: ~w ~w~n", [is_boolean(true), is_boolean(maybe)]),
    io:format("not: ~w ~w~n", [not true, not false]),
    io:format("and/or/xor: ~w ~w ~w~n", [true and false, true or false, true xor true]),
    io:format("dispatch: ~w~n", [[shape(S) || S <- [circle, square, blob]]]),
    Many = [list_to_atom("atom_" ++ integer_to_list(I)) || I <- lists:seq(1, 2000)],
    io:format("many: ~w ~w~n", [length(lists:usort(Many)), lists:last(Many)]),
    io:format("~s ~s~n", [hello, 'Hi There']).

shape(circle) -> round;
shape(square) -> corners;
shape(_) -> unknown.
