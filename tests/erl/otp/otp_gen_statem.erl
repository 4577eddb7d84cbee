-module(otp_gen_statem).
-behaviour(gen_statem).
-export([main/0]).
-export([init/1, callback_mode/0, locked/3, open/3, terminate/3, code_change/4]).

%% A code lock driven through gen_statem: state functions, state timeouts,
%% postponed events, calls, casts and info messages.
init(Code) -> {ok, locked, #{code => Code, buttons => [], log => []}}.

callback_mode() -> [state_functions, state_enter].

locked(enter, _Old, Data) -> {keep_state, Data};
locked(cast, {button, B}, Data = #{code := Code, buttons := Bs}) ->
    case lists:reverse([B | Bs]) of
        Code -> {next_state, open, Data#{buttons := []}};
        Partial when length(Partial) < length(Code) -> {keep_state, Data#{buttons := [B | Bs]}};
        _ -> {keep_state, Data#{buttons := []}}
    end;
locked({call, From}, state, Data) -> {keep_state, Data, [{reply, From, locked}]};
locked({call, From}, log, Data = #{log := L}) -> {keep_state, Data, [{reply, From, lists:reverse(L)}]};
locked(info, Msg, Data = #{log := L}) -> {keep_state, Data#{log := [{locked, Msg} | L]}};
locked({call, _From}, later, Data) -> {keep_state, Data, [postpone]}.

open(enter, _Old, Data) -> {keep_state, Data, [{state_timeout, 40, lock}]};
open(state_timeout, lock, Data = #{log := L}) -> {next_state, locked, Data#{log := [relocked | L]}};
open({call, From}, state, Data) -> {keep_state, Data, [{reply, From, open}]};
open({call, From}, later, Data) -> {keep_state, Data, [{reply, From, served_after_postpone}]};
open(cast, {button, _}, Data) -> {keep_state, Data};
open(info, Msg, Data = #{log := L}) -> {keep_state, Data#{log := [{open, Msg} | L]}}.

terminate(Reason, State, _Data) -> io:format("terminate ~p in ~p~n", [Reason, State]).
code_change(_Old, State, Data, _Extra) -> {ok, State, Data}.

main() ->
    {ok, P} = gen_statem:start_link(?MODULE, [1, 2, 3], []),
    io:format("~p~n", [gen_statem:call(P, state)]),
    [gen_statem:cast(P, {button, B}) || B <- [1, 2, 3]],
    io:format("~p~n", [gen_statem:call(P, state)]),
    P ! ping,
    receive after 100 -> ok end,
    io:format("~p~n", [gen_statem:call(P, state)]),
    Self = self(),
    spawn(fun() -> Self ! {later, gen_statem:call(P, later)} end),
    receive after 20 -> ok end,
    [gen_statem:cast(P, {button, B}) || B <- [1, 2, 3]],
    receive {later, R} -> io:format("later ~p~n", [R]) end,
    P ! pong,
    io:format("~p~n", [catch gen_statem:call(P, state, 1000)]),
    receive after 100 -> ok end,
    io:format("log ~p~n", [gen_statem:call(P, log)]),
    io:format("timeout ~p~n", [element(1, element(2, catch gen_statem:call(P, later, 10)))]),
    {state, S, _} = sys_state(P),
    io:format("sys state ~p~n", [S]),
    ok = gen_statem:stop(P),
    io:format("alive ~p~n", [is_process_alive(P)]).

sys_state(P) -> {S, D} = sys:get_state(P), {state, S, D}.
