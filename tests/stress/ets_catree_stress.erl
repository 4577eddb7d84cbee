%% The contention-adapting ordered_set (write_concurrency) under load:
%% writers of their own key ranges insert, delete and update while other
%% processes walk the table with first/next and last/prev, select in chunks
%% with continuations, count and select_delete a range of their own; then the
%% table is deleted under the walkers' feet. Every walk must be in term
%% order and every writer's keys must be exactly what it left.
-module(ets_catree_stress).
-export([main/0]).

-define(ROUNDS, 8).
-define(WRITERS, 4).
-define(WALKERS, 3).
-define(OPS, 4000).

main() ->
    Results = [one_round(R) || R <- lists:seq(1, ?ROUNDS)],
    io:format("rounds: ~p~n", [length(Results)]),
    io:format("writers' keys and walks as expected: ~p~n", [lists:usort(Results)]),
    erlang:halt(0).

one_round(R) ->
    Self = self(),
    T = ets:new(catree, [public, ordered_set, {write_concurrency, true}]),
    Walkers = [spawn(fun() -> Self ! {walker, self(), walker(T, W, 0, true)} end) || W <- lists:seq(1, ?WALKERS)],
    Writers = [spawn(fun() -> Self ! {writer, self(), writer(T, W, R * 1000 + W, #{}, ?OPS)} end)
               || W <- lists:seq(1, ?WRITERS)],
    Models = [receive {writer, P, M} -> M end || P <- Writers],
    KeysOk = lists:all(fun({W, M}) ->
                               Mine = ets:select(T, [{{{W, '_'}, '_'}, [], ['$_']}]),
                               Mine =:= lists:sort(maps:to_list(M))
                       end, lists:zip(lists:seq(1, ?WRITERS), Models)),
    ets:delete(T), %% the walkers are still at it
    Walks = [receive {walker, P, Ok} -> Ok end || P <- Walkers],
    KeysOk andalso lists:all(fun(X) -> X end, Walks).

writer(_T, _W, _Seed, Model, 0) -> Model;
writer(T, W, Seed, Model, N) ->
    S = (Seed * 1103515245 + 12345) rem 2147483648,
    K = {W, S rem 500},
    M = case S rem 5 of
            0 -> ets:delete(T, K), maps:remove(K, Model);
            1 -> case ets:update_element(T, K, {2, N}) of
                     true -> Model#{K := N};
                     false -> Model
                 end;
            _ -> ets:insert(T, {K, N}), Model#{K => N}
        end,
    writer(T, W, S, M, N - 1).

%% Walks and selects until the table is gone; false if any order was wrong.
walker(T, W, Round, Ok) ->
    try step(T, W, Round) of
        Good -> walker(T, W, Round + 1, Ok andalso Good)
    catch error:badarg -> Ok andalso not ets_alive(T)
    end.

ets_alive(T) -> ets:info(T) =/= undefined.

step(T, W, Round) ->
    case (Round + W) rem 4 of
        0 -> ordered(walk_next(T, ets:first(T), []));
        1 -> ordered(lists:reverse(walk_prev(T, ets:last(T), [])));
        2 -> ordered([K || {K, _} <- chunks(T, ets:select(T, [{'_', [], ['$_']}], 97), [])]);
        3 ->
            %% a range of its own: keys {0, W, I}
            true = ets:insert(T, [{{0, W, I}, I} || I <- lists:seq(1, 50)]),
            50 = ets:select_count(T, [{{{0, W, '_'}, '_'}, [], [true]}]),
            50 = ets:select_delete(T, [{{{0, W, '_'}, '_'}, [], [true]}]),
            true
    end.

walk_next(_T, '$end_of_table', Acc) -> lists:reverse(Acc);
walk_next(T, K, Acc) -> walk_next(T, ets:next(T, K), [K | Acc]).

walk_prev(_T, '$end_of_table', Acc) -> lists:reverse(Acc);
walk_prev(T, K, Acc) -> walk_prev(T, ets:prev(T, K), [K | Acc]).

chunks(_T, '$end_of_table', Acc) -> lists:append(lists:reverse(Acc));
chunks(T, {Objs, Cont}, Acc) -> chunks(T, ets:select(Cont), [Objs | Acc]).

ordered([A, B | Rest]) when A < B -> ordered([B | Rest]);
ordered([_, _ | _]) -> false;
ordered(_) -> true.
