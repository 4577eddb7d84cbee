-module(proc_gc_alloc).
-export([main/0]).

%% Allocation and garbage collection under load: trees built deep and wide,
%% large tuples, boxed floats in tight loops, live data kept across many
%% collections, binaries and funs on the heap, and the process options and
%% BIFs that steer collection (min_heap_size, fullsweep_after,
%% garbage_collect/1,2). Every result is a value computed from the terms, so
%% a collector that lost, duplicated or corrupted one shows in the output.

main() ->
    io:format("trees ~p~n", [trees()]),
    io:format("wide ~p~n", [wide()]),
    io:format("tuples ~p~n", [big_tuples()]),
    io:format("floats ~p~n", [floats()]),
    io:format("bodies ~p~n", [bodies()]),
    io:format("live ~p~n", [live_across_gcs()]),
    io:format("binaries ~p~n", [binaries()]),
    io:format("funs ~p~n", [funs()]),
    io:format("min_heap ~p~n", [min_heap()]),
    io:format("spawn_opt ~p~n", [spawn_opts()]),
    io:format("gc_bifs ~p~n", [gc_bifs()]),
    io:format("pairs ~p~n", [pairs()]),
    io:format("sqrt ~p~n", [sqrt()]),
    ok.

%% Binary trees: a long-lived tree next to many short-lived ones.
make(0) -> {nil, nil};
make(D) -> {make(D - 1), make(D - 1)}.

check({nil, nil}) -> 1;
check({L, R}) -> 1 + check(L) + check(R).

trees() ->
    Long = make(12),
    Short = [check(make(D)) || D <- lists:seq(2, 12, 3), _ <- lists:seq(1, 3)],
    Deep = deep(10000, leaf),
    {check(Long), lists:sum(Short), depth(Deep, 0), check(Long)}.

deep(0, T) -> T;
deep(N, T) -> deep(N - 1, {node, N, T}).

depth(leaf, D) -> D;
depth({node, _, T}, D) -> depth(T, D + 1).

%% A long list of small tuples, then its reverse and a map over it.
wide() ->
    L = [{I, I * I, [I]} || I <- lists:seq(1, 30000)],
    R = lists:reverse(L),
    M = lists:map(fun({A, B, [C]}) -> A + B - C end, R),
    {length(L), lists:sum(M), element(1, hd(R)), lists:last(M)}.

%% Tuples up to a size that needs a heap fragment or a grown heap at once.
big_tuples() ->
    Sizes = [1, 7, 100, 1000, 70000, 300000],
    Ts = [list_to_tuple(lists:seq(1, S)) || S <- Sizes],
    Set = [setelement(S, T, x) || {S, T} <- lists:zip(Sizes, Ts)],
    Built = [erlang:make_tuple(S, {S}) || S <- Sizes],
    {[tuple_size(T) || T <- Ts], [element(S, T) || {S, T} <- lists:zip(Sizes, Set)],
     lists:sum([S || T <- Built, {S} <- [element(tuple_size(T), T)]]),
     lists:sum(tuple_to_list(lists:nth(5, Ts)))}.

%% Float arithmetic whose intermediate results are boxed on the heap.
floats() ->
    {S, P} = float_loop(50000, 0.0, 1.0),
    Fs = [X * 0.5 || X <- lists:seq(1, 20000) ++ [0]],
    {round(S), P > 0, lists:sum([float(X) || X <- Fs]) == lists:sum(Fs),
     float_tuple(30000, {0.0, 0.0, 0.0})}.

float_loop(0, S, P) -> {S, P};
float_loop(N, S, P) -> float_loop(N - 1, S + N / 3.0, P * 0.999999 + 1.0e-9).

float_tuple(0, {A, B, C}) -> {round(A), round(B), round(C)};
float_tuple(N, {A, B, C}) -> float_tuple(N - 1, {A + 1.5, B - 0.25, C + A * 1.0e-6}).

%% n-body style: 7-tuples of floats rebuilt from registers and boxed results.
bodies() ->
    Bs = [{float(I), float(I * 2), float(-I), 0.01 * I, -0.02 * I, 0.03, 1.0 + I} || I <- lists:seq(1, 5)],
    Final = step(3000, Bs),
    [{round(X * 1000), round(VZ * 1000)} || {X, _, _, _, _, VZ, _} <- Final].

step(0, Bs) -> Bs;
step(N, Bs) -> step(N - 1, [pull(B, Bs) || B <- Bs]).

pull({X, Y, Z, VX, VY, VZ, M}, Bs) ->
    {AX, AY, AZ} = lists:foldl(fun({X2, Y2, Z2, _, _, _, M2}, {AX, AY, AZ}) ->
                                       DX = X2 - X, DY = Y2 - Y, DZ = Z2 - Z,
                                       D2 = DX * DX + DY * DY + DZ * DZ + 0.01,
                                       F = M2 / (D2 * math:sqrt(D2)) * 1.0e-5,
                                       {AX + DX * F, AY + DY * F, AZ + DZ * F}
                               end, {0.0, 0.0, 0.0}, Bs),
    {X + VX * 0.01, Y + VY * 0.01, Z + VZ * 0.01, VX + AX, VY + AY, VZ + AZ, M}.

%% A growing live structure kept across many collections (promotion to the
%% old generation, then full sweeps), with garbage allocated between.
live_across_gcs() ->
    Keep = keep(1500, []),
    {length(Keep), lists:sum([A + length(B) || {A, B} <- Keep]),
     element(1, hd(Keep)), erlang:phash2(lists:sublist(Keep, 50))}.

keep(0, Acc) -> Acc;
keep(N, Acc) ->
    _ = lists:seq(1, 200),
    keep(N - 1, [{N, lists:seq(1, N rem 17)} | Acc]).

%% Binaries on the heap (small) and off it (large), kept and dropped.
binaries() ->
    Small = [<<I:32, (I * 3):32>> || I <- lists:seq(1, 20000)],
    Large = [binary:copy(<<I>>, 200) || I <- lists:seq(1, 300)],
    erlang:garbage_collect(),
    Subs = [binary:part(B, 10, 5) || B <- Large],
    erlang:garbage_collect(),
    {lists:sum([A + B || <<A:32, B:32>> <- Small]), byte_size(iolist_to_binary(Large)),
     lists:sum([X || <<X, _/binary>> <- Subs])}.

%% Funs with free variables on the heap, called after collections.
funs() ->
    Fs = [fun(X) -> X + I * J end || I <- lists:seq(1, 300), J <- [I, I + 1]],
    _ = [lists:seq(1, 100) || _ <- lists:seq(1, 300)],
    erlang:garbage_collect(),
    Adders = lists:foldl(fun(F, Acc) -> [fun() -> F(1) end | Acc] end, [], Fs),
    lists:sum([A() || A <- Adders]).

min_heap() ->
    Old = process_flag(min_heap_size, 5000),
    R = check(make(10)),
    erlang:garbage_collect(),
    {min_heap_size, Now} = process_info(self(), min_heap_size),
    process_flag(min_heap_size, Old),
    {R, Now >= 5000, is_integer(Old)}.

spawn_opts() ->
    Self = self(),
    Opts = [[{min_heap_size, 10000}], [{fullsweep_after, 0}], [{fullsweep_after, 3}],
            [{min_heap_size, 300}, {fullsweep_after, 10}], [{min_bin_vheap_size, 100000}]],
    Results = [begin
                   {P, Ref} = spawn_opt(fun() -> Self ! {self(), work()} end, [monitor | Opt]),
                   R = receive {P, V} -> V end,
                   receive {'DOWN', Ref, process, P, Why} -> {R, Why} end
               end || Opt <- Opts],
    {P2, Ref2} = spawn_opt(fun() -> receive go -> ok end,
                                     Self ! {fs, process_info(self(), garbage_collection)} end,
                           [monitor, {fullsweep_after, 7}, {min_heap_size, 2000}]),
    P2 ! go,
    GcInfo = receive {fs, {garbage_collection, L}} -> L end,
    receive {'DOWN', Ref2, process, P2, _} -> ok end,
    {Results, proplists:get_value(fullsweep_after, GcInfo),
     proplists:get_value(min_heap_size, GcInfo) >= 2000}.

work() ->
    L = keep(500, []),
    T = check(make(9)),
    {length(L), T, round(element(1, float_tuple(1000, {0.0, 0.0, 0.0})))}.

%% garbage_collect/1,2 on itself and on others, minor and major, async.
gc_bifs() ->
    Self = self(),
    Ps = [spawn(fun() -> Keep = keep(400, []), Self ! {ready, self()},
                          receive stop -> Self ! {done, self(), length(Keep)} end end)
          || _ <- lists:seq(1, 4)],
    [receive {ready, P} -> ok end || P <- Ps],
    A = [erlang:garbage_collect(P) || P <- Ps],
    B = [erlang:garbage_collect(P, [{type, minor}]) || P <- Ps],
    Ref = make_ref(),
    C = [erlang:garbage_collect(P, [{async, Ref}]) || P <- Ps],
    D = [receive {garbage_collect, Ref, Res} -> Res end || _ <- Ps],
    [P ! stop || P <- Ps],
    E = [receive {done, P, N} -> N end || P <- Ps],
    Dead = spawn(fun() -> ok end),
    Mon = monitor(process, Dead),
    receive {'DOWN', Mon, process, Dead, _} -> ok end,
    Bad = (catch erlang:garbage_collect(Dead, [{type, bogus}])),
    {A, B, C, D, E, erlang:garbage_collect(Dead), erlang:garbage_collect(self(), [{type, major}]),
     element(1, Bad)}.

%% Pairs built at the end of a function (the code shape of binary trees' make/1)
%% next to a mix of immediates and registers in tuples.
pairs() ->
    L = lists:foldl(fun(I, Acc) -> [mk(I) | Acc] end, [], lists:seq(1, 20000)),
    {length(L), lists:sum([A + B + C || {{A, B}, {x, C, y}} <- L])}.

mk(I) ->
    P = pair(I),
    {P, {x, I * 2, y}}.

pair(I) -> {id(I), id(I + 1)}.

id(X) -> X.

%% math:sqrt/1 (its float case is inline): floats, integers, errors.
sqrt() ->
    Roots = [math:sqrt(X) || X <- id([0.0, 2.0, 1.0e300, 4, 10000000000000000000000])],
    Neg = (catch math:sqrt(id(-1.0))),
    Bad = (catch math:sqrt(id(foo))),
    Many = lists:foldl(fun(I, Acc) -> Acc + math:sqrt(float(I)) end, 0.0, lists:seq(1, 20000)),
    {Roots, top(Neg), top(Bad), round(Many)}.

top({'EXIT', {Reason, [Frame | _]}}) -> {Reason, Frame}.
