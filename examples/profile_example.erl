%% Called by examples/profile_example.c, which profiles it through the C API
%% (include/erbium/profiler.h).
-module(profile_example).
-export([main/0, fib/1, worker/2]).

fib(N) when N < 2 -> N;
fib(N) -> fib(N - 1) + fib(N - 2).

%% Four processes compute fib(15) (1973 calls each) and report.
main() ->
    Self = self(),
    Pids = [spawn(?MODULE, worker, [Self, 15]) || _ <- [1, 2, 3, 4]],
    [receive {done, P} -> ok end || P <- Pids],
    ok.

worker(Parent, N) ->
    fib(N),
    Parent ! {done, self()}.
