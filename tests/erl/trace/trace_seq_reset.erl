%% seq_trace:reset_trace() (system_flag(reset_seq_trace, true)) also clears
%% the tokens of messages still queued: receiving one afterwards gives no
%% token, while one sent after the reset carries its token as usual.
-module(trace_seq_reset).
-export([main/0]).

main() ->
    seq_trace:set_token(label, 5),
    self() ! before,
    seq_trace:set_token([]),
    receive before -> ok end,
    io:format("kept without reset ~p~n", [seq_trace:get_token(label)]),
    seq_trace:set_token([]),
    seq_trace:set_token(label, 6),
    self() ! queued,
    Peer = spawn(fun() -> receive {go, P} -> P ! from_peer end end),
    Peer ! {go, self()},
    timer:sleep(50),
    seq_trace:set_token([]),
    seq_trace:reset_trace(),
    receive queued -> ok end,
    io:format("queued before reset ~p~n", [seq_trace:get_token()]),
    receive from_peer -> ok end,
    io:format("peer's before reset ~p~n", [seq_trace:get_token()]),
    seq_trace:set_token(label, 7),
    self() ! after_reset,
    seq_trace:set_token([]),
    receive after_reset -> ok end,
    io:format("sent after reset ~p~n", [seq_trace:get_token(label)]),
    seq_trace:set_token([]),
    ok.
