%% dbg:trace_port(ip, ...) and dbg:trace_client(ip, ...): the trace_ip_drv
%% port serves trace messages over TCP. Calls traced before the client
%% connects are queued (dbg asks the driver to fill its queue always); a
%% queue of Q holds Q messages and then a {drop, N} for what did not fit;
%% once connected, messages go straight to the client. Also the listen port
%% (get_listen_port), a port_control the driver does not know (badarg), and
%% the open_port arguments dbg does not check.
-module(trace_ip_port).
-export([main/0, f/1]).

f(X) -> X + 1.

%% The next N terms the client handed over (waiting: the client may be slow to connect).
collect(0) -> [];
collect(N) ->
    receive {term, T} -> [T | collect(N - 1)]
    after 10000 -> [timeout]
    end.

norm({trace, P, call, MFA}) when is_pid(P) -> {trace, pid, call, MFA};
norm({trace, P, return_from, MFA, V}) when is_pid(P) -> {trace, pid, return_from, MFA, V};
norm(X) -> X.

handler(Self) -> fun(T, S) -> Self ! {term, T}, S end.

%% Traces Before calls of f/1 with a queue of Q, connects a client, then
%% traces After more calls; returns what the client got.
run(Q, Before, After) ->
    Self = self(),
    {ok, _} = dbg:tracer(port, dbg:trace_port(ip, {0, Q})),
    {ok, IpPort} = dbg:trace_port_control(get_listen_port),
    io:format("listen port is an integer: ~p~n", [is_integer(IpPort) andalso IpPort > 0]),
    {ok, _} = dbg:p(self(), [call]),
    {ok, _} = dbg:tpl(?MODULE, f, 1, []),
    [f(I) || I <- lists:seq(1, Before)],
    Client = dbg:trace_client(ip, IpPort, {handler(Self), ok}),
    Queued = collect(min(Before, Q) + case Before > Q of true -> 1; false -> 0 end),
    [f(I) || I <- lists:seq(100, 99 + After)],
    Direct = collect(After),
    {ok, Port} = dbg:get_tracer(),
    io:format("unknown control: ~p~n", [element(1, element(2, catch erlang:port_control(Port, $x, [])))]),
    true = is_pid(Client),
    dbg:stop_clear(), %% closes the port and ends the client
    [norm(T) || T <- Queued ++ Direct].

%% open_port of the trace drivers with arguments dbg would not give: OTP's errors.
bad_opens() ->
    Dir = filename:join(code:priv_dir(runtime_tools), "lib"),
    [catch erl_ddll:load_driver(Dir, D) || D <- ["trace_ip_drv", "trace_file_drv"]],
    Open = fun(S) ->
               case catch open_port({spawn, S}, [eof]) of
                   {'EXIT', {R, _}} -> R;
                   P when is_port(P) -> port_close(P), port
               end
           end,
    [io:format("~s: ~p~n", [S, Open(S)])
     || S <- ["trace_ip_drv x", "trace_ip_drv 0 5 7", "trace_ip_drv 0 -1 2", "trace_ip_drv 0 5",
              "trace_file_drv x", "trace_file_drv n /nonexistent/dir/f"]].

main() ->
    io:format("~w~n", [run(10, 3, 2)]),
    io:format("~w~n", [run(3, 6, 1)]),
    io:format("~w~n", [run(2, 1, 3)]),
    bad_opens(), %% last: OTP 25 crashes (bus error) in a later dbg:trace_port(ip, _) after them
    ok.
