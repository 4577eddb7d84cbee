-module(otp_proc_lib_sys).
-export([main/0, init_server/1, loop/1, system_continue/3, system_terminate/4, system_get_state/1,
         system_replace_state/2]).

%% proc_lib processes with OTP's sys protocol, and what of OTP's timer module runs
%% without timer_server.
init_server(Parent) ->
    proc_lib:init_ack(Parent, {ok, self()}),
    loop({Parent, 0}).

loop({Parent, N} = S) ->
    receive
        {system, From, Req} -> sys:handle_system_msg(Req, From, Parent, ?MODULE, [], S);
        {add, K} -> loop({Parent, N + K});
        {get, From} -> From ! {value, N}, loop(S)
    end.

system_continue(_Parent, _Debug, S) -> loop(S).
system_terminate(Reason, _Parent, _Debug, _S) -> exit(Reason).
system_get_state({_, N}) -> {ok, N}.
system_replace_state(F, {P, N}) -> N2 = F(N), {ok, N2, {P, N2}}.

value(P) -> P ! {get, self()}, receive {value, V} -> V end.

main() ->
    {ok, P} = proc_lib:start_link(?MODULE, init_server, [self()]),
    P ! {add, 5},
    io:format("get ~p~n", [value(P)]),
    io:format("sys state ~p~n", [sys:get_state(P)]),
    io:format("replace ~p~n", [sys:replace_state(P, fun(N) -> N * 10 end)]),
    ok = sys:suspend(P),
    P ! {add, 1},
    io:format("suspended state ~p~n", [sys:get_state(P)]),
    ok = sys:resume(P),
    io:format("resumed ~p~n", [value(P)]),
    io:format("initial call ~p~n", [proc_lib:initial_call(P)]),
    io:format("translated ~p~n", [proc_lib:translate_initial_call(P)]),
    {Q, M} = proc_lib:spawn_opt(fun() -> receive X -> exit(X) end end, [monitor]),
    Q ! {shutdown, bye},
    receive {'DOWN', M, process, Q, R} -> io:format("spawn_opt down ~p~n", [R]) end,
    io:format("start timeout ~p~n", [proc_lib:start(?MODULE, init_server, [self()], 1000)  =/= error]),
    unlink(P),
    ok = proc_lib:stop(P),
    io:format("stopped ~p~n", [is_process_alive(P)]),
    {ok, _} = timer:send_after(30, self(), tick),
    {ok, TRef} = timer:send_after(10, self(), cancelled),
    {ok, cancel} = timer:cancel(TRef),
    receive tick -> io:format("tick~n") end,
    %% apply_after and send_interval need timer_server under kernel_sup: not before OTP boots
    io:format("tc ~p~n", [element(2, timer:tc(lists, seq, [1, 3]))]),
    io:format("sleep ~p~n", [timer:sleep(5)]),
    io:format("stray ~p~n", [flush()]).

flush() -> receive M -> [M | flush()] after 30 -> [] end.
