%% garbage_collection trace: gc_minor_start/end and gc_major_start/end with
%% their info lists (the keys, and the values that do not depend on the heap
%% layout).
-module(trace_gc).
-export([main/0]).

collect() ->
    receive
        {trace, _, What, Info} when is_list(Info) -> [{What, Info} | collect()]
    after 100 -> []
    end.

build(0, Acc) -> Acc;
build(N, Acc) -> build(N - 1, [N | Acc]).

main() ->
    Self = self(),
    T = spawn(fun() ->
                      receive go -> ok end,
                      erlang:garbage_collect(),
                      L = build(20000, []),
                      Self ! {len, length(L)},
                      receive stop -> ok end
              end),
    io:format("~p~n", [erlang:trace(T, true, [garbage_collection])]),
    T ! go,
    receive {len, N} -> io:format("len ~p~n", [N]) end,
    T ! stop,
    Msgs = collect(),
    [{First, Info} | _] = Msgs,
    io:format("first ~p~n", [First]),
    io:format("keys ~p~n", [[K || {K, _} <- Info]]),
    io:format("explicit wordsize ~p~n", [proplists:get_value(wordsize, Info)]),
    io:format("all ints ~p~n", [lists:all(fun({_, V}) -> is_integer(V) andalso V >= 0 end, Info)]),
    Kinds = lists:usort([W || {W, _} <- Msgs]),
    io:format("kinds ~p~n", [Kinds]),
    %% starts and ends pair up
    Pairs = pairs([W || {W, _} <- Msgs]),
    io:format("paired ~p~n", [Pairs]),
    ok.

pairs([gc_minor_start, gc_minor_end | R]) -> pairs(R);
pairs([gc_major_start, gc_major_end | R]) -> pairs(R);
pairs([]) -> true;
pairs(_) -> false.
