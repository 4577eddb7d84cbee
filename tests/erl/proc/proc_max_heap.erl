%% max_heap_size as OTP 25 enforces it: the option's checks (process_flag, spawn_opt,
%% system_flag), the kill (reason killed, untrappable), the gc_max_heap_size trace message
%% between a collection's start and end, and the emulator's error report to the logger.
%% Heap sizes depend on each VM's collector, so only their relations are printed.
-module(proc_max_heap).
-export([main/0, log/2]).

main() ->
    options(),
    kill(),
    no_kill_traced(),
    kill_traced(),
    collect_other(),
    report(),
    ok.

show(Tag, F) ->
    R = try F() of V -> V catch error:E -> {error, E} end,
    io:format("~s: ~p~n", [Tag, R]).

%% Small limits only where the process does not collect (it would be killed).
values(Small) ->
    [0, 232, 100, -5, a, 1 bsl 70, 1.0e3, 100000000,
     #{size => 0, other => x}, #{kill => false}, #{error_logger => false}, #{},
     #{size => 100}, #{size => -1}, #{size => a}, #{size => 100000000, kill => maybe},
     #{size => 100000000, error_logger => 1},
     #{size => 200000000, kill => false, error_logger => false, extra => 1}]
    ++ [V || Small, V <- [233, 1000, #{size => 500}, #{size => 233, kill => false}]].

options() ->
    io:format("default ~p~n", [erlang:system_info(max_heap_size)]),
    Self = self(),
    P = spawn(fun() ->
                  [show(io_lib:format("flag ~p", [V]), fun() -> process_flag(max_heap_size, V) end) || V <- values(false)],
                  Self ! {info, process_info(self(), max_heap_size)}
              end),
    receive {info, I} -> io:format("self ~p~n", [I]) end,
    [show(io_lib:format("spawn_opt ~p", [V]),
          fun() ->
              Q = spawn_opt(fun() -> receive stop -> ok end end, [{max_heap_size, V}]),
              R = process_info(Q, max_heap_size),
              Q ! stop,
              R
          end) || V <- values(true)],
    [show(io_lib:format("system_flag ~p", [V]), fun() -> erlang:system_flag(max_heap_size, V) end) || V <- values(true)],
    io:format("now ~p~n", [erlang:system_info(max_heap_size)]),
    Q = spawn(fun() -> receive stop -> ok end end),
    io:format("new process ~p~n", [process_info(Q, max_heap_size)]),
    Q ! stop,
    erlang:system_flag(max_heap_size, #{size => 0, kill => true, error_logger => true}),
    io:format("restored ~p~n", [erlang:system_info(max_heap_size)]),
    exit(P, kill).

grow() -> length(lists:seq(1, 200000)).

%% The process dies with killed although it traps exits and catches everything.
kill() ->
    Self = self(),
    {P, R} = spawn_opt(fun() ->
                           process_flag(trap_exit, true),
                           Self ! started,
                           try grow() catch C:E -> Self ! {caught, C, E} end,
                           Self ! survived
                       end,
                       [monitor, {max_heap_size, #{size => 1000, kill => true, error_logger => false}}]),
    receive started -> ok end,
    receive {'DOWN', R, process, P, Why} -> io:format("kill: down ~p~n", [Why]) end,
    io:format("kill: after ~p~n", [flush()]),
    %% garbage_collect() of itself over the limit
    {P2, R2} = spawn_opt(fun() ->
                             L = lists:seq(1, 5000),
                             process_flag(max_heap_size, #{size => 1000, kill => true, error_logger => false}),
                             erlang:garbage_collect(),
                             Self ! {survived, length(L)}
                         end, [monitor]),
    receive {'DOWN', R2, process, P2, Why2} -> io:format("kill gc: down ~p~n", [Why2]) end,
    io:format("kill gc: after ~p~n", [flush()]),
    %% a limit above what the process needs changes nothing
    {P3, R3} = spawn_opt(fun() -> exit({len, grow()}) end,
                         [monitor, {max_heap_size, #{size => 10000000, kill => true}}]),
    receive {'DOWN', R3, process, P3, Why3} -> io:format("large limit: down ~p~n", [Why3]) end.

traced(Opt, Body) ->
    Self = self(),
    {P, R} = spawn_opt(fun() ->
                           erlang:trace(self(), true, [garbage_collection, {tracer, Self}]),
                           Body()
                       end, [monitor, {max_heap_size, Opt}]),
    receive {'DOWN', R, process, P, Why} -> ok end,
    {Why, [{T, I} || {trace, Q, T, I} <- flush(), Q =:= P]}.

kind(gc_minor_start) -> start;
kind(gc_major_start) -> start;
kind(gc_minor_end) -> 'end';
kind(gc_major_end) -> 'end';
kind(T) -> T.

%% Every gc_max_heap_size comes between a start and an end, with the heap it was about to make.
no_kill_traced() ->
    {Why, Msgs} = traced(#{size => 1000, kill => false, error_logger => false}, fun() -> exit({len, grow()}) end),
    io:format("no kill: down ~p~n", [Why]),
    Kinds = [kind(T) || {T, _} <- Msgs],
    Maxes = [I || {gc_max_heap_size, I} <- Msgs],
    io:format("no kill: some ~p, bracketed ~p~n", [Maxes =/= [], bracketed(Kinds)]),
    io:format("no kill: keys ~p~n", [lists:usort([[K || {K, _} <- I] || I <- Maxes])]),
    io:format("no kill: over the limit ~p~n", [lists:usort([over(I, 1000) || I <- Maxes])]).

bracketed([start, gc_max_heap_size, 'end' | T]) -> bracketed(T);
bracketed([start, 'end' | T]) -> bracketed(T);
bracketed([]) -> true;
bracketed(Other) -> {false, lists:sublist(Other, 4)}.

over(Info, Max) ->
    W = fun(K) -> proplists:get_value(K, Info) end,
    W(heap_block_size) + W(old_heap_block_size) + W(mbuf_size) > Max.

%% With kill, the collection does not happen: no end message after gc_max_heap_size.
kill_traced() ->
    {Why, Msgs} = traced(#{size => 1000, kill => true, error_logger => false}, fun() -> exit({len, grow()}) end),
    io:format("kill traced: down ~p~n", [Why]),
    Kinds = [kind(T) || {T, _} <- Msgs],
    io:format("kill traced: last ~p~n", [lists:nthtail(length(Kinds) - 2, Kinds)]),
    io:format("kill traced: one max ~p~n", [length([x || gc_max_heap_size <- Kinds])]),
    {gc_max_heap_size, Info} = lists:last(Msgs),
    io:format("kill traced: over the limit ~p~n", [over(Info, 1000)]).

%% garbage_collect(Pid) of another process over its limit kills it.
collect_other() ->
    Self = self(),
    P = spawn(fun() ->
                  L = lists:seq(1, 5000),
                  process_flag(max_heap_size, #{size => 1000, kill => true, error_logger => false}),
                  Self ! ready,
                  receive stop -> Self ! {alive, length(L)} end
              end),
    R = monitor(process, P),
    receive ready -> ok end,
    io:format("collect other: ~p~n", [erlang:garbage_collect(P)]),
    receive {'DOWN', R, process, P, Why} -> io:format("collect other: down ~p~n", [Why]) end.

%% The emulator's report, caught by a logger handler: the format and the arguments' shape.
report() ->
    ok = logger:remove_handler(default),
    ok = logger:add_handler(?MODULE, ?MODULE, #{config => self()}),
    {P, R} = spawn_opt(fun() -> exit({len, grow()}) end,
                       [monitor, {max_heap_size, #{size => 1000, kill => true, error_logger => true}}]),
    receive {'DOWN', R, process, P, Why} -> io:format("report: down ~p~n", [Why]) end,
    receive
        {logged, #{level := Level, msg := {Format, Args}, meta := Meta}} ->
            io:format("report: level ~p, format is a string ~p~n", [Level, io_lib:printable_list(Format)]),
            [Pid, Max, Total, Kill, EL, QLen, Info] = Args,
            io:format("report: pid ~p, max ~p, total over ~p, kill ~p, error_logger ~p, queue ~p~n",
                      [Pid =:= P, Max, Total > Max, Kill, EL, QLen]),
            io:format("report: info ~p, over ~p~n", [[K || {K, _} <- Info], over(Info, Max)]),
            io:format("~s", [io_lib:format(Format, ['PID', Max, 'TOTAL', Kill, EL, QLen, 'INFO'])]),
            io:format("report: meta ~p~n", [lists:sort(maps:keys(Meta))]),
            io:format("report: meta error_logger ~p, pid ~p~n",
                      [maps:get(error_logger, Meta), maps:get(pid, Meta) =:= P]);
        Other -> io:format("report: unexpected ~p~n", [Other])
    after 5000 -> io:format("report: none~n")
    end,
    io:format("report: more ~p~n", [[x || {logged, _} <- flush()]]),
    %% error_logger => false: no report
    {P2, R2} = spawn_opt(fun() -> exit({len, grow()}) end,
                         [monitor, {max_heap_size, #{size => 1000, kill => true, error_logger => false}}]),
    receive {'DOWN', R2, process, P2, Why2} -> io:format("quiet: down ~p~n", [Why2]) end,
    receive {logged, _} -> io:format("quiet: logged~n") after 300 -> io:format("quiet: nothing logged~n") end,
    logger:remove_handler(?MODULE).

log(Event, #{config := Pid}) -> Pid ! {logged, Event}.

flush() -> receive M -> [M | flush()] after 200 -> [] end.
