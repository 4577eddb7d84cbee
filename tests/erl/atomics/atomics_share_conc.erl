%% One atomics array and one write_concurrency counters array shared by
%% many processes: through spawn closures, messages, ETS, persistent_term
%% and term_to_binary. Every add lands exactly once, and the arrays are
%% freed when the last reference goes (erlang:memory(system) falls back).
-module(atomics_share_conc).
-export([main/0]).

-define(PROCS, 8).
-define(ADDS, 5000).

show(Label, V) -> io:format("~s: ~p~n", [Label, V]).

adder(Parent, Fun) ->
    spawn_link(fun() -> Fun(), Parent ! {done, self()} end).

wait(Pids) -> [receive {done, P} -> ok end || P <- Pids].

through_closures(A, C) ->
    Self = self(),
    wait([adder(Self, fun() ->
                          [begin
                               atomics:add(A, 1, 1),
                               atomics:add_get(A, 2, 2),
                               counters:add(C, 1, 1),
                               counters:sub(C, 2, 1)
                           end || _ <- lists:seq(1, ?ADDS)]
                      end) || _ <- lists:seq(1, ?PROCS)]),
    show("closures", {atomics:get(A, 1), atomics:get(A, 2), counters:get(C, 1), counters:get(C, 2)}).

through_messages(A, C) ->
    Self = self(),
    Pids = [spawn_link(fun() ->
                               receive {go, A2, C2} ->
                                       [atomics:add(A2, 3, 1) || _ <- lists:seq(1, ?ADDS)],
                                       [counters:add(C2, 3, 1) || _ <- lists:seq(1, ?ADDS)],
                                       Self ! {done, self()}
                               end
                       end) || _ <- lists:seq(1, ?PROCS)],
    [P ! {go, A, C} || P <- Pids],
    wait(Pids),
    show("messages", {atomics:get(A, 3), counters:get(C, 3)}).

through_ets(A, C) ->
    T = ets:new(t, [public]),
    ets:insert(T, {arrays, A, C}),
    Self = self(),
    wait([adder(Self, fun() ->
                          [{arrays, A2, C2}] = ets:lookup(T, arrays),
                          [atomics:add(A2, 4, 1) || _ <- lists:seq(1, ?ADDS)],
                          [counters:add(C2, 4, 1) || _ <- lists:seq(1, ?ADDS)]
                      end) || _ <- lists:seq(1, ?PROCS)]),
    ets:delete(T),
    show("ets", {atomics:get(A, 4), counters:get(C, 4)}).

through_persistent_term(A, C) ->
    persistent_term:put({?MODULE, arrays}, {A, C}),
    Self = self(),
    wait([adder(Self, fun() ->
                          {A2, C2} = persistent_term:get({?MODULE, arrays}),
                          [atomics:add(A2, 5, 1) || _ <- lists:seq(1, ?ADDS)],
                          [counters:add(C2, 5, 1) || _ <- lists:seq(1, ?ADDS)]
                      end) || _ <- lists:seq(1, ?PROCS)]),
    persistent_term:erase({?MODULE, arrays}),
    show("persistent_term", {atomics:get(A, 5), counters:get(C, 5)}).

through_external_format(A, C) ->
    Bin = term_to_binary({A, C}),
    {A2, C2} = binary_to_term(Bin),
    show("decoded equal", {A2 =:= A, C2 =:= C, A2 == A, erlang:phash2(A2) =:= erlang:phash2(A)}),
    atomics:add(A2, 6, 10),
    counters:add(C2, 6, 20),
    show("decoded works", {atomics:get(A, 6), counters:get(C, 6)}),
    Map = #{A => a},
    show("map key", maps:get(A2, Map)),
    put(key, A),
    show("dictionary key", get(A2) =:= undefined andalso begin put(A2, b), get(A) end).

compare_and_swap_counter(A) ->
    Self = self(),
    Incr = fun Loop(0) -> ok;
               Loop(N) ->
                   Old = atomics:get(A, 7),
                   case atomics:compare_exchange(A, 7, Old, Old + 1) of
                       ok -> Loop(N - 1);
                       _ -> Loop(N)
                   end
           end,
    wait([adder(Self, fun() -> Incr(?ADDS) end) || _ <- lists:seq(1, ?PROCS)]),
    show("compare_exchange loop", atomics:get(A, 7)).

make_and_drop(0) -> ok;
make_and_drop(N) ->
    A = atomics:new(10000, []),
    C = counters:new(1000, [write_concurrency]),
    atomics:put(A, 10000, N),
    counters:add(C, 1000, N),
    Self = self(),
    P = spawn(fun() -> receive {A2, C2} -> Self ! {got, atomics:get(A2, 10000) + counters:get(C2, 1000)} end end),
    P ! {A, C},
    receive {got, V} when V =:= 2 * N -> ok end,
    make_and_drop(N - 1).

main() ->
    garbage_collect(),
    Before = erlang:memory(system),
    A = atomics:new(8, []),
    C = counters:new(8, [write_concurrency]),
    through_closures(A, C),
    through_messages(A, C),
    through_ets(A, C),
    through_persistent_term(A, C),
    through_external_format(A, C),
    compare_and_swap_counter(A),
    make_and_drop(500),
    garbage_collect(),
    timer:sleep(100),
    After = erlang:memory(system),
    %% 500 arrays of 80 kB each would be 40 MB if nothing were freed
    show("freed", After - Before < 4000000),
    ok.
