%% persistent_term: put/get/erase semantics, values that outlive the
%% putter's heap, many keys, and readers racing a writer.
-module(proc_pterm).
-export([main/0]).

main() ->
    basics(),
    values(),
    outlive_putter(),
    many_keys(),
    racing_readers(),
    listing(),
    io:format("~p~n", [lists:keyfind(pa, 1, init:get_arguments()) =/= false]),
    io:format("features ~p~n", [erl_features:enabled()]).

basics() ->
    K = {?MODULE, basic},
    io:format("~p~n", [persistent_term:get(K, none)]),
    io:format("~p~n", [try_get(K)]),
    io:format("~p~n", [persistent_term:put(K, 1)]),
    io:format("~p ~p~n", [persistent_term:get(K), persistent_term:get(K, none)]),
    ok = persistent_term:put(K, 1),
    ok = persistent_term:put(K, 1.0),
    io:format("~p~n", [persistent_term:get(K)]),
    io:format("~p ~p~n", [persistent_term:erase(K), persistent_term:erase(K)]),
    io:format("~p~n", [persistent_term:get(K, gone)]),
    ok = persistent_term:put(K, again),
    io:format("~p~n", [persistent_term:get(K)]),
    %% 1 and 1.0 are different keys
    persistent_term:put({?MODULE, 1}, int),
    persistent_term:put({?MODULE, 1.0}, float),
    io:format("~p ~p~n", [persistent_term:get({?MODULE, 1}), persistent_term:get({?MODULE, 1.0})]).

values() ->
    Big = 1 bsl 200 + 7,
    Bin = binary:copy(<<"refc">>, 100),
    Fun = fun(X) -> X + Big end,
    V = #{list => lists:seq(1, 50), big => Big, float => 2.5, bin => Bin,
          sub => binary:part(Bin, 3, 10), tuple => {a, "str", [x | y]},
          ref => make_ref(), pid => self(), fun_ => Fun},
    persistent_term:put({?MODULE, value}, V),
    Got = persistent_term:get({?MODULE, value}),
    churn(),
    io:format("~p ~p~n", [Got =:= V, (maps:get(fun_, Got))(1) =:= Big + 1]),
    io:format("~p~n", [maps:without([ref, pid, fun_], Got)]).

%% The stored copy is independent of the process that put it.
outlive_putter() ->
    Self = self(),
    {Pid, Ref} = spawn_monitor(fun() ->
        persistent_term:put({?MODULE, orphan}, [binary:copy(<<7>>, 1000), lists:seq(1, 1000)]),
        Self ! done
    end),
    receive done -> ok end,
    receive {'DOWN', Ref, process, Pid, normal} -> ok end,
    churn(),
    [B, L] = persistent_term:get({?MODULE, orphan}),
    io:format("~p ~p~n", [byte_size(B), lists:sum(L)]).

many_keys() ->
    [persistent_term:put({?MODULE, n, I}, {I, integer_to_list(I)}) || I <- lists:seq(1, 2000)],
    [true = persistent_term:erase({?MODULE, n, I}) || I <- lists:seq(1, 2000, 3)],
    Found = [I || I <- lists:seq(1, 2000), persistent_term:get({?MODULE, n, I}, none) =/= none],
    io:format("~p ~p~n", [length(Found), lists:sum(Found)]),
    {8, "8"} = persistent_term:get({?MODULE, n, 8}),
    io:format("~p~n", [try_get({?MODULE, n, 1})]).

try_get(K) ->
    try persistent_term:get(K) catch C:R -> {C, R} end.

%% Enough garbage that the caller's heap is collected (and moved) several times.
churn() ->
    lists:foldl(fun(I, Acc) -> length(lists:seq(1, 1000)) + I + Acc end, 0, lists:seq(1, 300)).

%% Readers see only whole values while one writer replaces them.
racing_readers() ->
    K = {?MODULE, race},
    persistent_term:put(K, {0, lists:seq(0, 99)}),
    Self = self(),
    Readers = [spawn_link(fun() -> read_loop(K, Self, 0) end) || _ <- lists:seq(1, 4)],
    [persistent_term:put(K, {N, lists:seq(N, N + 99)}) || N <- lists:seq(1, 300)],
    [R ! stop || R <- Readers],
    Bad = lists:sum([receive {checked, R, B} -> B end || R <- Readers]),
    io:format("race bad ~p last ~p~n", [Bad, element(1, persistent_term:get(K))]).

read_loop(K, Parent, Bad) ->
    {N, L} = persistent_term:get(K),
    Bad1 = case L =:= lists:seq(N, N + 99) of true -> Bad; false -> Bad + 1 end,
    receive stop -> Parent ! {checked, self(), Bad1}
    after 0 -> read_loop(K, Parent, Bad1)
    end.

%% get/0 lists every stored pair; OTP's also holds the system's own keys.
listing() ->
    Mine = lists:sort([{K, V} || {K, V} <- persistent_term:get(),
                                 is_tuple(K), element(1, K) =:= ?MODULE, tuple_size(K) =:= 2,
                                 not is_map(V), not is_list(V)]),
    io:format("~p~n", [Mine]).
