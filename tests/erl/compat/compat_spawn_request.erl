-module(compat_spawn_request).
%% erlang:spawn_request/1..5 and spawn_request_abandon/1 on the local node.
-export([main/0, child/1]).

child(Parent) -> Parent ! {child, self()}, receive stop -> done end.

t(Name, F) ->
    R = try F() catch C:E:St -> {C, E, [I || {erlang, _, _, I} <- St]} end,
    io:format("~p: ~p~n", [Name, R]).

flush() -> receive M -> [M | flush()] after 50 -> [] end.

main() ->
    S = self(),
    t(fun0, fun() -> R = spawn_request(fun() -> ok end),
                     receive {spawn_reply, R, ok, P} -> is_pid(P) end end),
    t(mfa, fun() -> R = spawn_request(?MODULE, child, [S]),
                    receive {spawn_reply, R, ok, P} -> receive {child, P} -> P ! stop, ok end end end),
    t(monitor, fun() -> R = spawn_request(fun() -> exit(bye) end, [monitor]),
                        A = receive {spawn_reply, R, ok, P} -> is_pid(P) end,
                        B = receive {'DOWN', R, process, _, Why} -> Why end,
                        {A, B} end),
    t(link, fun() -> process_flag(trap_exit, true),
                     R = spawn_request(fun() -> exit(linked) end, [link]),
                     receive {spawn_reply, R, ok, P} -> receive {'EXIT', P, W} -> W end end end),
    t(tag, fun() -> R = spawn_request(fun() -> ok end, [{reply_tag, mine}]),
                    receive {mine, R, ok, _} -> tagged end end),
    t(reply_no, fun() -> _ = spawn_request(fun() -> ok end, [{reply, no}]), flush() end),
    t(error_only, fun() -> _ = spawn_request(fun() -> ok end, [{reply, error_only}]), flush() end),
    t(success_only, fun() -> R = spawn_request(fun() -> ok end, [{reply, success_only}]),
                             receive {spawn_reply, R, ok, _} -> got end end),
    t(node5, fun() -> R = spawn_request(node(), fun() -> ok end, [{reply_tag, n}]),
                      receive {n, R, ok, _} -> node end end),
    t(node_mfa, fun() -> R = spawn_request(node(), erlang, apply, [fun() -> ok end, []], []),
                         receive {spawn_reply, R, ok, _} -> node_mfa end end),
    t(priority, fun() -> R = spawn_request(?MODULE, child, [S], [{priority, high}]),
                         receive {spawn_reply, R, ok, P} ->
                             receive {child, P} -> Pr = process_info(P, priority), P ! stop, Pr end end end),
    t(bad_reply, fun() -> R = spawn_request(fun() -> ok end, [{reply, maybe}]),
                          receive {spawn_reply, R, error, E} -> E end end),
    t(bad_opt, fun() -> R = spawn_request(fun() -> ok end, [bogus, {reply_tag, b}]),
                        receive {b, R, error, E} -> E end end),
    t(bad_opt_quiet, fun() -> _ = spawn_request(fun() -> ok end, [bogus, {reply, success_only}]), flush() end),
    t(improper_opts, fun() -> spawn_request(fun() -> ok end, [link | x]) end),
    t(bad_fun, fun() -> spawn_request(fun(_) -> ok end) end),
    t(bad_mod, fun() -> spawn_request("m", f, []) end),
    t(bad_args, fun() -> spawn_request(m, f, [a | b]) end),
    t(abandon_done, fun() -> R = spawn_request(fun() -> ok end), A = spawn_request_abandon(R),
                             receive {spawn_reply, R, ok, _} -> {A, still_replied} end end),
    t(abandon_unknown, fun() -> spawn_request_abandon(make_ref()) end),
    t(abandon_bad, fun() -> spawn_request_abandon(foo) end),
    t(left, fun() -> flush() end),
    ok.
