%% call_memory (OTP 26's; OTP 25 has no such flag, so this runs on erbium
%% alone): words allocated on the process heap per function and process,
%% each function charged its own allocation, not its traced callees'.
%% The expected words are those OTP 26 documents and its
%% trace_call_memory_SUITE asserts: a 2-tuple is 3 words, a 3-tuple 4, a
%% list of N cons cells 2N; a message taken into the heap counts for the
%% function that receives it; words in untraced callees go to the traced
%% caller.
-module(prof_call_memory).
-export([main/0, alloc_2tup/0, alloc_3tup/0, cons/2, upper/0, middle/1, lower/1, receive_message/0,
         recv_loop/1, big/1]).

alloc_2tup() -> {self(), self()}.
alloc_3tup() -> {self(), self(), self()}.

cons(0, Acc) -> Acc;
cons(N, Acc) -> cons(N - 1, [N | Acc]).

upper() ->
    Ref = ?MODULE:alloc_2tup(), % 3, upper's while alloc_2tup is not traced
    X = ?MODULE:middle(Ref),   % middle is not traced: its 3 words are upper's
    {1, 2, 3, X, Ref}.      % 6

middle(_Ref) ->
    Ref2 = ?MODULE:alloc_2tup(),
    ?MODULE:lower(8),
    Ref2.

lower(Max) -> lists:seq(1, Max). % 16, lists:seq/2 untraced

receive_message() -> receive Msg -> Msg end.

recv_loop(Parent) ->
    receive
        go -> _ = ?MODULE:receive_message(), Parent ! done, recv_loop(Parent);
        stop -> ok
    end.

%% 9 words (a 3-element list and a 2-tuple), built at run time
non_literal_9() -> erlang:insert_element(2, erlang:insert_element(1, {}, atom), lists:seq(1, 3)).

big(N) -> list_to_tuple(lists:seq(1, N)).

info(F, A) ->
    {call_memory, L} = erlang:trace_info({?MODULE, F, A}, call_memory),
    case L of
        false -> false;
        _ -> [{Calls, Words} || {_Pid, Calls, Words} <- lists:sort(L)]
    end.

show(What, V) -> io:format("~s: ~p~n", [What, V]).

main() ->
    Self = self(),
    show("no pattern", erlang:trace_info({?MODULE, alloc_2tup, 0}, call_memory)),
    show("set", erlang:trace_pattern({?MODULE, alloc_2tup, 0}, true, [call_memory])),
    show("untraced process", info(alloc_2tup, 0)),
    alloc_2tup(),
    show("call flag off", info(alloc_2tup, 0)),
    1 = erlang:trace(Self, true, [call]),
    ?MODULE:alloc_2tup(),
    show("2-tuple once", info(alloc_2tup, 0)),
    ?MODULE:alloc_2tup(),
    show("twice", info(alloc_2tup, 0)),
    erlang:garbage_collect(),
    ?MODULE:alloc_2tup(),
    show("after a collection", info(alloc_2tup, 0)),
    {call_memory, [{P, _, _}]} = erlang:trace_info({?MODULE, alloc_2tup, 0}, call_memory),
    show("pid is the caller", P =:= Self),
    show("pause", erlang:trace_pattern({?MODULE, alloc_2tup, 0}, pause, [call_memory])),
    ?MODULE:alloc_2tup(),
    show("paused", info(alloc_2tup, 0)),
    show("restart", erlang:trace_pattern({?MODULE, alloc_2tup, 0}, restart, [call_memory])),
    show("restarted", info(alloc_2tup, 0)),
    ?MODULE:alloc_2tup(),
    show("counting again", info(alloc_2tup, 0)),
    show("off", erlang:trace_pattern({?MODULE, alloc_2tup, 0}, false, [call_memory])),
    show("gone", info(alloc_2tup, 0)),

    erlang:trace_pattern({?MODULE, alloc_3tup, 0}, true, [call_memory]),
    [?MODULE:alloc_3tup() || _ <- lists:seq(1, 5)],
    show("3-tuple five times", info(alloc_3tup, 0)),

    erlang:trace_pattern({?MODULE, cons, 2}, true, [call_memory]),
    _ = ?MODULE:cons(1000, []),
    show("1000 cons cells (1001 calls)", info(cons, 2)),

    erlang:trace_pattern({?MODULE, big, 1}, true, [call_memory]),
    _ = ?MODULE:big(100000),
    show("list_to_tuple of 100000 (a fragment and collections)", info(big, 1)),

    erlang:trace_pattern({?MODULE, upper, 0}, true, [call_memory]),
    erlang:trace_pattern({?MODULE, lower, 1}, true, [call_memory]),
    _ = ?MODULE:upper(),
    show("upper (its own and untraced callees')", info(upper, 0)),
    show("lower", info(lower, 1)),
    erlang:trace_pattern({?MODULE, alloc_2tup, 0}, true, [call_memory]),
    _ = ?MODULE:upper(),
    show("upper with alloc_2tup traced", info(upper, 0)),
    show("alloc_2tup from upper and middle", info(alloc_2tup, 0)),

    erlang:trace_pattern({?MODULE, alloc_2tup, 0}, true, [call_time]),
    ?MODULE:alloc_2tup(),
    {call_time, [{_, 1, _, _}]} = erlang:trace_info({?MODULE, alloc_2tup, 0}, call_time),
    show("with call_time too", info(alloc_2tup, 0)),
    erlang:trace_pattern({?MODULE, alloc_2tup, 0}, false, [call_time]),
    ?MODULE:alloc_2tup(),
    show("call_time off, memory goes on", info(alloc_2tup, 0)),
    {all, All} = erlang:trace_info({?MODULE, alloc_2tup, 0}, all),
    show("all", [K || {K, _} <- All]),
    show("call_count only",
         begin
             erlang:trace_pattern({?MODULE, main, 0}, true, [call_count]),
             R = erlang:trace_info({?MODULE, main, 0}, call_memory),
             erlang:trace_pattern({?MODULE, main, 0}, false, [call_count]),
             R
         end),

    erlang:trace_pattern({?MODULE, receive_message, 0}, true, [call_memory]),
    Pid = spawn_link(?MODULE, recv_loop, [Self]),
    1 = erlang:trace(Pid, true, [call]),
    Msg = non_literal_9(),
    Pid ! Msg,
    timer:sleep(100),
    show("message waiting, not received", info(receive_message, 0)),
    Pid ! go,
    receive done -> ok end,
    show("message of 9 words received", info(receive_message, 0)),
    Pid ! go,
    Pid ! Msg,
    receive done -> ok end,
    show("twice", info(receive_message, 0)),
    Pid ! stop,

    show("on_load", erlang:trace_pattern(on_load, true, [call_memory])),
    show("on_load info", erlang:trace_info(on_load, call_memory)),
    erlang:trace_pattern(on_load, false, [call_memory]),
    show("bad flag still badarg",
         try erlang:trace_pattern({?MODULE, upper, 0}, true, [call_bogus]) catch error:badarg -> badarg end),
    show("clear all", erlang:trace_pattern({?MODULE, '_', '_'}, false, [call_memory]) > 0),
    show("cleared", info(upper, 0)),
    ok.
