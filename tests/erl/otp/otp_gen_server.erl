-module(otp_gen_server).
-behaviour(gen_server).
-export([main/0]).
-export([init/1, handle_call/3, handle_cast/2, handle_info/2, terminate/2, code_change/3]).

%% A counter server driven through gen_server's whole client API.
init(N) when is_integer(N) -> {ok, #{n => N, log => []}};
init({timeout, N}) -> {ok, #{n => N, log => []}, 50};
init(bad) -> {stop, {shutdown, bad_init}};
init(ignore) -> ignore.

handle_call(get, _From, S = #{n := N}) -> {reply, N, S};
handle_call({add, K}, _From, S = #{n := N}) -> {reply, ok, S#{n := N + K}};
handle_call(log, _From, S = #{log := L}) -> {reply, lists:reverse(L), S};
handle_call(slow, From, S) ->
    spawn(fun() -> receive after 20 -> gen_server:reply(From, slow_done) end end),
    {noreply, S};
handle_call(sleep, _From, S) -> receive after 200 -> ok end, {reply, late, S};
handle_call(with_timeout, _From, S) -> {reply, armed, S, 30};
handle_call(stop_me, _From, S) -> {stop, normal, stopping, S};
handle_call(quit, _From, S) -> {stop, {shutdown, quit}, S}.

handle_cast({add, K}, S = #{n := N}) -> {noreply, S#{n := N + K}};
handle_cast(stop, S) -> {stop, normal, S}.

handle_info(timeout, S = #{log := L}) -> {noreply, S#{log := [timeout | L]}};
handle_info(Msg, S = #{log := L}) -> {noreply, S#{log := [Msg | L]}}.

terminate(Reason, _S) -> io:format("terminate ~p~n", [Reason]).

code_change(_Old, S, _Extra) -> {ok, S}.

main() ->
    process_flag(trap_exit, true),
    {ok, P} = gen_server:start_link(?MODULE, 10, []),
    io:format("get ~p~n", [gen_server:call(P, get)]),
    ok = gen_server:call(P, {add, 5}),
    gen_server:cast(P, {add, 2}),
    io:format("get ~p~n", [gen_server:call(P, get, infinity)]),
    P ! hello,
    P ! {some, info},
    io:format("log ~p~n", [gen_server:call(P, log)]),
    io:format("slow ~p~n", [gen_server:call(P, slow)]),
    {'EXIT', {timeout, {gen_server, call, [P, sleep, 50]}}} = (catch gen_server:call(P, sleep, 50)),
    receive after 250 -> ok end,
    io:format("stray ~p~n", [flush()]),
    io:format("armed ~p~n", [gen_server:call(P, with_timeout)]),
    receive after 80 -> ok end,
    io:format("log ~p~n", [gen_server:call(P, log)]),
    {ok, Reg} = gen_server:start({local, counter}, ?MODULE, 1, []),
    io:format("reg ~p ~p~n", [Reg =:= whereis(counter), gen_server:call(counter, get)]),
    ok = gen_server:stop(counter),
    io:format("after stop ~p~n", [whereis(counter)]),
    io:format("noproc ~p~n", [catch gen_server:call(counter, get)]),
    {ok, T} = gen_server:start(?MODULE, {timeout, 3}, []),
    receive after 100 -> ok end,
    io:format("init timeout ~p~n", [gen_server:call(T, log)]),
    io:format("stop_me ~p~n", [gen_server:call(T, stop_me)]),
    io:format("bad init ~p~n", [gen_server:start(?MODULE, bad, [])]),
    io:format("ignore ~p~n", [gen_server:start(?MODULE, ignore, [])]),
    gen_server:cast(P, stop),
    receive {'EXIT', P, R} -> io:format("exit ~p~n", [R]) end,
    {ok, Q} = gen_server:start(?MODULE, 0, []),
    M = monitor(process, Q),
    {'EXIT', {QR, {gen_server, call, [Q, quit]}}} = (catch gen_server:call(Q, quit)),
    io:format("quit ~p~n", [QR]),
    receive {'DOWN', M, process, Q, Why} -> io:format("down ~p~n", [Why]) end,
    io:format("multi ~p~n", [multi()]),
    ok.

multi() ->
    {ok, S} = gen_server:start(?MODULE, 0, []),
    Self = self(),
    Ps = [spawn(fun() -> [gen_server:call(S, {add, 1}) || _ <- lists:seq(1, 100)], Self ! done end)
          || _ <- lists:seq(1, 8)],
    [receive done -> ok end || _ <- Ps],
    N = gen_server:call(S, get),
    gen_server:stop(S),
    N.

flush() -> receive M -> [M | flush()] after 0 -> [] end.
