%% read_concurrency tables (a big-reader lock in erbium) under readers and
%% writers at once: readers on every scheduler never see a half-written
%% object ({K, N, N} is always rewritten whole), the table grows while read,
%% update_counter, iteration and select run beside them, and every count adds up.
-module(ets_rc_conc).
-export([main/0]).

-define(READERS, 4).
-define(KEYS, 500).
-define(ROUNDS, 20).

main() ->
    [run(Opts) || Opts <- [[set], [set, {write_concurrency, true}], [set, {write_concurrency, auto}],
                           [ordered_set], [ordered_set, {write_concurrency, true}], [bag]]],
    ok.

run(Opts) ->
    T = ets:new(rc, [public, {read_concurrency, true} | Opts]),
    [ets:insert(T, {K, 0, 0}) || K <- lists:seq(1, ?KEYS)],
    C = ets:new(c, [public, {read_concurrency, true}]), % update_counter on a read_concurrency set
    ets:insert(C, {counter, 0}),
    Self = self(),
    Readers = [spawn_link(fun() -> Self ! {read, self(), read(T, C, 0, 0)} end) || _ <- lists:seq(1, ?READERS)],
    Writer = spawn_link(fun() -> Self ! {wrote, self(), write(T, 1)} end),
    Grower = spawn_link(fun() -> Self ! {grew, self(), grow(T)} end),
    Bad = lists:sum([receive {read, P, B} -> B end || P <- Readers]),
    receive {wrote, Writer, W} -> ok end,
    receive {grew, Grower, G} -> ok end,
    Size = ets:info(T, size),
    [{counter, Count}] = ets:lookup(C, counter),
    Last = lists:usort([N || {K, N, N2} <- ets:tab2list(T), is_integer(K), N =:= N2]),
    io:format("~p: torn reads ~p, writes ~p, grown ~p, size ~p, counter ~p, last ~p~n",
              [Opts, Bad, W, G, Size, Count, Last]),
    ets:delete(C),
    ets:delete(T).

%% Each reader looks up every key ROUNDS times, bumps the counter, walks and selects.
read(_T, _C, ?ROUNDS, Bad) -> Bad;
read(T, C, R, Bad) ->
    Torn = length([K || K <- lists:seq(1, ?KEYS), {_, N, N2} <- ets:lookup(T, K), N =/= N2]),
    ets:update_counter(C, counter, 1),
    ets:safe_fixtable(T, true), % the grower deletes keys: next goes on from them
    Walked = walk(T, ets:first(T), 0),
    ets:safe_fixtable(T, false),
    true = Walked >= ?KEYS,
    true = ets:select_count(T, [{{'_', '$1', '$1'}, [], [true]}]) >= ?KEYS,
    read(T, C, R + 1, Bad + Torn).

walk(_T, '$end_of_table', N) -> N;
walk(T, K, N) -> walk(T, ets:next(T, K), N + 1).

%% Rewrites every key whole, ROUNDS times (a bag keeps the old object beside the new: delete it after).
write(_T, N) when N > ?ROUNDS -> N - 1;
write(T, N) ->
    [case ets:info(T, type) of
         bag -> ets:insert(T, {K, N, N}), ets:delete_object(T, {K, N - 1, N - 1});
         _ -> ets:insert(T, {K, N, N})
     end || K <- lists:seq(1, ?KEYS)],
    write(T, N + 1).

%% Adds and removes enough keys to grow a hash table a few times while it is read.
grow(T) ->
    Keys = [{g, K} || K <- lists:seq(1, 5000)],
    [ets:insert(T, {K, x}) || K <- Keys],
    Grown = ets:info(T, size) >= 5000 + ?KEYS,
    [ets:delete(T, K) || K <- Keys],
    Grown.
