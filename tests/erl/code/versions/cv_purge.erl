%% Compiled by make_beams.sh with -DVSN=1 and -DVSN=2, for the purge tests
%% (tests/erl/purge/, tests/stress/code_stress.erl): literals of several kinds,
%% a loop that stays in its version, and funs.
-module(cv_purge).
-export([vsn/0, lit/0, wait/0, make_fun/0]).

vsn() -> ?VSN.

%% A tuple, a list, a map, a long binary (off-heap) and a float, all literals of this version.
lit() ->
    {version, ?VSN, [alpha, "beta", {gamma, 3.25}], #{key => [1, 2, 3], other => <<"small">>},
     <<"a binary literal long enough to live off the heap as a reference-counted binary: ",
       "0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz">>}.

%% Waits in this version's code until told to stop.
wait() ->
    receive
        stop -> ok;
        {lit, From} -> From ! {self(), lit()}, wait()
    end.

make_fun() -> fun(X) -> {?VSN, X} end.
