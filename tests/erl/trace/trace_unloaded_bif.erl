-module(trace_unloaded_bif).
%% A BIF whose module is not loaded (math:sqrt/1 works before math.beam is
%% loaded) is no function for trace patterns and trace_info, as in OTP: a
%% pattern matches it only once its module is loaded, and calls made before
%% then are not traced.
-export([main/0, f/1]).

f(X) -> math:sqrt(X) + lists:max([X, 1]).

main() ->
    io:format("math loaded: ~p~n", [erlang:module_loaded(math)]),
    L = [{math, sqrt, 1}, {lists, max, 1}],
    [io:format("~p local: ~p~n", [MFA, erlang:trace_pattern(MFA, true, [local])]) || MFA <- L],
    io:format("math:_ global: ~p~n", [erlang:trace_pattern({math, '_', '_'}, true, [])]),
    io:format("before load: ~p~n", [traced_calls()]),
    [io:format("~p ~p~n", [MFA, erlang:trace_info(MFA, traced)]) || MFA <- L],
    io:format("math:sqrt still works: ~p~n", [math:sqrt(16.0)]),
    io:format("math loaded: ~p~n", [erlang:module_loaded(math)]),
    io:format("ensure_loaded: ~p~n", [code:ensure_loaded(math)]),
    io:format("math:sqrt local: ~p~n", [erlang:trace_pattern({math, sqrt, 1}, true, [local])]),
    io:format("after load: ~p~n", [traced_calls()]),
    [io:format("~p ~p~n", [MFA, erlang:trace_info(MFA, traced)]) || MFA <- L],
    io:format("math:_ off: ~p~n", [erlang:trace_pattern({math, '_', '_'}, false, [local])]),
    io:format("no such module: ~p~n", [erlang:trace_info({no_such_module, f, 1}, all)]).

%% The functions called by f/1 in a traced process, in call order.
traced_calls() ->
    Self = self(),
    P = spawn(fun() ->
                      receive go -> ok end,
                      [f(float(I)) || I <- lists:seq(1, 2)],
                      Self ! {self(), done}
              end),
    erlang:trace(P, true, [call]),
    P ! go,
    receive {P, done} -> ok end,
    collect(P).

collect(P) ->
    receive
        {trace, P, call, {M, F, A}} -> [{M, F, length(A)} | collect(P)]
    after 100 -> []
    end.
