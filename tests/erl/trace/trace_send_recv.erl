%% send and 'receive' trace: {trace,P,send,Msg,To}, send_to_non_existing_process,
%% sends to unregistered names, {trace,P,'receive',Msg}, self-sends, and a
%% process that is its own tracer (gets nothing).
-module(trace_send_recv).
-export([main/0]).

%% Messages for the tracee P, pids replaced by names from Names.
collect(Names) ->
    receive
        M when element(1, M) =:= trace -> [norm(M, Names) | collect(Names)]
    after 100 -> []
    end.

norm(T, Names) when is_tuple(T) -> list_to_tuple(norm(tuple_to_list(T), Names));
norm(L, Names) when is_list(L) -> [norm(E, Names) || E <- L];
norm(P, Names) when is_pid(P) ->
    case lists:keyfind(P, 1, Names) of {P, N} -> N; false -> other_pid end;
norm(X, _) -> X.

echo() ->
    receive
        {From, M} -> From ! {echo, M}, echo();
        stop -> ok
    end.

main() ->
    Self = self(),
    Echo = spawn(fun echo/0),
    Dead = spawn(fun() -> ok end),
    timer:sleep(10),
    register(trace_send_recv_echo, Echo),
    T = spawn(fun() ->
                      receive go -> ok end,
                      Echo ! {self(), hello},
                      receive {echo, _} = E -> E end,
                      trace_send_recv_echo ! {self(), by_name},
                      receive {echo, _} -> ok end,
                      Dead ! to_dead,
                      catch (no_such_name_here ! x),
                      self() ! to_self,
                      receive to_self -> ok end,
                      erlang:send(Echo, {self(), via_send}),
                      receive {echo, _} -> ok end,
                      Self ! done
              end),
    Names = [{Self, tracer}, {T, tracee}, {Echo, echo}, {Dead, dead}],
    io:format("~p~n", [erlang:trace(T, true, [send, 'receive'])]),
    T ! go,
    receive done -> ok end,
    Msgs = collect(Names),
    [io:format("~p~n", [M]) || M <- Msgs],
    %% only send
    T2 = spawn(fun() -> receive go -> ok end, Echo ! {self(), two}, receive _ -> ok end, Self ! done end),
    erlang:trace(T2, true, [send]),
    T2 ! go,
    receive done -> ok end,
    [io:format("~p~n", [M]) || M <- collect([{T2, tracee2} | Names])],
    %% its own tracer: nothing arrives
    io:format("self ~p~n", [erlang:trace(self(), true, [send, 'receive'])]),
    Echo ! {self(), mine},
    receive {echo, mine} -> ok end,
    erlang:trace(self(), false, [send, 'receive']),
    io:format("own ~p~n", [collect(Names)]),
    %% turning off
    T3 = spawn(fun() -> receive go -> ok end, Echo ! {self(), three}, receive _ -> ok end, Self ! done end),
    erlang:trace(T3, true, [send, 'receive']),
    erlang:trace(T3, false, [send]),
    T3 ! go,
    receive done -> ok end,
    [io:format("~p~n", [M]) || M <- collect([{T3, tracee3} | Names])],
    Echo ! stop,
    ok.
