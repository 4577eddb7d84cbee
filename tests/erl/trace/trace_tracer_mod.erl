%% Tracer modules as OTP 25 has them: OTP's own erl_tracer with a process or
%% port as state is the plain tracer ({tracer, erl_tracer, T} and
%% {meta, erl_tracer, T}); a module without NIFs is refused with badarg, one
%% that is not loaded raises undef; {meta, Port} sends meta trace to a port.
-module(trace_tracer_mod).
-export([main/0, f/1, enabled/3, trace/5]).

enabled(_, _, _) -> trace.
trace(_, _, _, _, _) -> ok.

f(X) -> X + 1.

collector(Acc) ->
    receive
        {done, From} -> From ! {msgs, lists:reverse(Acc)};
        M -> collector([M | Acc])
    end.

msgs(T) ->
    T ! {done, self()},
    receive {msgs, L} -> L end.

worker() -> receive {go, N} -> ?MODULE:f(N), worker(); stop -> ok end.

show(Tag, Msgs, Names) -> [io:format("~p ~p~n", [Tag, anon(M, Names)]) || M <- Msgs].

anon(T, Names) when is_tuple(T) -> list_to_tuple([anon(E, Names) || E <- tuple_to_list(T)]);
anon(L, Names) when is_list(L) -> [anon(E, Names) || E <- L];
anon(E, Names) ->
    case lists:keyfind(E, 1, Names) of
        {_, N} -> N;
        false when is_pid(E) -> pid;
        false when is_port(E) -> port;
        false -> E
    end.

err(F) ->
    try F() of V -> {ok, V} catch C:R -> {C, R} end.

main() ->
    T = spawn(fun() -> collector([]) end),
    W = spawn(fun worker/0),
    Names = [{T, tracer}, {W, worker}, {self(), main}],
    io:format("tracer ~p~n", [erlang:trace(W, true, [call, {tracer, erl_tracer, T}])]),
    io:format("info ~p~n", [anon(erlang:trace_info(W, tracer), Names)]),
    io:format("flags ~p~n", [erlang:trace_info(W, flags)]),
    io:format("local ~p~n", [erlang:trace_pattern({?MODULE, f, 1}, true, [local])]),
    W ! {go, 1},
    timer:sleep(50),
    show(call, msgs(T), Names),
    io:format("off ~p~n", [erlang:trace(W, false, [call])]),
    io:format("local off ~p~n", [erlang:trace_pattern({?MODULE, f, 1}, false, [local])]),
    %% meta through erl_tracer
    T2 = spawn(fun() -> collector([]) end),
    Names2 = [{T2, tracer2} | Names],
    io:format("meta ~p~n", [erlang:trace_pattern({?MODULE, f, 1}, [{'_', [], [{return_trace}]}],
                                                 [{meta, erl_tracer, T2}])]),
    io:format("meta info ~p~n", [anon(erlang:trace_info({?MODULE, f, 1}, meta), Names2)]),
    W ! {go, 2},
    timer:sleep(50),
    [io:format("meta ~p~n", [anon(setelement(tuple_size(M), M, stamp), Names2)]) || M <- msgs(T2)],
    erlang:trace_pattern({?MODULE, f, 1}, false, [meta]),
    %% meta trace to a port: each message is term_to_binary output, framed by {packet, 4}
    Port = open_port({spawn, "cat"}, [binary, {packet, 4}]),
    Names3 = [{Port, port} | Names2],
    io:format("meta port ~p~n", [erlang:trace_pattern({?MODULE, f, 1}, true, [{meta, Port}])]),
    io:format("meta port info ~p~n", [anon(erlang:trace_info({?MODULE, f, 1}, meta), Names3)]),
    W ! {go, 3},
    receive
        {Port, {data, Bin}} ->
            M = binary_to_term(Bin),
            io:format("from port ~p~n", [anon(setelement(tuple_size(M), M, stamp), Names3)])
    after 2000 -> io:format("nothing from the port~n")
    end,
    erlang:trace_pattern({?MODULE, f, 1}, false, [meta]),
    port_close(Port),
    %% other tracer modules
    W2 = spawn(fun worker/0),
    io:format("erlang module ~p~n", [err(fun() -> erlang:trace(W2, true, [call, {tracer, ?MODULE, T}]) end)]),
    io:format("not loaded ~p~n", [err(fun() -> erlang:trace(W2, true, [call, {tracer, no_such_tracer_mod, T}]) end)]),
    io:format("bad state ~p~n", [err(fun() -> erlang:trace(W2, true, [call, {tracer, erl_tracer, foo}]) end)]),
    io:format("bad module ~p~n", [err(fun() -> erlang:trace(W2, true, [call, {tracer, "m", T}]) end)]),
    io:format("meta erlang module ~p~n",
              [err(fun() -> erlang:trace_pattern({?MODULE, f, 1}, true, [{meta, ?MODULE, T}]) end)]),
    io:format("untraced ~p~n", [erlang:trace_info(W2, flags)]),
    W ! stop,
    W2 ! stop,
    ok.
