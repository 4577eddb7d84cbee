-module(compat_sysdbg).
-behaviour(gen_server).
-export([main/0, init/1, handle_call/3, handle_cast/2, format_status/2]).
main() ->
    {ok, P} = gen_server:start({local, compat_dbg_srv}, ?MODULE, 0, []),
    sys:trace(P, true),
    gen_server:call(P, inc), gen_server:cast(P, inc), gen_server:call(P, get),
    sys:trace(P, false),
    sys:log(P, true), gen_server:call(P, inc), {ok, Log} = sys:log(P, get), io:format("~p~n", [length(Log)]),
    sys:log(P, print), sys:log(P, false),
    sys:statistics(P, true), gen_server:call(P, inc), {ok, St} = sys:statistics(P, get),
    io:format("~p~n", [lists:sort([K || {K, _} <- St])]),
    {status, _, _, [_, _, _, _, Misc]} = sys:get_status(P),
    io:format("~p~n", [Misc]),
    sys:suspend(P), io:format("~p~n", [catch gen_server:call(P, get, 50)]), sys:resume(P),
    sys:replace_state(P, fun(S) -> S * 100 end), io:format("~p~n", [sys:get_state(P)]),
    io:format("~p~n", [catch sys:get_state(P, 0)]),
    ok.
init(N) -> {ok, N}.
handle_call(inc, _, N) -> {reply, ok, N + 1};
handle_call(get, _, N) -> {reply, N, N}.
handle_cast(inc, N) -> {noreply, N + 1}.
format_status(_, [_, S]) -> [{data, [{"State", {counter, S}}]}].
