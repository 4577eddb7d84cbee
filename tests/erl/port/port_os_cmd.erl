%% os:cmd/1,2: kernel's own os.beam over a {spawn, "/bin/sh -s unix:cmd"} port
%% (standard error merged, end marker, max_size, bad commands). Needs the
%% files/OS natives (file:read_file_info/2 raw, erlang:system_info(os_type)).
-module(port_os_cmd).
-export([main/0]).

reason(F) -> try F() catch C:R -> {C, R} end.

main() ->
    Before = erlang:ports(),
    io:format("~p~n", [os:cmd("echo hi; echo err >&2")]),
    io:format("~p~n", [os:cmd("printf 'a\\nb'")]),
    io:format("~p~n", [os:cmd("exit 3")]),
    io:format("~p~n", [length(os:cmd("seq 1 20000"))]),
    io:format("~p~n", [os:cmd("cat")]),
    io:format("~p~n", [os:cmd("echo 1234567890abc", #{max_size => 10})]),
    io:format("~p~n", [os:cmd("echo unlimited", #{max_size => infinity})]),
    io:format("~p~n", [os:cmd('echo atom')]),
    io:format("~p~n", [os:cmd(["echo ", "deep"])]),
    io:format("~p~n", [os:cmd("printf '\\303\\251'")]),
    io:format("~p~n", [os:cmd("echo $0; cd / && pwd")]),
    io:format("~p~n", [reason(fun() -> os:cmd(<<"echo bin">>) end)]),
    io:format("~p~n", [reason(fun() -> os:cmd("echo \0 nul") end)]),
    io:format("~p~n", [reason(fun() -> os:cmd("true", #{bad => 1}) end)]),
    Self = self(),
    [spawn(fun() -> Self ! {N, os:cmd("echo " ++ integer_to_list(N))} end) || N <- lists:seq(1, 10)],
    io:format("~p~n", [lists:sort([receive {N, R} -> {N, R} end || N <- lists:seq(1, 10)])]),
    io:format("ports left: ~p~n", [erlang:ports() -- Before]).
