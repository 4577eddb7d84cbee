-module(apply_tail_raise).
%% apply(M, F, [Args...]) in tail position (apply_last): when it reaches
%% erlang:error/exit/throw the stack trace starts at the applying function,
%% as on OTP; any other BIF's starts at the BIF and goes on at the caller.
-export([main/0, g/3, g2/4]).

g(M, F, X) -> apply(M, F, [X]).
g2(M, F, X, Y) -> apply(M, F, [X, Y]).

main() ->
    Cases = [{g, [erlang, error, x]}, {g, [erlang, atom_to_list, 1]}, {g, [erlang, exit, y]},
             {g, [erlang, throw, z]}, {g, [lists, nth, [5]]}, {g, [?MODULE, nope, 5]},
             {g2, [erlang, error, x, [a]]}, {g2, [erlang, element, 9, {a}]}, {g, [erlang, abs, 3]}],
    [io:format("~p~n", [try apply(?MODULE, F, A) catch C:R:S -> {C, R, S} end]) || {F, A} <- Cases].
