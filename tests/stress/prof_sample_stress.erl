%% Stack sampling under load: sampling at a high rate with waits sampled
%% while processes spawn, compute, exchange messages, migrate between
%% schedulers (many runnable processes, so idle schedulers steal), run dirty
%% CPU and dirty I/O calls and exit, and meanwhile readers take the samples,
%% export them in every format and view, clear them and restart sampling.
%% It must not crash; the samples taken last must be well formed.
-module(prof_sample_stress).
-export([main/0]).

-define(WAVES, 30).
-define(PER_WAVE, 40).
-define(READERS, 2).

main() ->
    ok = erbium:sample_start(4999, true),
    Self = self(),
    Stop = make_ref(),
    Readers = [spawn_link(fun() -> reader(N, Stop, Self) end) || N <- lists:seq(1, ?READERS)],
    waves(?WAVES),
    [R ! Stop || R <- Readers],
    Reads = lists:sum([receive {read, R, K} -> K end || R <- Readers]),
    io:format("readers read: ~p~n", [Reads > 0]),
    ok = erbium:sample_start(4999, true),
    waves(3),
    erbium:sample_stop(),
    Samples = erbium:samples(),
    io:format("samples well formed: ~p~n", [Samples =/= [] andalso lists:all(fun well_formed/1, Samples)]),
    erbium:sample_clear(),
    io:format("cleared: ~p~n", [erbium:samples() =:= []]).

well_formed({Pid, Count, Frames}) when is_pid(Pid), is_integer(Count), Count > 0, is_list(Frames) ->
    lists:all(fun(waiting) -> true;
                 ({M, F, A, L}) -> is_atom(M) andalso is_atom(F) andalso is_integer(A) andalso
                                       (is_integer(L) orelse L =:= native)
              end, Frames);
well_formed(_) -> false.

%% ?PER_WAVE processes in pairs: each pings its partner, computes, goes dirty, and exits.
waves(0) -> ok;
waves(N) ->
    Self = self(),
    Pids = [spawn(fun() -> pair_member(Self) end) || _ <- lists:seq(1, ?PER_WAVE)],
    pair(Pids),
    [receive {done, P} -> ok end || P <- Pids],
    waves(N - 1).

pair([A, B | Rest]) ->
    A ! {partner, B},
    B ! {partner, A},
    pair(Rest);
pair([]) -> ok.

pair_member(Parent) ->
    Partner = receive {partner, P} -> P end,
    ping(Partner, 20),
    _ = fib(15 + erlang:phash2(self(), 4)),
    case erlang:phash2(self(), 3) of
        0 -> erbium:busy_cpu(2);
        1 -> erbium:sleep_io(2);
        2 -> ok
    end,
    drain(),
    Parent ! {done, self()}.

ping(_, 0) -> ok;
ping(Partner, N) ->
    Partner ! {ping, self()},
    receive {ping, _} -> ping(Partner, N - 1) after 200 -> ok end.

drain() -> receive _ -> drain() after 0 -> ok end.

fib(N) when N < 2 -> N;
fib(N) -> fib(N - 1) + fib(N - 2).

reader(N, Stop, Parent) -> reader(N, Stop, Parent, 0).

reader(N, Stop, Parent, K) ->
    receive
        Stop -> Parent ! {read, self(), K}
    after 0 ->
        read(N, K),
        reader(N, Stop, Parent, K + 1)
    end.

read(N, K) ->
    File = "prof_sample_stress_" ++ os:getpid() ++ "_" ++ integer_to_list(N),
    Format = lists:nth(K rem 4 + 1, [table, json, folded, speedscope]),
    View = lists:nth(K rem 3 + 1, [function, process, scheduler]),
    ok = erbium:sample_export(Format, View, File),
    ok = file:delete(File),
    _ = length(erbium:samples()),
    case K rem 7 of
        3 when N =:= 1 -> erbium:sample_clear();
        5 when N =:= 2 -> ok = erbium:sample_start(4999 - K rem 2 * 1000, K rem 3 =/= 0);
        _ -> ok
    end,
    timer:sleep(2).
