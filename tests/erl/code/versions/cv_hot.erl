%% Compiled twice by make_beams.sh (-DVSN=1, -DVSN=2) into code_beams.hrl.
-module(cv_hot).
-export([vsn/0, loop/0, idle/0, make_fun/0, deep/1]).

vsn() -> ?VSN.

%% A server loop: local calls stay in its version, a fully qualified call
%% moves it to the current code.
loop() ->
    receive
        {ask, From} -> From ! {vsn, vsn()}, loop();
        upgrade -> ?MODULE:loop();
        stop -> ok
    end.

%% Waits in this version until told to return.
idle() ->
    receive stop -> ok end.

make_fun() -> fun() -> {fun_vsn, ?VSN} end.

%% Waits with a frame of this version on the stack.
deep(0) -> receive stop -> ok end, 0;
deep(N) -> 1 + deep(N - 1).
