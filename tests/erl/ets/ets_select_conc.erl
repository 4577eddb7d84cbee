-module(ets_select_conc).
-export([main/0]).

%% Long selects (big enough to run in slices, yielding between them) while
%% other processes write the same table: every object that nobody touches
%% is seen exactly once, writers' own ranges add up, select_delete and
%% select_replace of disjoint ranges run side by side, and a table deleted
%% (or whose owner dies) during a select gives badarg, never a crash.

-define(STABLE, 9000).
-define(W, 3).

main() ->
    [run(Type) || Type <- [set, ordered_set, duplicate_bag]],
    deleted_midway(),
    io:format("done~n").

run(Type) ->
    T = ets:new(t, [Type, public, {write_concurrency, true}]),
    ets:insert(T, [{{stable, K}, K} || K <- lists:seq(1, ?STABLE)]),
    Self = self(),
    Readers = [spawn_link(fun() -> Self ! {read, reader(T, 2)} end) || _ <- [1, 2]],
    Writers = [spawn_link(fun() -> Self ! {write, writer(T, W)} end) || W <- lists:seq(1, ?W)],
    Reads = [receive {read, R} -> R end || _ <- Readers],
    Writes = lists:sort([receive {write, R} -> R end || _ <- Writers]),
    io:format("~p reads ~p~n", [Type, Reads]),
    io:format("~p writes ~p~n", [Type, Writes]),
    io:format("~p size ~p stable ~p~n",
              [Type, ets:info(T, size), ets:select_count(T, [{{{stable, '_'}, '_'}, [], [true]}])]),
    ets:delete(T).

%% Each pass must see every stable object once, whatever the writers do.
reader(_T, 0) -> ok;
reader(T, N) ->
    Stable = ets:select(T, [{{{stable, '$1'}, '_'}, [], ['$1']}]),
    Count = ets:select_count(T, [{{{stable, '_'}, '$1'}, [{'>', '$1', 0}], [true]}]),
    Objs = ets:match_object(T, {{stable, '_'}, '_'}),
    case {lists:sort(Stable) =:= lists:seq(1, ?STABLE), Count, length(Objs)} of
        {true, ?STABLE, ?STABLE} -> reader(T, N - 1);
        Other -> {broken, Other}
    end.

writer(T, W) ->
    Keys = [{W, K} || K <- lists:seq(1, 3000)],
    [ets:insert(T, {K, 1}) || K <- Keys],
    Replaced = ets:select_replace(T, [{{{W, '$1'}, 1}, [{'<', '$1', 1001}], [{{{{W, '$1'}}, 2}}]}]),
    Deleted = ets:select_delete(T, [{{{W, '$1'}, '_'}, [{'>', '$1', 2000}], [true]}]),
    [ets:delete(T, K) || K <- Keys, element(2, K) rem 3 =:= 0],
    Left = ets:select_count(T, [{{{W, '_'}, '_'}, [], [true]}]),
    Twos = ets:select_count(T, [{{{W, '_'}, 2}, [], [true]}]),
    {W, Replaced, Deleted, Left, Twos}.

%% A select running while its table goes: badarg or a whole answer.
deleted_midway() ->
    Self = self(),
    Results = [begin
                   T = ets:new(t, [Type, public]),
                   ets:insert(T, [{K, K} || K <- lists:seq(1, 20000)]),
                   P = spawn(fun() ->
                                     R = (catch length(ets:select(T, [{{'$1', '_'}, [], ['$1']}]))),
                                     Self ! {self(), R}
                             end),
                   erlang:yield(),
                   ets:delete(T),
                   receive {P, R} -> ok(R) end
               end || Type <- [set, ordered_set], _ <- lists:seq(1, 2)],
    io:format("deleted midway: ~p~n", [lists:usort(Results)]).

ok(20000) -> ok;
ok({'EXIT', {badarg, _}}) -> ok;
ok(Other) -> Other.
