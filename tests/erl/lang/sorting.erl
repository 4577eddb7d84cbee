-module(sorting).
-export([main/0]).

%% Sorting algorithms on pseudo-random data; all must agree with lists:sort.

main() ->
    Data = random_list(20000, 12345),
    Ref = lists:sort(Data),
    io:format("n=~b min=~b max=~b~n", [length(Data), hd(Ref), lists:last(Ref)]),
    io:format("qsort ok: ~w~n", [qsort(Data) =:= Ref]),
    io:format("msort ok: ~w~n", [msort(Data) =:= Ref]),
    io:format("isort ok: ~w~n", [isort(lists:sublist(Data, 2000)) =:=
                                 lists:sort(lists:sublist(Data, 2000))]),
    io:format("tree sort ok: ~w~n", [tree_sort(Data) =:= lists:usort(Data)]),
    io:format("checksum: ~b~n", [checksum(Ref, 0)]),
    io:format("first ten: ~w~n", [lists:sublist(Ref, 10)]),
    io:format("desc: ~w~n", [lists:sublist(lists:sort(fun(A, B) -> A > B end, Data), 5)]),
    Recs = [{N rem 10, N} || N <- lists:sublist(Data, 1000)],
    Stable = lists:keysort(1, Recs),
    io:format("stable: ~w~n", [is_stable(Stable, Recs)]),
    io:format("dedup: ~b~n", [length(lists:usort(Data))]),
    io:format("median: ~b~n", [lists:nth(length(Ref) div 2, Ref)]).

random_list(0, _) -> [];
random_list(N, Seed) ->
    Next = (Seed * 1103515245 + 12345) rem 2147483648,
    [Next rem 100000 | random_list(N - 1, Next)].

qsort([]) -> [];
qsort([P | T]) ->
    {Lo, Hi} = lists:partition(fun(X) -> X < P end, T),
    qsort(Lo) ++ [P | qsort(Hi)].

msort([]) -> [];
msort([X]) -> [X];
msort(L) ->
    {A, B} = lists:split(length(L) div 2, L),
    merge(msort(A), msort(B)).

merge([], B) -> B;
merge(A, []) -> A;
merge([X | A], [Y | _] = B) when X =< Y -> [X | merge(A, B)];
merge(A, [Y | B]) -> [Y | merge(A, B)].

isort(L) -> lists:foldl(fun insert/2, [], L).

insert(X, []) -> [X];
insert(X, [H | _] = L) when X =< H -> [X | L];
insert(X, [H | T]) -> [H | insert(X, T)].

tree_sort(L) -> to_list(lists:foldl(fun tree_insert/2, nil, L), []).

tree_insert(X, nil) -> {nil, X, nil};
tree_insert(X, {L, V, R}) when X < V -> {tree_insert(X, L), V, R};
tree_insert(X, {L, V, R}) when X > V -> {L, V, tree_insert(X, R)};
tree_insert(_, T) -> T.

to_list(nil, Acc) -> Acc;
to_list({L, V, R}, Acc) -> to_list(L, [V | to_list(R, Acc)]).

checksum([], Acc) -> Acc;
checksum([H | T], Acc) -> checksum(T, (Acc * 31 + H) rem 1000000007).

%% Records with equal keys keep their original relative order.
is_stable(Sorted, Orig) ->
    lists:all(fun(K) -> [R || {K2, _} = R <- Sorted, K2 =:= K] =:=
                            [R || {K2, _} = R <- Orig, K2 =:= K] end,
              lists:seq(0, 9)).
