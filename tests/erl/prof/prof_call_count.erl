%% call_count breakpoints through erlang:trace_pattern/3 and trace_info/2:
%% exact counts, pause/restart/false, wildcards and the number of matched
%% functions, processes on every scheduler counting the same function.
-module(prof_call_count).
-export([main/0, fib/1, loop/1, apply_me/1, worker/3]).

fib(N) when N < 2 -> N;
fib(N) -> fib(N - 1) + fib(N - 2).

loop(0) -> done;
loop(N) -> loop(N - 1).

apply_me(X) -> {X}.

count(F, A) -> erlang:trace_info({?MODULE, F, A}, call_count).

show(Label, Value) -> io:format("~p: ~p~n", [Label, Value]).

main() ->
    show(unset, count(fib, 1)),
    show(set, erlang:trace_pattern({?MODULE, fib, 1}, true, [call_count])),
    show(zero, count(fib, 1)),
    fib(15),
    show(fib15, count(fib, 1)),
    show(pause, erlang:trace_pattern({?MODULE, fib, 1}, pause, [call_count])),
    fib(5),
    show(paused, count(fib, 1)),
    show(restart, erlang:trace_pattern({?MODULE, fib, 1}, restart, [call_count])),
    show(restarted, count(fib, 1)),
    fib(5),
    show(fib5, count(fib, 1)),
    erlang:trace_pattern({?MODULE, fib, 1}, pause, [call_count]),
    show(true_again, erlang:trace_pattern({?MODULE, fib, 1}, true, [call_count])),
    fib(3),
    show(fib3, count(fib, 1)),
    show(off, erlang:trace_pattern({?MODULE, fib, 1}, false, [call_count])),
    show(removed, count(fib, 1)),
    fib(3),
    show(still_removed, count(fib, 1)),
    %% restart and pause leave functions without data alone
    show(restart_unset, erlang:trace_pattern({?MODULE, loop, 1}, restart, [call_count])),
    show(after_restart_unset, count(loop, 1)),
    show(pause_unset, erlang:trace_pattern({?MODULE, loop, 1}, pause, [call_count])),
    show(after_pause_unset, count(loop, 1)),
    tail_calls(),
    indirect_calls(),
    wildcards(),
    unknown_functions(),
    bad_arguments(),
    parallel(),
    show(all_off, erlang:trace_pattern({?MODULE, '_', '_'}, false, [call_count])).

tail_calls() ->
    erlang:trace_pattern({?MODULE, loop, 1}, true, [call_count]),
    loop(10),
    show(loop10, count(loop, 1)),
    erlang:trace_pattern({?MODULE, loop, 1}, false, [call_count]).

indirect_calls() ->
    erlang:trace_pattern({?MODULE, apply_me, 1}, true, [call_count]),
    _ = apply(?MODULE, apply_me, [1]),
    F = fun ?MODULE:apply_me/1,
    _ = F(2),
    M = ?MODULE,
    _ = M:apply_me(3),
    _ = [apply_me(X) || X <- [4, 5]],
    show(apply_me, count(apply_me, 1)),
    Lambda = fun(X) -> X + 1 end,
    {name, Name} = erlang:fun_info(Lambda, name),
    show(lambda_set, erlang:trace_pattern({?MODULE, Name, 1}, true, [call_count])),
    _ = [Lambda(X) || X <- lists:seq(1, 7)],
    show(lambda, count(Name, 1)),
    erlang:trace_pattern({?MODULE, apply_me, 1}, false, [call_count]).

wildcards() ->
    %% every function of the module: the exported ones, the local ones,
    %% module_info/0,1 and the funs the compiler made
    N = erlang:trace_pattern({?MODULE, '_', '_'}, true, [call_count]),
    show(module_matches, N =:= length(?MODULE:module_info(functions))),
    show(fib_any_arity, erlang:trace_pattern({?MODULE, fib, '_'}, true, [call_count])),
    show(no_such_function, erlang:trace_pattern({?MODULE, nope, '_'}, true, [call_count])),
    show(no_such_arity, erlang:trace_pattern({?MODULE, fib, 7}, true, [call_count])),
    show(no_such_module, erlang:trace_pattern({no_such_module, '_', '_'}, true, [call_count])),
    fib(4),
    show(fib4, count(fib, 1)),
    show(count_show, count(show, 2)),
    show(module_off, erlang:trace_pattern({?MODULE, '_', '_'}, false, [call_count]) =:= N),
    show(fib_off, count(fib, 1)).

unknown_functions() ->
    show(undefined_function, count(nope, 0)),
    show(undefined_module, erlang:trace_info({no_such_module, f, 0}, call_count)),
    show(bif, erlang:trace_info({erlang, self, 0}, call_count)),
    show(all_unset, erlang:trace_info({?MODULE, fib, 1}, all)),
    erlang:trace_pattern({?MODULE, fib, 1}, true, [call_count]),
    fib(2),
    show(all_set, erlang:trace_info({?MODULE, fib, 1}, all)),
    erlang:trace_pattern({?MODULE, fib, 1}, false, [call_count]),
    show(traced, erlang:trace_info({?MODULE, fib, 1}, traced)),
    show(match_spec, erlang:trace_info({?MODULE, fib, 1}, match_spec)).

bad_arguments() ->
    Bad = [{{?MODULE, fib, 1}, true, [call_count, global]},
           {{?MODULE, fib, 1}, true, [call_count, bogus]},
           {{?MODULE, fib, 1}, bogus, [call_count]},
           {{?MODULE, fib, 1}, true, [call_count | improper]},
           {{?MODULE, fib, 1}, [{'_', [], []}], [call_count]},
           {{?MODULE, '_', 1}, true, [call_count]},
           {{'_', fib, '_'}, true, [call_count]},
           {{"m", fib, 1}, true, [call_count]},
           {{?MODULE, fib, 1, 2}, true, [call_count]},
           {?MODULE, true, [call_count]}],
    [show(bad, catch_reason(fun() -> erlang:trace_pattern(M, S, F) end)) || {M, S, F} <- Bad],
    show(bad_info, catch_reason(fun() -> erlang:trace_info({?MODULE, fib, 1}, bogus) end)),
    show(bad_info_wild, catch_reason(fun() -> erlang:trace_info({?MODULE, '_', 1}, call_count) end)),
    show(local_ok, erlang:trace_pattern({?MODULE, fib, 1}, true, [call_count, local])),
    show(both_ok, erlang:trace_pattern({?MODULE, fib, 1}, true, [call_time, call_count])),
    show(both_off, erlang:trace_pattern({?MODULE, fib, 1}, false, [call_time, call_count])).

catch_reason(F) ->
    try F() of V -> {value, V} catch error:R -> {error, R} end.

%% Processes on every scheduler call the same counted function: no call is lost.
parallel() ->
    erlang:trace_pattern({?MODULE, fib, 1}, true, [call_count]),
    Self = self(),
    Workers = [spawn(?MODULE, worker, [Self, 18, 3]) || _ <- lists:seq(1, 8)],
    [receive {done, W} -> ok end || W <- Workers],
    Expected = 8 * 3 * calls_of_fib(18),
    {call_count, Got} = count(fib, 1),
    show(parallel_exact, Got =:= Expected),
    erlang:trace_pattern({?MODULE, fib, 1}, false, [call_count]).

worker(Parent, N, Times) ->
    [fib(N) || _ <- lists:seq(1, Times)],
    Parent ! {done, self()}.

calls_of_fib(N) when N < 2 -> 1;
calls_of_fib(N) -> 1 + calls_of_fib(N - 1) + calls_of_fib(N - 2).
