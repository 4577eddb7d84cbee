%% seq_trace through gen_server:call as OTP 25: the call, and the reply the
%% server sends to the caller's alias, carry the token and are traced (the
%% reply's send with the alias as addressee).
-module(trace_seq_gen_conc).
-behaviour(gen_server).
-export([main/0, init/1, handle_call/3, handle_cast/2]).
init(x) -> {ok, 0}.
handle_call(get, _From, S) -> {reply, {S, seq_trace:get_token()}, S + 1}.
handle_cast(_, S) -> {noreply, S}.
main() ->
    Self = self(),
    C = spawn(fun() -> coll([]) end),
    {ok, G} = gen_server:start(?MODULE, x, []),
    seq_trace:set_system_tracer(C),
    seq_trace:set_token(label, 3),
    seq_trace:set_token(send, true),
    seq_trace:set_token('receive', true),
    R1 = gen_server:call(G, get),
    T1 = seq_trace:get_token(),
    R2 = gen_server:call(G, get),
    seq_trace:set_token([]),
    C ! {dump, self()},
    Ms = receive {msgs, M} -> M end,
    N = #{Self => main, G => srv, C => coll},
    io:format("~p~n", [name([R1, T1, R2], N)]),
    [io:format("~p~n", [name(X, N)]) || X <- Ms].
coll(Acc) -> receive {dump, P} -> P ! {msgs, lists:reverse(Acc)}; M -> coll([M | Acc]) end.
name(T, N) when is_pid(T) -> maps:get(T, N, other);
name(T, _) when is_reference(T) -> ref;
name(T, N) when is_tuple(T) -> list_to_tuple(name(tuple_to_list(T), N));
name([H | T], N) -> [name(H, N) | name(T, N)];
name(T, _) -> T.
