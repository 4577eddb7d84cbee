-module(crash_uncaught).
-export([main/0]).

%% main/0 raises an uncaught error after printing a line. Both VMs must
%% exit with status 1 and print {"init terminating in do_boot",Reason}
%% (tests/diff.sh strips the stack trace from that line).

main() ->
    io:format("before the crash~n"),
    %% OTP's init halts without flushing standard output: give its I/O
    %% server time to write the line above, or OTP itself may lose it.
    spin(20000000),
    error({badthing, 42}).

spin(0) -> ok;
spin(N) -> spin(N - 1).
