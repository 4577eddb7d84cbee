-module(ets_big).
-export([main/0]).

%% Acceptance-sized ETS work: an ordered_set of 10,000,000 objects (fill,
%% look up a sample, count through a guard, select a partly bound key
%% range, delete half with select_delete, walk the rest with first/next)
%% and a select with a 100,000-clause match spec. One run each (they are
%% long); the long selects yield, so other processes keep running: the
%% ticker's longest gap is printed to stderr.

-define(N, 10000000).

main() ->
    T0 = now_us(),
    Check = run(),
    Total = now_us() - T0,
    io:format("CHECK ~w~n", [Check]),
    io:format("RESULT ets_big ~b~n", [Total]).

run() ->
    Ticker = spawn(fun() -> tick(now_us(), 0) end),
    T = ets:new(big, [ordered_set, public]),
    fill(T, 1),
    Size = ets:info(T, size),
    Found = length(lists:append([ets:lookup(T, {K rem 1000, K}) || K <- lists:seq(1, ?N, 997)])),
    Count = ets:select_count(T, [{{{'_', '$1'}, '_'}, [{'<', '$1', 5000000}], [true]}]),
    Group = length(ets:select(T, [{{{7, '$1'}, '_'}, [], ['$1']}])),
    Deleted = ets:select_delete(T, [{{{'_', '$1'}, '_'}, [{'==', {'rem', '$1', 2}, 0}], [true]}]),
    Walked = walk(T, ets:first(T), 0),
    ets:delete(T),
    Clauses = many_clauses(),
    Ticker ! {stop, self()},
    Gap = receive {gap, G} -> G end,
    io:format(standard_error, "ticker's longest gap: ~b us~n", [Gap]),
    {Size, Found, Count, Group, Deleted, Walked, Clauses}.

fill(_T, K) when K > ?N -> ok;
fill(T, K) ->
    ets:insert(T, {{K rem 1000, K}, K}),
    fill(T, K + 1).

walk(_T, '$end_of_table', N) -> N;
walk(T, K, N) -> walk(T, ets:next(T, K), N + 1).

%% 100,000 clauses, clause N matching the object with key N: every object
%% of a 2,000-object table tries clauses until its own.
many_clauses() ->
    T = ets:new(clauses, [set]),
    [ets:insert(T, {N, N * 2}) || N <- lists:seq(1, 2000)],
    MS = [{{N, '$1'}, [{'>', '$1', N}], [{{N, '$1'}}]} || N <- lists:seq(100000, 1, -1)],
    R = length(ets:select(T, MS)),
    ets:delete(T),
    R.

tick(Last, Max) ->
    receive {stop, P} -> P ! {gap, Max}
    after 2 -> Now = now_us(), tick(Now, max(Max, Now - Last))
    end.

now_us() -> erlang:monotonic_time(microsecond).
