-module(prof_sample_split).
-export([main/0]).

%% Stack sampling attributes time by call path: one process spends three
%% quarters of its time in leaf/2 called from path_a/1 and a quarter in the
%% same leaf called from path_b/1 (three times and once the same work),
%% until 3,000 samples are in. Schedulers sample per CPU time, so a slow
%% build or a busy machine takes longer, not fewer; the kernel fires CPU
%% timers at its tick, so that is about 750 distinct observations at 250 Hz.
%% The samples whose stack holds path_a or path_b must split 75/25 within 5
%% points. Only the comparisons are printed, so the output is stable.

-define(ENOUGH, 3000).
-define(UNIT, 2000).

main() ->
    ok = erbium:sample_start(997, false),
    Worker = spawn(fun work/0),
    wait_for_samples(Worker, erlang:monotonic_time(millisecond) + 120000),
    erbium:sample_stop(),
    exit(Worker, kill),
    Stacks = [Frames || {Pid, _, Frames} = S <- erbium:samples(), Pid =:= Worker, _ <- lists:seq(1, count(S))],
    A = length([F || F <- Stacks, on_path(path_a, F)]),
    B = length([F || F <- Stacks, on_path(path_b, F)]),
    Share = A / max(1, A + B),
    io:format("enough samples: ~p~n", [A + B >= ?ENOUGH]),
    InLeaf = length([F || F <- Stacks, in_leaf(F), on_path(path_a, F) orelse on_path(path_b, F)]),
    io:format("path samples in leaf/2 at least 95 %: ~p~n", [InLeaf >= 0.95 * (A + B)]),
    io:format("path_a share within 75 +- 5 %: ~p~n", [Share >= 0.70 andalso Share =< 0.80]),
    io:format("path_b share within 25 +- 5 %: ~p~n", [1 - Share >= 0.20 andalso 1 - Share =< 0.30]),
    case Share >= 0.70 andalso Share =< 0.80 of
        true -> ok;
        false -> io:format(standard_error, "a=~p b=~p share=~p~n", [A, B, Share])
    end,
    erbium:sample_clear().

count({_, N, _}) -> N.

wait_for_samples(Worker, Deadline) ->
    timer:sleep(100),
    N = lists:sum([N || {Pid, N, _} <- erbium:samples(), Pid =:= Worker]),
    case N < ?ENOUGH + 50 andalso erlang:monotonic_time(millisecond) < Deadline of
        true -> wait_for_samples(Worker, Deadline);
        false -> ok
    end.

work() ->
    path_a(?UNIT),
    path_b(?UNIT),
    work().

%% body calls (the list is built after the call), so each path keeps its frame
path_a(N) -> [leaf(3 * N, 0)].
path_b(N) -> [leaf(N, 0)].

leaf(0, Acc) -> Acc;
leaf(N, Acc) -> leaf(N - 1, Acc + 1).

on_path(Name, Frames) -> lists:any(fun({prof_sample_split, F, 1, _}) -> F =:= Name; (_) -> false end, Frames).

in_leaf([{prof_sample_split, leaf, 2, _} | _]) -> true;
in_leaf(_) -> false.
