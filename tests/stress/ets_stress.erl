%% ETS under load: workers insert, delete, update counters, select and walk
%% shared public tables while their owners die, heirs take them over and
%% rename them, and tables are deleted under the workers' feet. Every count
%% must add up. 12 rounds, 6 under the sanitizers (ERBIUM_SANITIZED set),
%% which alternate the table kinds as often.
-module(ets_stress).
-export([main/0]).

-define(WORKERS, 6).
-define(OPS, 3000).

main() ->
    Rounds = case os:getenv("ERBIUM_SANITIZED") of
                 false -> 12;
                 _ -> 6
             end,
    Results = [one_round(R) || R <- lists:seq(1, Rounds)],
    io:format("every round ran: ~p~n", [length(Results) =:= Rounds]),
    io:format("all counts add up: ~p~n", [lists:usort(Results)]),
    io:format("tables left: ~p~n", [[T || T <- ets:all(), is_stress(T)]]),
    erlang:halt(0).

is_stress(T) -> lists:prefix("stress", atom_to_list(ets:info(T, name))).

one_round(R) ->
    Self = self(),
    Type = lists:nth(1 + R rem 2, [set, ordered_set]),
    Heir = spawn(fun() -> heir(Self, R) end),
    Owner = spawn(fun() ->
                          T = ets:new(stress_tab, [public, Type, {write_concurrency, true}, {heir, Heir, R}]),
                          D = ets:new(stress_doomed, [public, lists:nth(1 + R rem 2, [bag, duplicate_bag])]),
                          Self ! {tables, T, D},
                          receive die -> exit(kill_me) end
                  end),
    {T, D} = receive {tables, T0, D0} -> {T0, D0} end,
    Workers = [spawn_link(fun() -> Self ! {worker, self(), work(T, D, W)} end) || W <- lists:seq(1, ?WORKERS)],
    receive after 5 -> ok end,
    Owner ! die,
    receive {transferred, R} -> ok end,
    Reports = [receive {worker, P, Rep} -> Rep end || P <- Workers],
    Heir ! {finish, self()},
    {Counter, Size} = receive {final, R, C, S} -> {C, S} end,
    Incs = lists:sum([I || {I, _, _} <- Reports]),
    Kept = lists:sum([K || {_, K, _} <- Reports]),
    SelfConsistent = lists:all(fun({_, _, Ok}) -> Ok end, Reports),
    Counter =:= Incs andalso Size =:= Kept + 1 andalso SelfConsistent
        andalso ets:info(T) =:= undefined andalso ets:info(D) =:= undefined.

%% Returns {CounterIncrements, OwnKeysLeft, OwnCountsMatched}.
work(T, D, W) -> work(T, D, W, 1, 0, 0, true).

work(_T, _D, _W, N, Incs, Kept, Ok) when N > ?OPS ->
    {Incs, Kept, Ok andalso true};
work(T, D, W, N, Incs, Kept, Ok) ->
    ets:update_counter(T, counter, 1, {counter, 0}),
    ets:insert(T, {{W, N}, N}),
    Kept1 = case N rem 3 of
                0 -> ets:delete(T, {W, N}), Kept;
                _ -> Kept + 1
            end,
    catch ets:insert(D, {W, N}),
    catch ets:select_delete(D, [{{W, '$1'}, [{'<', '$1', N - 10}], [true]}]),
    Ok1 = case N rem 500 of
              0 ->
                  Mine = ets:select_count(T, [{{{W, '_'}, '_'}, [], [true]}]),
                  ets:safe_fixtable(T, true),
                  Walked = walk(T, ets:first(T), 0),
                  ets:safe_fixtable(T, false),
                  Ok andalso Mine =:= Kept1 andalso Walked >= Mine;
              _ -> Ok
          end,
    case N rem 700 of
        0 -> catch ets:delete(D);
        _ -> ok
    end,
    work(T, D, W, N + 1, Incs + 1, Kept1, Ok1).

walk(_T, '$end_of_table', N) -> N;
walk(T, K, N) -> walk(T, ets:next(T, K), N + 1).

heir(Main, R) ->
    receive
        {'ETS-TRANSFER', T, _From, R} ->
            Name = list_to_atom("stress_renamed_" ++ integer_to_list(R)),
            ets:rename(T, Name),
            Main ! {transferred, R},
            receive
                {finish, Main} ->
                    [{counter, C}] = ets:lookup(T, counter),
                    Size = ets:info(T, size),
                    ets:delete(T),
                    undefined = ets:whereis(Name),
                    Main ! {final, R, C, Size}
            end
    end.
