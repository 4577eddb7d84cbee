%% The return_to trace flag with local call trace patterns (and
%% return_trace): {trace, P, return_to, {M, F, A}} names the function
%% execution continues in after a traced function returns (after tail
%% calls), also when an exception is caught; its order against return_from.
-module(tmeta_return_to).
-export([main/0, glob/1, loc/1, worker/0, tail/1, deep/1, boom/1, catcher/1]).

glob(X) -> loc(X) + 1.
loc(X) -> X * 2.
worker() -> F = fun() -> glob(1) end, F().
tail(X) -> loc(X).
deep(X) -> {deep, tail(X)}.
boom(X) -> error({boom, X}).
catcher(X) -> try boom(X) catch error:R -> {caught, R} end.

show(Label, Value) -> io:format("~p: ~p~n", [Label, Value]).

collect(P) ->
    receive
        M when element(1, M) =:= trace, element(2, M) =:= P ->
            [list_to_tuple([tracee | tl(tl(tuple_to_list(M)))]) | collect(P)]
    after 100 -> []
    end.

run(Flags, F) ->
    Me = self(),
    P = spawn(fun() -> receive go -> Me ! {done, catch F()} end end),
    erlang:trace(P, true, Flags),
    P ! go,
    R = receive {done, Res} -> Res end,
    {R, collect(P)}.

-define(TRACED, [glob, loc, worker, tail, deep, boom, catcher]).

main() ->
    M = ?MODULE,
    [erlang:trace_pattern({M, F, '_'}, true, [local]) || F <- ?TRACED],
    show(plain, run([call, return_to], fun() -> worker() end)),
    show(no_flag, run([call], fun() -> deep(2) end)),
    show(tail, run([call, return_to], fun() -> deep(2) end)),
    erlang:trace_pattern({M, glob, 1}, [{'_', [], [{return_trace}]}], [local]),
    show(with_return, run([call, return_to], fun() -> worker() end)),
    show(exception, run([call, return_to], fun() -> catcher(3) end)),
    erlang:trace_pattern({M, loc, 1}, [{[2], [], []}], [local]),
    show(no_match, run([call, return_to], fun() -> tail(1) end)),
    erlang:trace_pattern({M, '_', '_'}, false, [local]),
    [erlang:trace_pattern({M, F, '_'}, true, [global]) || F <- ?TRACED],
    show(global, run([call, return_to], fun() -> M:deep(1) end)),
    show(flags, begin
                    P = spawn(fun() -> receive _ -> ok end end),
                    erlang:trace(P, true, [return_to, call, silent]),
                    erlang:trace_info(P, flags)
                end),
    erlang:trace_pattern({M, '_', '_'}, false, [global]),
    ok.
