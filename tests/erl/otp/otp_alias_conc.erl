-module(otp_alias_conc).
-behaviour(gen_server).
-export([main/0, init/1, handle_call/3, handle_cast/2]).

%% Many clients call one gen_server at once (replies travel to aliases),
%% some with timeouts short enough that late replies hit inactive aliases
%% and must be dropped; clients also inspect each other with process_info.
init(N) -> {ok, N}.

handle_call({add, K}, _From, N) -> {reply, N + K, N + K};
handle_call({slow, K}, From, N) ->
    spawn(fun() -> receive after K -> gen_server:reply(From, late) end end),
    {noreply, N};
handle_call(get, _From, N) -> {reply, N, N}.

handle_cast(_, N) -> {noreply, N}.

client(S, Parent, Peers) ->
    [gen_server:call(S, {add, 1}) || _ <- lists:seq(1, 200)],
    Timeouts = length([x || _ <- lists:seq(1, 5), {'EXIT', {timeout, _}} <- [catch gen_server:call(S, {slow, 300}, 1)]]),
    [process_info(P, [message_queue_len, status, current_function, memory]) || P <- Peers],
    receive after 500 -> ok end,
    Stray = flush(),
    Parent ! {done, self(), Timeouts, Stray}.

flush() -> receive M -> [M | flush()] after 0 -> [] end.

main() ->
    {ok, S} = gen_server:start(?MODULE, 0, []),
    Self = self(),
    N = 16,
    Ps = [spawn(fun() -> receive {peers, Peers} -> client(S, Self, Peers) end end) || _ <- lists:seq(1, N)],
    [P ! {peers, Ps} || P <- Ps],
    Results = [receive {done, P, T, Stray} -> {T, Stray} end || P <- Ps],
    io:format("timeouts ~p~n", [lists:usort([T || {T, _} <- Results])]),
    io:format("stray replies ~p~n", [lists:append([St || {_, St} <- Results])]),
    io:format("total ~p~n", [gen_server:call(S, get)]),
    Aliases = [alias() || _ <- lists:seq(1, 100)],
    {Dead, Live} = lists:split(50, Aliases),
    [unalias(A) || A <- Dead],
    [spawn(fun() -> [A ! {hit, A} || A <- Aliases] end) || _ <- lists:seq(1, 4)],
    receive after 100 -> ok end,
    Got = flush(),
    io:format("through aliases ~p, all active ~p~n",
              [length(Got), lists:all(fun({hit, A}) -> lists:member(A, Live) end, Got)]),
    gen_server:stop(S).
