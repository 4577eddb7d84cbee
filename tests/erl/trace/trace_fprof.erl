%% fprof unchanged: trace a small deterministic program to a file through
%% dbg's trace_file_drv port, read it back, analyse, and print the call
%% counts and the call graph of this module's functions (timings and the
%% rest of the system left out).
-module(trace_fprof).
-export([main/0, run/1, fib/1, sum/1]).

fib(N) when N < 2 -> N;
fib(N) -> fib(N - 1) + fib(N - 2).

sum(L) -> lists:foldl(fun(X, A) -> X + A end, 0, L).

run(N) ->
    F = fib(N),
    S = sum(lists:seq(1, N)),
    {F, S, ?MODULE:fib(3)}.

main() ->
    Base = "fprof_" ++ os:getpid(),
    Trace = Base ++ ".trace",
    Analysis = Base ++ ".analysis",
    R = fprof:apply(?MODULE, run, [8], [{file, Trace}]),
    io:format("result ~p~n", [R]),
    io:format("profile ~p~n", [fprof:profile([{file, Trace}])]),
    io:format("analyse ~p~n", [fprof:analyse([{dest, Analysis}, {totals, false}])]),
    {ok, Terms} = file:consult(Analysis),
    [print(T) || T <- lists:sort([T || {_, {{?MODULE, _, _}, _, _, _}, _} = T <- Terms])],
    fprof:stop(),
    file:delete(Trace),
    file:delete(Analysis).

%% Callers and callees in this module or in lists (no BIFs, no pseudo functions).
mine({{M, _, _}, _, _, _}) -> M =:= ?MODULE orelse M =:= lists;
mine(_) -> false.

print({Callers, {MFA, Cnt, _, _}, Callees}) when element(1, MFA) =:= ?MODULE ->
    io:format("~p called ~p~n  from ~p~n  calls ~p~n",
              [MFA, Cnt, counts(Callers), counts(Callees)]);
print(_) -> ok.

counts(L) -> lists:sort([{M, C} || {M, C, _, _} = E <- L, mine(E)]).
