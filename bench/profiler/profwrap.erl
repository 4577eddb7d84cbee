%% Runs a benchmark's main/0 with the profiler on its module:
%%   erl -s profwrap main plain|call_count|call_time|call_memory <module>
%% call_time and call_memory also trace every process (erlang:trace(all,
%% true, [call])), as tprof does, so processes the benchmark spawns are
%% counted too. call_memory is OTP 26's: OTP 25 refuses it (badarg).
-module(profwrap).
-export([main/1]).

main([Mode, Mod]) ->
    _ = Mod:module_info(), % load it: patterns only match loaded modules
    enable(Mode, Mod),
    Mod:main().

enable(plain, _) -> ok;
enable(call_count, Mod) -> erlang:trace_pattern({Mod, '_', '_'}, true, [call_count]);
enable(Kind, Mod) when Kind =:= call_time; Kind =:= call_memory ->
    erlang:trace(all, true, [call]),
    erlang:trace_pattern({Mod, '_', '_'}, true, [Kind]).
