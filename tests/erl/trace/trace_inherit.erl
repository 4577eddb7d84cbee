%% Flag inheritance: set_on_spawn, set_on_first_spawn, set_on_link,
%% set_on_first_link, and what trace_info reports for parents and children.
-module(trace_inherit).
-export([main/0]).

flags(P) ->
    case erlang:trace_info(P, flags) of
        {flags, F} -> lists:sort(F);
        Other -> Other
    end.

tracer(P, Self) ->
    case erlang:trace_info(P, tracer) of
        {tracer, Self} -> {tracer, me};
        Other -> Other
    end.

%% Runs Body in a fresh process with Flags; returns the flags of the parent
%% afterwards and of the processes it reported.
probe(Flags, Body) ->
    Self = self(),
    P = spawn(fun() -> receive go -> ok end, Kids = Body(), Self ! {kids, Kids}, receive stop -> ok end end),
    erlang:trace(P, true, Flags),
    P ! go,
    Kids = receive {kids, K} -> K end,
    R = {flags(P), [{flags(K), tracer(K, Self)} || K <- Kids]},
    [exit(K, kill) || K <- Kids],
    exit(P, kill),
    flush(),
    R.

flush() -> receive _ -> flush() after 50 -> ok end.

idle() -> receive stop -> ok end.

main() ->
    Sp = fun() -> [spawn(fun idle/0) || _ <- [1, 2]] end,
    SpL = fun() -> [spawn_link(fun idle/0) || _ <- [1, 2]] end,
    Grand = fun() ->
                    Self = self(),
                    C = spawn(fun() -> G = spawn(fun idle/0), Self ! {g, G}, idle() end),
                    G = receive {g, X} -> X end,
                    [C, G]
            end,
    Ln = fun() ->
                 Other = spawn(fun idle/0),
                 link(Other),
                 [Other]
         end,
    io:format("on_spawn ~p~n", [probe([send, set_on_spawn], Sp)]),
    io:format("on_spawn grand ~p~n", [probe([send, set_on_spawn], Grand)]),
    io:format("first_spawn ~p~n", [probe([send, set_on_first_spawn], Sp)]),
    io:format("first_spawn grand ~p~n", [probe([send, set_on_first_spawn], Grand)]),
    io:format("on_link plain ~p~n", [probe([send, set_on_link], Sp)]),
    io:format("on_link ~p~n", [probe([send, set_on_link], SpL)]),
    io:format("first_link ~p~n", [probe([send, set_on_first_link], SpL)]),
    io:format("link/1 ~p~n", [probe(['receive', set_on_link], Ln)]),
    io:format("both ~p~n", [probe([procs, set_on_spawn, set_on_first_link], SpL)]),
    ok.
