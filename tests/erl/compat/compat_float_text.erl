-module(compat_float_text).
-export([main/0]).
main() ->
    rand:seed(exsss, {7, 8, 9}),
    Fs = [rand:uniform() * math:pow(10, rand:uniform(40) - 20) * (case rand:uniform(2) of 1 -> 1; 2 -> -1 end) || _ <- lists:seq(1, 300)]
         ++ [0.0, -0.0, 1.0, 0.1, 0.2 + 0.1, 1.0e15, 1.0e16, 123456789012345680.0, 5.0e-324, 2.2250738585072014e-308,
             1.7976931348623157e308, 100.0, 1.0e-5, 0.001, 9007199254740993.0, 3.0e22, 1.5e-7],
    [begin
         io:format("~p ~w ~s ~s~n", [F, F, float_to_list(F), float_to_list(F, [short])]),
         io:format("~e ~f ~g ~.3e ~.10f ~.2g ~s~n", [F, F, F, F, F, F, float_to_binary(F, [{scientific, 10}])]),
         io:format("~p ~s~n", [catch float_to_list(F, [{decimals, 4}, compact]), io_lib:format("~15.5f|~-15.5e|", [F, F])])
     end || F <- Fs],
    [io:format("~p ~s ~s~n", [list_to_float(S), S, float_to_list(list_to_float(S), [short])])
     || S <- ["1.0", "0.5e1", "1.0e-10", "123.456e3", "-0.0"]],
    [io:format("~p ~p~n", [binary_to_float(B), catch binary_to_float(<<B/binary, "x">>)]) || B <- [<<"2.5">>, <<"1.0e2">>]],
    io:format("~p~n", [[round(F) || F <- [0.5, 1.5, -0.5, -1.5, 2.5e20]]]),
    io:format("~p~n", [[trunc(1.0e25), 1.0e25 == 1.0e25 + 1, 10000000000000000000000000 == 1.0e25]]),
    ok.
