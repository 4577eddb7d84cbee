%% Ports to child processes: {spawn, Cmd} and {spawn_executable, File}, their
%% messages (data, eof, exit_status), line and packet modes, binary and list
%% data, and what open_port gives for bad names and options.
-module(port_spawn).
-export([main/0]).

r() -> receive M -> strip(M) after 5000 -> timeout end.
rs(N) -> [r() || _ <- lists:seq(1, N)].

%% Port identities vary between VMs: print 'P' instead.
strip({P, M}) when is_port(P) -> {'P', M};
strip({'EXIT', P, R}) when is_port(P) -> {'EXIT', 'P', R};
strip({'DOWN', _, port, P, R}) when is_port(P) -> {'DOWN', port, 'P', R};
strip(M) -> M.

reason(F) -> try F(), no_error catch C:R -> {C, R} end.

main() ->
    process_flag(trap_exit, true),
    _ = open_port({spawn, "echo hello; echo there"}, []),
    io:format("echo: ~p~n", [collect([])]),
    P1 = open_port({spawn, "cat"}, []),
    port_command(P1, "abc"),
    io:format("cat: ~p~n", [r()]),
    port_command(P1, [<<"de">>, $f, ["g"]]),
    io:format("cat iolist: ~p~n", [r()]),
    true = port_close(P1),
    io:format("after close: ~p~n", [rs(1)]),
    P2 = open_port({spawn, "cat"}, [binary]),
    true = port_command(P2, "xyz"),
    io:format("binary: ~p~n", [r()]),
    Big = list_to_binary(lists:duplicate(100000, $q)),
    port_command(P2, Big),
    io:format("big: ~p~n", [gather(P2, 100000, <<>>)]),
    port_close(P2),
    rs(1),
    exit_status(),
    line_mode(),
    packets(),
    executable(),
    errors(),
    ok.

collect(Acc) ->
    case r() of
        {'P', {data, D}} -> collect([D | Acc]);
        Other -> {lists:append(lists:reverse(Acc)), Other}
    end.

gather(_P, 0, Acc) -> byte_size(Acc);
gather(P, N, Acc) ->
    receive {P, {data, D}} -> gather(P, N - byte_size(D), <<Acc/binary, D/binary>>)
    after 5000 -> {timeout, byte_size(Acc)}
    end.

exit_status() ->
    _ = open_port({spawn, "echo hi; exit 3"}, [exit_status]),
    io:format("exit_status: ~p~n", [rs(3)]),
    _ = open_port({spawn, "sh -c 'echo out; exit 7'"}, [exit_status, eof]),
    io:format("exit_status eof: ~p~n", [rs(3)]),
    P = open_port({spawn, "kill -9 $$"}, [exit_status]),
    io:format("signal: ~p~n", [rs(2)]),
    io:format("closed port_info: ~p~n", [erlang:port_info(P)]),
    _ = open_port({spawn, "printf abc"}, [eof]),
    io:format("eof: ~p~n", [rs(2)]).

line_mode() ->
    _ = open_port({spawn, "printf 'ab\\ncdefgh\\nx'"}, [{line, 3}, binary]),
    io:format("line: ~p~n", [rs(5)]),
    _ = open_port({spawn, "printf 'abc\\nabcd\\n\\nab'"}, [{line, 3}]),
    io:format("line edge: ~p~n", [rs(6)]),
    P = open_port({spawn, "cat"}, [{line, 1000000}, binary]),
    Huge = binary:copy(<<"0123456789">>, 50000),
    port_command(P, [Huge, "\nshort\n"]),
    io:format("huge line: ~p~n", [case r() of
                                     {'P', {data, {eol, L1}}} -> {byte_size(L1), L1 =:= Huge};
                                     {'P', {data, {T, L1}}} -> {T, byte_size(L1)};
                                     Other -> Other
                                 end]),
    io:format("after huge: ~p~n", [r()]),
    P2 = open_port({spawn, "cat"}, [{line, 4}]),
    port_command(P2, "abcdefghij\n"),
    io:format("split line: ~p~n", [rs(3)]),
    port_close(P2), port_close(P),
    rs(2).

packets() ->
    lists:foreach(
      fun(N) ->
              P = open_port({spawn, "cat"}, [{packet, N}, binary]),
              port_command(P, "hello"),
              port_command(P, ["two", <<" packets">>]),
              port_command(P, <<>>),
              io:format("packet ~p: ~p~n", [N, rs(3)]),
              port_close(P),
              rs(1)
      end, [1, 2, 4]),
    %% The raw bytes a packet port writes: cat them back through a stream port.
    Echo = open_port({spawn, "cat"}, [{packet, 2}]),
    port_command(Echo, "xy"),
    io:format("packet list: ~p~n", [r()]),
    port_close(Echo),
    rs(1).

executable() ->
    Sh = "/bin/sh",
    _ = open_port({spawn_executable, Sh},
                  [{args, ["-c", "echo $0 $1 $2 $FOO; pwd; exit 4", "zero", "one", "two"]},
                   {env, [{"FOO", "bar"}]}, {cd, "/"}, exit_status]),
    io:format("exec: ~p~n", [collect([])]),
    io:format("exec status: ~p~n", [r()]),
    _ = open_port({spawn_executable, Sh},
                  [{args, ["-c", "echo ${HOME:-unset} $0"]}, {arg0, "myname"}, {env, [{"HOME", false}]}]),
    io:format("arg0/unset: ~p~n", [collect([])]),
    _ = open_port({spawn_executable, Sh}, [{args, ["-c", "echo err >&2"]}, stderr_to_stdout]),
    io:format("stderr_to_stdout: ~p~n", [collect([])]),
    _ = open_port({spawn_executable, list_to_binary(Sh)}, [{args, [<<"-c">>, <<"echo bin">>]}, in]),
    io:format("binary name, in: ~p~n", [collect([])]),
    Out = open_port({spawn, "cat >/dev/null"}, [out]),
    io:format("out only: ~p ~p~n", [port_command(Out, "x"), reason(fun() -> port_close(Out) end)]),
    io:format("out only after: ~p~n", [rs(1)]).

errors() ->
    io:format("missing: ~p~n", [reason(fun() -> open_port({spawn_executable, "/nonexistent/x"}, []) end)]),
    io:format("not executable: ~p~n", [reason(fun() -> open_port({spawn_executable, "/etc/passwd"}, []) end)]),
    io:format("bad option: ~p~n", [reason(fun() -> open_port({spawn, "cat"}, [bad]) end)]),
    io:format("bad packet: ~p~n", [reason(fun() -> open_port({spawn, "cat"}, [{packet, 3}]) end)]),
    io:format("bad line: ~p~n", [reason(fun() -> open_port({spawn, "cat"}, [{line, 0}]) end)]),
    io:format("improper: ~p~n", [reason(fun() -> open_port({spawn, "cat"}, [binary | eof]) end)]),
    io:format("bad name: ~p~n", [reason(fun() -> open_port({spawn, 42}, []) end)]),
    io:format("bad kind: ~p~n", [reason(fun() -> open_port({nothing, "cat"}, []) end)]),
    P = open_port({spawn, "cat"}, []),
    io:format("bad opts: ~p~n", [reason(fun() -> port_command(P, "x", [bad]) end)]),
    io:format("force: ~p~n", [reason(fun() -> port_command(P, "x", [force]) end)]),
    port_command(P, "x"),
    io:format("nosuspend: ~p~n", [port_command(P, "y", [nosuspend])]),
    io:format("data: ~p~n", [rs(2)]),
    port_close(P),
    io:format("close msg: ~p~n", [rs(1)]),
    io:format("closed command: ~p~n", [reason(fun() -> port_command(P, "x") end)]),
    io:format("closed close: ~p~n", [reason(fun() -> port_close(P) end)]),
    io:format("closed info: ~p~n", [erlang:port_info(P)]),
    io:format("closed info item: ~p~n", [erlang:port_info(P, name)]),
    io:format("not a port: ~p~n", [reason(fun() -> port_close(self()) end)]),
    io:format("send to closed: ~p~n", [P ! {foo, {command, "x"}}]),
    io:format("control: ~p~n", [reason(fun() -> port_control(open_port({spawn, "cat"}, []), 1, []) end)]),
    io:format("leftover: ~p~n", [rs(1)]).
