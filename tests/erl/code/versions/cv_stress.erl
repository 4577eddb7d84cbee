%% Compiled by make_beams.sh with -DVSN=1 and -DVSN=2, for tests/stress/code_stress.erl.
-module(cv_stress).
-export([f/1, loop/2, make_fun/0, lit/0]).

f(N) -> g(N) + ?VSN.

g(N) -> N * 2.

make_fun() -> fun(X) -> X + ?VSN end.

%% Calls f/1 N times, locally or fully qualified, and returns the sum.
loop(0, Acc) -> Acc;
loop(N, Acc) when N rem 2 =:= 0 -> loop(N - 1, Acc + f(N));
loop(N, Acc) -> ?MODULE:loop(N - 1, Acc + ?MODULE:f(N)).

%% Literals of this version: a process that keeps them must find them intact
%% after the version is purged and its literal area released.
lit() -> {?VSN, [alpha, "beta", {3.25, <<"small">>}], #{key => [1, 2, 3]},
          <<"an off-heap binary literal: 0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdef">>}.
