%% OTP's io_lib, io_lib_format, io_lib_pretty and unicode_util called
%% directly: they run unchanged on erbium, atom quoting (erl_features'
%% reserved words) included.
-module(io_lib_otp).
-export([main/0]).

main() ->
    Atoms = ['B c', 'maybe', 'else', 'receive', 'end', ok, 'A', '', 'a@b', 'é', 'x-y', '_'],
    [io:format("~ts~n", [io_lib:write_atom(A)]) || A <- Atoms],
    io:format("~p~n", [[io_lib:quote_atom(A, false) || A <- Atoms]]),
    io:format("~ts~n", [lists:flatten(io_lib_format:fwrite("~p|~w|~10.3f|~-6s|~c~n",
                                                          [{'B c', [1, 2]}, 'receive', 3.14159, "ab", $z]))]),
    io:format("~ts~n", [lists:flatten(io_lib_pretty:print({a, 'maybe', "str", [1, 2, 3], #{k => <<"v">>}}))]),
    Long = [{key, N, lists:seq(1, N)} || N <- lists:seq(1, 12)],
    io:format("~ts~n", [lists:flatten(io_lib_pretty:print(Long, [{column, 5}, {line_length, 40}]))]),
    io:format("~ts~n", [lists:flatten(io_lib_pretty:print(Long, 1, 60, 6))]),
    io:format("~p~n", [unicode_util:cp("abc")]),
    io:format("~p~n", [unicode_util:gc([$e, 16#301, $x])]),
    io:format("~p~n", [unicode_util:uppercase("straße")]),
    io:format("~p~n", [unicode_util:casefold("ÀB")]),
    io:format("~p~n", [io_lib:write({self_is_pid, is_pid(self())}, 2)]),
    io:format("~p~n", [io_lib:format("~w ~p", [[a, 'B'], {"x"}])]).
