-module(crash_exit).
-export([main/0]).

%% main/0 exits with a reason after printing: status 1 and
%% {"init terminating in do_boot",{shutdown,requested}} on both VMs.

main() ->
    io:format("exiting~n"),
    %% OTP's init halts without flushing standard output: give its I/O
    %% server time to write the line above.
    spin(20000000),
    exit({shutdown, requested}).

spin(0) -> ok;
spin(N) -> spin(N - 1).
