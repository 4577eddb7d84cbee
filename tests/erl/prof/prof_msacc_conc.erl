%% Microstate accounting switched on, off and reset by several processes at
%% once while others read the counters and workers run, collect garbage, read
%% files and sleep: every answer keeps its shape and the VM stays whole.
-module(prof_msacc_conc).
-export([main/0]).

main() ->
    Self = self(),
    Workers = [spawn_link(fun() -> work(I) end) || I <- lists:seq(1, 4)],
    Togglers = [spawn_link(fun() -> toggle(Self, 300, I) end) || I <- lists:seq(1, 3)],
    Readers = [spawn_link(fun() -> read(Self, 200) end) || _ <- lists:seq(1, 2)],
    Results = [receive {done, P, R} -> R end || P <- Togglers ++ Readers],
    [begin unlink(W), exit(W, kill) end || W <- Workers],
    io:format("togglers ~p~n", [lists:sublist(Results, 3)]),
    io:format("readers ~p~n", [lists:nthtail(3, Results)]),
    erlang:system_flag(microstate_accounting, false),
    erlang:system_flag(microstate_accounting, reset),
    S = erlang:statistics(microstate_accounting),
    io:format("zero after reset ~p~n",
              [lists:all(fun(#{counters := C}) -> lists:sum(maps:values(C)) =:= 0 end, S)]),
    io:format("msacc:start(20) ~p~n", [msacc:start(20)]),
    io:format("stats after ~p~n", [length(msacc:stats()) =:= length(S)]).

%% Each flag call answers a boolean.
toggle(Parent, N, I) ->
    Values = [true, false, reset],
    Answers = [erlang:system_flag(microstate_accounting, lists:nth((K + I) rem 3 + 1, Values))
               || K <- lists:seq(1, N)],
    Parent ! {done, self(), lists:all(fun is_boolean/1, Answers)}.

%% Every read is a list of well-formed thread maps.
read(Parent, N) ->
    Ok = lists:all(fun(_) -> well_formed(erlang:statistics(microstate_accounting)) end,
                   lists:seq(1, N)),
    Parent ! {done, self(), Ok}.

well_formed(S) ->
    is_list(S) andalso S =/= [] andalso
        lists:all(fun(#{type := T, id := I, counters := C}) ->
                          is_atom(T) andalso is_integer(I) andalso map_size(C) =:= 7 andalso
                              lists:all(fun(V) -> is_integer(V) andalso V >= 0 end, maps:values(C));
                     (_) -> false
                  end, S).

work(I) ->
    case I rem 4 of
        0 -> _ = lists:seq(1, 5000);
        1 -> {ok, _} = file:read_file("/proc/self/stat");
        2 -> receive after 1 -> ok end;
        3 -> lists:foldl(fun(X, A) -> X + A end, 0, lists:seq(1, 1000))
    end,
    work(I).
