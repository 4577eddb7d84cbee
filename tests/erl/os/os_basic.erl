%% os: getenv/putenv/unsetenv/env, getpid, type, version, timestamps and
%% clocks, set_signal, with OTP's errors. Prints no values that differ
%% between runs (pids, times): only their shapes and relations.
-module(os_basic).
-export([main/0]).

main() ->
    env(),
    pid(),
    kind(),
    clocks(),
    signals().

env() ->
    p(putenv, os:putenv("ERB_OS_TEST", "value 1")),
    p(getenv, os:getenv("ERB_OS_TEST")),
    p(getenv2, os:getenv("ERB_OS_TEST", "dflt")),
    p(in_env, lists:member({"ERB_OS_TEST", "value 1"}, os:env())),
    p(in_getenv0, lists:member("ERB_OS_TEST=value 1", os:getenv())),
    p(putenv_empty_value, os:putenv("ERB_OS_TEST", "")),
    p(getenv_empty, os:getenv("ERB_OS_TEST")),
    p(unsetenv, os:unsetenv("ERB_OS_TEST")),
    p(getenv_unset, os:getenv("ERB_OS_TEST")),
    p(getenv2_unset, os:getenv("ERB_OS_TEST", "dflt")),
    p(unsetenv_missing, os:unsetenv("ERB_OS_TEST_NEVER")),
    p(env_pairs, lists:all(fun({K, V}) -> is_list(K) andalso is_list(V) end, os:env())),
    p(putenv_bad_name, catch os:putenv(foo, "x")),
    p(putenv_bad_value, catch os:putenv("ERB_X", foo)),
    p(getenv_bad, catch os:getenv(foo)),
    p(getenv_eq, catch os:getenv("A=B")),
    p(unsetenv_eq, catch os:unsetenv("A=B")),
    p(putenv_eq, catch os:putenv("A=B", "x")),
    p(putenv_nul, catch os:putenv("ERB_Q", [0])),
    p(putenv_deep, os:putenv(["ERB_", ["DEEP"]], ["a", ["b"]])),
    p(getenv_deep, os:getenv("ERB_DEEP")),
    p(putenv_unicode, catch os:putenv("ERB_U", [233, 16#3b1])),
    p(getenv_unicode, os:getenv("ERB_U") =:= [233, 16#3b1] orelse file:native_name_encoding()),
    p(home_set, is_list(os:getenv("PATH"))).

pid() ->
    P = os:getpid(),
    p(getpid_digits, lists:all(fun(C) -> C >= $0 andalso C =< $9 end, P)),
    p(getpid_stable, P =:= os:getpid()).

kind() ->
    p(type, os:type()),
    {Ma, Mi, Re} = os:version(),
    p(version, {is_integer(Ma), is_integer(Mi), is_integer(Re)}).

clocks() ->
    {M, S, U} = os:timestamp(),
    p(timestamp, M > 1000 andalso S < 1000000 andalso U < 1000000),
    T0 = os:system_time(),
    T1 = os:system_time(second),
    p(system_time, abs(T0 div 1000000000 - T1) =< 1),
    p(system_time_ms, abs(os:system_time(millisecond) div 1000 - T1) =< 1),
    E = erlang:system_time(second),
    p(erlang_system_time, abs(E - T1) =< 1),
    p(time_offset, is_integer(erlang:time_offset())),
    p(time_offset_unit, abs(erlang:time_offset(second) - (E - erlang:monotonic_time(second))) =< 1),
    P0 = os:perf_counter(),
    P1 = os:perf_counter(nanosecond),
    p(perf_counter, P1 >= P0),
    p(perf_counter_unit, is_integer(os:perf_counter(millisecond))),
    p(system_time_bad, catch os:system_time(lightyears)).

signals() ->
    p(set_signal_ignore, os:set_signal(sigusr2, ignore)),
    p(set_signal_default, os:set_signal(sigusr2, default)),
    p(set_signal_bad, catch os:set_signal(sigkill, ignore)),
    p(set_signal_bad_opt, catch os:set_signal(sighup, sideways)).

p(Tag, {'EXIT', {Reason, _}}) -> io:format("~p: EXIT ~p~n", [Tag, Reason]);
p(Tag, R) -> io:format("~p: ~p~n", [Tag, R]).
