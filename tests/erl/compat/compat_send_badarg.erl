-module(compat_send_badarg).
-export([main/0, id/1]).
%% A send to an unregistered name fails with badarg; the failed send's stack
%% frame (its arguments) once went to heap space the process then reused.
id(X) -> X.
main() ->
    X = ?MODULE:id(no_such_name),
    io:format("~p~n", [catch (X ! msg)]),
    R = [begin
             L = lists:seq(1, N rem 50),
             {'EXIT', {badarg, [{erlang, send, [no_such_name, {L}], _} | _]}} = (catch (X ! {L})),
             length(L)
         end || N <- lists:seq(1, 20000)],
    io:format("~p~n", [lists:sum(R)]),
    io:format("~p~n", [catch erlang:send({X, node()}, hi)]),
    io:format("~p~n", [catch (?MODULE:id(1.5) ! hi)]).
