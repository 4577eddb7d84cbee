%% Cost of send and 'receive' trace, on OTP and on erbium alike: a ping-pong
%% of ?ROUNDS round trips between two processes, untraced and with both
%% traced ([send, 'receive']) by a tracer that counts every message (four per
%% round trip) until it has them all.
%% Prints `COST <name> <value>` lines: the best of five runs in microseconds
%% and the nanoseconds each trace message adds.
-module(trace_pingpong).
-export([main/0, tracer/2]).

-define(ROUNDS, 20000).

tracer(0, Parent) -> Parent ! {counted, self()};
tracer(Left, Parent) -> receive _ -> tracer(Left - 1, Parent) end.

pong() ->
    receive
        {ping, From} -> From ! pong, pong();
        stop -> ok
    end.

ping(_, 0) -> ok;
ping(Pong, N) ->
    Pong ! {ping, self()},
    receive pong -> ping(Pong, N - 1) end.

%% One run: from the first ping until the tracer has counted `Expect` messages.
run(Expect) ->
    Self = self(),
    T = spawn(?MODULE, tracer, [Expect, Self]),
    Pong = spawn(fun pong/0),
    Ping = spawn(fun() -> receive go -> ok end, ping(Pong, ?ROUNDS), Self ! {done, self()} end),
    Expect > 0 andalso erlang:trace(Ping, true, [send, 'receive', {tracer, T}]),
    Expect > 0 andalso erlang:trace(Pong, true, [send, 'receive', {tracer, T}]),
    Start = erlang:monotonic_time(microsecond),
    Ping ! go,
    receive {done, Ping} -> ok end,
    Expect > 0 andalso receive {counted, T} -> ok end,
    Us = erlang:monotonic_time(microsecond) - Start,
    Pong ! stop,
    exit(T, kill),
    Us.

best(Expect) -> lists:min([run(Expect) || _ <- lists:seq(1, 5)]).

cost(Name, V) -> io:format("COST ~s ~p~n", [Name, V]).

main() ->
    Plain = best(0),
    %% per round trip: ping's send and receive, pong's receive and send; plus ping's 'go'
    Msgs = 4 * ?ROUNDS + 1,
    Traced = best(Msgs),
    cost("pingpong_plain_us", Plain),
    cost("pingpong_send_receive_traced_us", Traced),
    cost("send_receive_trace_msg_added_ns", round((Traced - Plain) * 1000 / Msgs)).
