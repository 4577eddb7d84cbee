%% erlang:system_profile/0,2 as OTP 25: its return values and option checks, and the
%% messages of runnable_procs (a process that blocks in receive twice, then exits) and
%% scheduler, checked for their shape only (how many depends on timing).
-module(proc_system_profile).
-export([main/0]).

main() ->
    Self = self(),
    Prof = spawn(fun() -> collect([]) end),
    N = fun(T) -> norm(T, Self, Prof) end,
    io:format("initially ~p~n", [erlang:system_profile()]),
    Opts = [[], [runnable_procs], [foo], runnable_procs, [exclusive], [timestamp],
            [monotonic_timestamp], [strict_monotonic_timestamp], [runnable_ports, scheduler],
            [runnable_procs | bad]],
    [io:format("~p -> ~p~n", [O, N(catch erlang:system_profile(Prof, O))]) || O <- Opts],
    [io:format("~p ~p -> ~p~n", [W, O, N(catch erlang:system_profile(W, O))])
     || {W, O} <- [{a, [runnable_procs]}, {undefined, foo}, {self(), [runnable_procs]},
                   {Prof, [runnable_procs, runnable_ports, scheduler, exclusive]}]],
    io:format("get ~p~n", [N(erlang:system_profile())]),
    io:format("off ~p~n", [N(erlang:system_profile(undefined, []))]),
    io:format("get ~p~n", [erlang:system_profile()]),
    _ = take(Prof),
    procs(Prof, [], fun is_now/1),
    procs(Prof, [monotonic_timestamp], fun is_integer/1),
    procs(Prof, [strict_monotonic_timestamp], fun({A, B}) -> is_integer(A) andalso is_integer(B); (_) -> false end),
    scheds(Prof),
    ok.

norm(T, Self, Prof) when is_tuple(T) -> list_to_tuple(norm(tuple_to_list(T), Self, Prof));
norm([H | T], Self, Prof) -> [norm(H, Self, Prof) | norm(T, Self, Prof)];
norm(Self, Self, _) -> self;
norm(Prof, _, Prof) -> profiler;
norm(T, _, _) -> T.

collect(Acc) ->
    receive
        {take, From} -> From ! {taken, lists:reverse(Acc)}, collect([]);
        M -> collect([M | Acc])
    end.

take(Prof) ->
    Prof ! {take, self()},
    receive {taken, Ms} -> Ms end.

is_now({A, B, C}) -> is_integer(A) andalso is_integer(B) andalso is_integer(C);
is_now(_) -> false.

%% A process that waits twice: active and inactive as it is spawned, woken and waits, and
%% inactive with 0 when it exits.
procs(Prof, Stamp, IsStamp) ->
    erlang:system_profile(Prof, [runnable_procs | Stamp]),
    P = spawn(fun() -> receive go -> ok end, receive stop -> ok end end),
    timer:sleep(50),
    P ! go,
    timer:sleep(50),
    P ! stop,
    timer:sleep(50),
    erlang:system_profile(undefined, []),
    Ms = take(Prof),
    Mine = [M || M <- Ms, element(2, M) =:= P],
    io:format("procs ~p: ~p~n", [Stamp, [{S, MFA} || {profile, _, S, MFA, _} <- Mine]]),
    io:format("procs ~p: stamps ~p, about the profiler ~p~n",
              [Stamp, lists:all(fun(M) -> IsStamp(element(5, M)) end, Mine),
               [M || M <- Ms, element(2, M) =:= Prof]]).

scheds(Prof) ->
    erlang:system_profile(Prof, [scheduler]),
    timer:sleep(100),
    erlang:system_profile(undefined, []),
    Ms = take(Prof),
    Max = erlang:system_info(schedulers),
    Shape = fun({profile, scheduler, Id, S, NA, Ts}) ->
                    Id >= 1 andalso Id =< Max andalso (S =:= active orelse S =:= inactive)
                        andalso NA >= 0 andalso NA =< Max andalso is_now(Ts);
               (_) -> false
            end,
    %% how many come, and when, depends on the load (OTP under load sends odd ones too)
    io:format("scheduler: some well-shaped ~p~n", [lists:any(Shape, Ms)]).
