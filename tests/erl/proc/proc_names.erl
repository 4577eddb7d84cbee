-module(proc_names).
-export([main/0]).

main() ->
    Self = self(),
    P = spawn(fun() -> receive {From, X} -> From ! {reply, X * 2} end, receive stop -> ok end end),
    io:format("register: ~p~n", [register(doubler, P)]),
    io:format("whereis: ~p~n", [whereis(doubler) =:= P]),
    doubler ! {Self, 21},
    receive {reply, V} -> io:format("reply: ~p~n", [V]) end,
    io:format("send to unknown: ~p~n", [reason(catch nobody ! hello)]),
    io:format("register twice: ~p~n", [reason(catch register(doubler, spawn(fun() -> ok end)))]),
    io:format("register undefined: ~p~n", [reason(catch register(undefined, P))]),
    P ! stop,
    wait_dead(P),
    io:format("gone: ~p~n", [whereis(doubler)]),
    Fwd = spawn(fun F() -> receive stop -> ok; M -> Self ! {fwd, M}, F() end end),
    register(me, Fwd),
    io:format("registered me: ~p~n", [lists:member(me, registered())]),
    {me, node()} ! via_tuple,
    receive {fwd, via_tuple} -> io:format("via tuple~n") end,
    io:format("unregister: ~p~n", [unregister(me)]),
    io:format("unregister again: ~p~n", [reason(catch unregister(me))]),
    Fwd ! stop,
    io:format("whereis none: ~p~n", [whereis(me)]),
    io:format("bad send: ~p~n", [reason(catch 42 ! x)]).

reason({'EXIT', {R, _Stack}}) -> R;
reason(Other) -> Other.

wait_dead(P) ->
    case is_process_alive(P) of
        true -> receive after 1 -> wait_dead(P) end;
        false -> ok
    end.
