-module(compat_otp_apps).
-behaviour(gen_statem).
-export([main/0, init/1, callback_mode/0, locked/3, open/3, terminate/3]).
-export([sup_init/1, child_start/1, ev_init/1, handle_event/2, handle_call/2]).
-export([init_ev/1]).
main() ->
    logger:set_handler_config(default, formatter, {logger_formatter, #{single_line => true, template => [level, ": ", msg, "\n"]}}),
    {ok, P} = gen_statem:start(?MODULE, [1, 2, 3], []),
    p(gen_statem:call(P, {button, 1})), p(gen_statem:call(P, {button, 2})), p(gen_statem:call(P, {button, 3})),
    p(gen_statem:call(P, status)), wait_until(fun() -> gen_statem:call(P, status) =:= locked end),
    p(gen_statem:call(P, status)),
    p(sys:get_state(P)), gen_statem:stop(P),
    {ok, Sup} = supervisor:start_link({local, compat_sup}, ?MODULE, one_for_one),
    p(lists:sort([Id || {Id, _, _, _} <- supervisor:which_children(Sup)])),
    p(supervisor:count_children(Sup)),
    W = whereis(compat_w1), exit(W, kill),
    wait_until(fun() -> is_pid(whereis(compat_w1)) andalso whereis(compat_w1) =/= W end),
    logger_std_h:filesync(default),
    p(restarted),
    p(supervisor:terminate_child(Sup, w2)), p(supervisor:restart_child(Sup, w2)), p(supervisor:delete_child(Sup, w2) =/= x),
    p(catch supervisor:start_child(Sup, #{id => w3, start => {?MODULE, child_start, [bad]}})),
    unlink(Sup), exit(Sup, shutdown), timer:sleep(20),
    {ok, E} = gen_event:start(), gen_event:add_handler(E, ?MODULE, [init]),
    gen_event:notify(E, hello), gen_event:sync_notify(E, world), p(gen_event:call(E, ?MODULE, get)),
    p(gen_event:which_handlers(E)), gen_event:stop(E),
    p(proc_lib:start(?MODULE, init_ev, [self()])),
    ok.
p(X) -> io:format("~p~n", [X]).
wait_until(F) ->
    case F() of
        true -> ok;
        false -> timer:sleep(5), wait_until(F)
    end.
init_ev(Parent) -> proc_lib:init_ack(Parent, {acked, 42}).
%% gen_statem: a code lock
callback_mode() -> state_functions.
init(one_for_one) ->
    {ok, {#{strategy => one_for_one, intensity => 5, period => 10},
          [#{id => w1, start => {?MODULE, child_start, [compat_w1]}},
           #{id => w2, start => {?MODULE, child_start, [compat_w2]}}]}};
init([init]) -> {ok, []};
init(Code) -> {ok, locked, #{code => Code, input => []}}.
locked({call, From}, {button, B}, #{code := Code, input := In} = D) ->
    case In ++ [B] of
        Code -> {next_state, open, D#{input := []}, [{reply, From, opened}, {state_timeout, 50, lock}]};
        New -> {keep_state, D#{input := New}, [{reply, From, {locked, length(New)}}]}
    end;
locked({call, From}, status, _) -> {keep_state_and_data, [{reply, From, locked}]}.
open(state_timeout, lock, D) -> {next_state, locked, D};
open({call, From}, status, _) -> {keep_state_and_data, [{reply, From, open}]}.
terminate(_, _, _) -> ok.
%% supervisor
sup_init(_) -> ok.
child_start(bad) -> {error, nope};
child_start(Name) -> {ok, spawn_link(fun() -> register(Name, self()), receive stop -> ok end end)}.
%% gen_event handler
ev_init(_) -> ok.
handle_event(E, S) -> {ok, [E | S]}.
handle_call(get, S) -> {ok, lists:reverse(S), S}.
-dialyzer({nowarn_function, init/1}).
