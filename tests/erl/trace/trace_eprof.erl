%% eprof unchanged: profile a small deterministic program (local, remote,
%% apply/2,3, funs, a BIF) and print each function's call count (the
%% times left out), as eprof's analysis reports them.
-module(trace_eprof).
-export([main/0, run/1, fib/1, twice/1]).

fib(N) when N < 2 -> N;
fib(N) -> fib(N - 1) + fib(N - 2).

twice(X) -> 2 * X.

run(N) ->
    A = fib(N),
    B = apply(fun twice/1, [A]),
    C = apply(?MODULE, twice, [B]),
    D = erlang:apply(fun(X) -> X + 1 end, [C]),
    E = lists:reverse(lists:seq(1, N)),
    {A, B, C, D, E, erlang:phash2(E)}.

main() ->
    {ok, _} = eprof:start(),
    {ok, R} = eprof:profile([], fun() -> run(10) end),
    io:format("result ~p~n", [R]),
    [io:format("~p~n", [counts(Fs)]) || {_Pid, Fs} <- eprof:dump()],
    io:format("start ~p~n", [eprof:start_profiling([self()], {?MODULE, '_', '_'})]),
    run(6),
    io:format("stop ~p~n", [eprof:stop_profiling()]),
    [io:format("~p~n", [counts(Fs)]) || {_Pid, Fs} <- eprof:dump()],
    eprof:stop().

counts(Fs) -> lists:sort([{MFA, N} || {MFA, {N, _Us}} <- Fs]).
