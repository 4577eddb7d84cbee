%% Many processes talk to ports at once: each owns a `cat` and does echo
%% round trips through it, while one process writes into another's port
%% with port_command (any process may) and owners die with ports open.
-module(port_echo_conc).
-export([main/0]).

-define(PROCS, 16).
-define(ROUNDS, 200).

main() ->
    process_flag(trap_exit, true),
    Before = erlang:ports(),
    Self = self(),
    Pids = [spawn_link(fun() -> echo(Self, N) end) || N <- lists:seq(1, ?PROCS)],
    Sums = [receive {sum, P, S} -> S end || P <- Pids],
    io:format("echo sums: ~p~n", [Sums]),
    [receive {'EXIT', P, normal} -> ok end || P <- Pids],
    cross(),
    dying_owners(),
    io:format("ports left: ~p~n", [left(Before, 100)]).

%% OTP may list a port for a moment after its 'DOWN': wait for it to go.
left(Before, 0) -> erlang:ports() -- Before;
left(Before, N) ->
    case erlang:ports() -- Before of
        [] -> [];
        _ -> timer:sleep(10), left(Before, N - 1)
    end.

echo(Parent, N) ->
    P = open_port({spawn, "cat"}, [binary, {packet, 4}]),
    Sum = lists:sum([round_trip(P, N, I) || I <- lists:seq(1, ?ROUNDS)]),
    port_close(P),
    Parent ! {sum, self(), Sum}.

round_trip(P, N, I) ->
    port_command(P, integer_to_binary(N * I)),
    receive {P, {data, D}} -> binary_to_integer(D) end.

%% Writers that do not own the port: their data reaches the owner.
cross() ->
    P = open_port({spawn, "cat"}, [{line, 100}]),
    Self = self(),
    Writers = [spawn(fun() -> port_command(P, io_lib:format("w~p~n", [W])), Self ! written end)
               || W <- lists:seq(1, 20)],
    [receive written -> ok end || _ <- Writers],
    Lines = [receive {P, {data, {eol, L}}} -> L end || _ <- Writers],
    io:format("cross writers: ~p~n", [lists:sort(Lines) =:= lists:sort([lists:flatten(io_lib:format("w~p", [W])) || W <- lists:seq(1, 20)])]),
    port_close(P).

%% Owners exiting abnormally take their ports down with them; monitors see it.
dying_owners() ->
    Self = self(),
    Owners = [spawn(fun() -> Self ! {port, self(), open_port({spawn, "cat"}, [])}, receive die -> exit(died) end end)
              || _ <- lists:seq(1, 20)],
    Ports = [receive {port, O, P} -> {O, P} end || O <- Owners],
    Refs = [{monitor(port, P), P} || {_, P} <- Ports],
    [O ! die || O <- Owners],
    Reasons = [receive {'DOWN', R, port, P, Why} -> Why end || {R, P} <- Refs],
    io:format("owner deaths: ~p~n", [lists:usort(Reasons)]).
