%% Several processes on shared public tables at once: counters on distinct
%% and shared keys, inserts and deletes of disjoint key ranges, selects and
%% fixed iteration while others write, and a table whose owner exits while
%% others are using it. Every count must add up.
-module(ets_shared_conc).
-export([main/0]).

-define(WORKERS, 4).
-define(N, 2000).

show(Label, V) -> io:format("~p: ~p~n", [Label, V]).

main() ->
    [counters(Opts) || Opts <- [[set], [set, {write_concurrency, true}], [ordered_set, {write_concurrency, true}],
                                [set, {read_concurrency, true}, {write_concurrency, auto}]]],
    [ranges(Type) || Type <- [set, ordered_set, bag, duplicate_bag]],
    owner_exits(),
    ok.

run(Fun) ->
    Self = self(),
    Pids = [spawn_link(fun() -> Self ! {done, self(), Fun(I)} end) || I <- lists:seq(1, ?WORKERS)],
    [receive {done, P, R} -> R end || P <- Pids].

counters(Opts) ->
    T = ets:new(c, [public | Opts]),
    ets:insert(T, {shared, 0}),
    run(fun(I) ->
                [begin
                     ets:update_counter(T, shared, 1),
                     ets:update_counter(T, {own, I}, {2, 1}, {{own, I}, 0, 0}),
                     ets:update_counter(T, {own, I}, [{2, 0}, {3, 2}], {{own, I}, 0, 0})
                 end || _ <- lists:seq(1, ?N)],
                ok
        end),
    Own = lists:sort([ets:lookup(T, {own, I}) || I <- lists:seq(1, ?WORKERS)]),
    show({counters, Opts}, {ets:lookup(T, shared), Own, ets:info(T, size)}),
    ets:delete(T).

ranges(Type) ->
    T = ets:new(r, [public, Type, {write_concurrency, true}]),
    Res = run(fun(I) ->
                      Keys = [I * 100000 + K || K <- lists:seq(1, ?N)],
                      [ets:insert(T, {K, I}) || K <- Keys],
                      %% a select and a fixed walk while the others write
                      Mine = ets:select_count(T, [{{'_', I}, [], [true]}]),
                      ets:safe_fixtable(T, true),
                      Walked = walk(T, ets:first(T), 0),
                      ets:safe_fixtable(T, false),
                      [ets:delete(T, K) || K <- Keys, K rem 2 =:= 0],
                      Left = length(ets:match(T, {'_', I})),
                      {Mine, Walked >= Mine, Left}
              end),
    show({ranges, Type}, {Res, ets:info(T, size), ets:select_count(T, [{'_', [], [true]}])}),
    ets:delete(T).

walk(_T, '$end_of_table', N) -> N;
walk(T, K, N) -> walk(T, ets:next(T, K), N + 1).

%% The owner exits while workers hammer its public table: they see the table or badarg, nothing else.
owner_exits() ->
    Self = self(),
    Owner = spawn(fun() ->
                          T = ets:new(doomed, [public, {write_concurrency, true}]),
                          Self ! {table, T},
                          receive go -> ok end
                  end),
    T = receive {table, Tab} -> Tab end,
    Workers = [spawn_link(fun() -> Self ! {res, hammer(T, I, 0)} end) || I <- lists:seq(1, ?WORKERS)],
    timer_wait(),
    Owner ! go,
    Results = [receive {res, R} -> R end || _ <- Workers],
    show(owner_exits, {lists:usort(Results), ets:info(T)}).

timer_wait() -> receive after 20 -> ok end.

hammer(T, I, N) ->
    try
        ets:insert(T, {{I, N}, N}),
        _ = ets:lookup(T, {I, N}),
        _ = ets:select(T, [{{{I, '_'}, '$1'}, [{'>', '$1', N - 3}], ['$1']}]),
        ets:delete(T, {I, N - 5}),
        hammer(T, I, N + 1)
    catch
        error:badarg -> badarg_after_owner_exit
    end.
