%% Applications, logger, rpc and timers as kernel runs them: an application
%% with its own .app file (written into the current directory, which is on
%% the code path) started and stopped with its supervisor; logger events
%% through a handler whose formatter leaves time stamps out; rpc:call to the
%% local node; timer:send_after and apply_after.
-module(otp_app_logger).
-behaviour(application).
-behaviour(supervisor).
-export([main/0, start/2, stop/1, init/1, worker/0]).

main() ->
    %% the default handler stamps times: only the test's own handlers print
    ok = logger:set_handler_config(default, level, none),
    apps(),
    logging(),
    rpc_calls(),
    timers().

apps() ->
    App = {application, otp_app_demo,
           [{description, "demo"}, {vsn, "1.2"}, {modules, [?MODULE]},
            {registered, [otp_app_demo_sup]}, {applications, [kernel, stdlib]},
            {mod, {?MODULE, []}}, {env, [{colour, blue}]}]},
    ok = file:write_file("otp_app_demo.app", io_lib:format("~p.~n", [App])),
    io:format("start: ~p~n", [application:start(otp_app_demo)]),
    io:format("again: ~p~n", [application:start(otp_app_demo)]),
    io:format("running: ~p~n", [lists:keymember(otp_app_demo, 1, application:which_applications())]),
    io:format("env: ~p ~p~n", [application:get_env(otp_app_demo, colour), application:get_env(otp_app_demo, size)]),
    io:format("key vsn: ~p~n", [application:get_key(otp_app_demo, vsn)]),
    io:format("children: ~p~n", [[Id || {Id, _, _, _} <- supervisor:which_children(otp_app_demo_sup)]]),
    io:format("app of sup: ~p~n", [application:get_application(whereis(otp_app_demo_sup))]),
    io:format("stop: ~p~n", [application:stop(otp_app_demo)]),
    io:format("sup gone: ~p~n", [whereis(otp_app_demo_sup)]),
    io:format("unknown: ~p~n", [application:start(no_such_app_here)]).

start(normal, []) -> supervisor:start_link({local, otp_app_demo_sup}, ?MODULE, []).
stop(_) -> io:format("app stop callback~n"), ok.

init([]) ->
    {ok, {#{strategy => one_for_one},
          [#{id => worker, start => {proc_lib, start_link, [?MODULE, worker, []]}}]}}.

worker() ->
    proc_lib:init_ack({ok, self()}),
    receive stop -> ok end.

logging() ->
    ok = logger:add_handler(plain, logger_std_h,
                            #{formatter => {logger_formatter, #{template => [level, " | ", msg, "\n"]}}}),
    logger:error("an error ~p", [1]),
    logger:warning("a warning"),
    logger:info("not shown at the default level"),
    logger:notice(#{what => report, n => 2}),
    ok = logger:set_primary_config(level, info),
    logger:info("shown now"),
    ok = logger:set_primary_config(level, notice),
    ok = logger_std_h:filesync(plain),
    ok = logger:remove_handler(plain),
    %% a crashing process is reported through the logger (its pid left out)
    ok = logger:add_handler(crash, logger_std_h,
                            #{formatter => {logger_formatter, #{template => [level, " | a crash report\n"]}}}),
    spawn(fun() -> error(crashed) end),
    receive after 200 -> ok end,
    ok = logger_std_h:filesync(crash),
    ok = logger:remove_handler(crash),
    io:format("handlers: ~p~n", [lists:sort(logger:get_handler_ids())]).

rpc_calls() ->
    io:format("rpc: ~p~n", [rpc:call(node(), lists, reverse, [[1, 2, 3]])]),
    io:format("rpc error: ~p~n", [element(1, rpc:call(node(), erlang, error, [oops]))]),
    io:format("erpc: ~p~n", [erpc:call(node(), erlang, '+', [1, 2])]),
    io:format("node: ~p alive: ~p~n", [node(), is_alive()]).

timers() ->
    {ok, _} = timer:send_after(400, late),
    {ok, _} = timer:send_after(10, early),
    Self = self(),
    {ok, _} = timer:apply_after(200, erlang, send, [Self, middle]),
    Got = [receive M -> M end || _ <- [1, 2, 3]],
    io:format("timers: ~p~n", [Got]),
    {ok, T} = timer:send_interval(5, tick),
    Ticks = [receive tick -> tick end || _ <- [1, 2, 3]],
    {ok, cancel} = timer:cancel(T),
    io:format("interval: ~p~n", [Ticks]),
    io:format("tc: ~p~n", [element(2, timer:tc(lists, seq, [1, 3]))]).
