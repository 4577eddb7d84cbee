-module(load_marker_x).
%% erlc 25 may put a receive marker in an x register (here: the call before
%% the receive always fails, so the marker is reserved in x1 and never used);
%% the loader took only y registers and refused the module as badfile.
-export([main/0]).

main() ->
    io:format("~p~n", [catch begin
                                 {P, R} = spawn_monitor(fun(_) -> ok end),
                                 receive {'DOWN', R, _, P, Why} -> Why end
                             end]),
    io:format("~p~n", [code:is_loaded(?MODULE)]).
