%% io:format and io_lib:format over the kinds of data a program prints:
%% floats, bignums, nested maps, binaries and deep lists, with ~p ~w ~s ~ts
%% ~e ~f ~g ~b ~x ~c ~i, field widths, precisions, padding and alignment.
-module(io_format_all).
-export([main/0]).

data() ->
    [0.1, -0.0, 1.0e300, 3.14159265358979, 2.5e-8, 123456789.0,
     1 bsl 100, -(1 bsl 70) + 12345, 0, -1,
     #{a => #{b => [1, 2, #{c => <<"deep">>}]}, "k" => {x, 1.5}},
     #{},
     <<1, 2, 3>>, <<"text">>, <<1:3>>, <<>>,
     [1, [2, [3, [4, [5]]]], "str", <<"bin">>],
     {tuple, [a, 'B c', "s"], #{1 => 2}},
     "unicode: \x{3b1}\x{3b2}", [], atom, 'quoted atom'].

main() ->
    [begin
         io:format("~p~n~w~n", [D, D]),
         io:format("~40p|~n", [D]),
         io:format("~-30w|~n", [D])
     end || D <- data()],
    Floats = [0.1, -2.5, 1.0e-10, 6.02214076e23, 100.0, 0.000123456],
    [io:format("~e ~.3e ~12.4e|~-12.2f|~f ~.1f ~10.3f|~g ~.3g ~15.6g|~n",
               [F, F, F, F, F, F, F, F, F, F]) || F <- Floats],
    [io:format("~b ~.16b ~8.2b| ~x ~.8X ~#.16B ~+.10B~n", [I, I, I, I, "p", I, "0x", I, I])
     || I <- [0, 255, -255, 1 bsl 65]],
    io:format("~s|~10s|~-10s|~.3s|~10.3s|~n", ["abc", "abc", "abc", "abcdef", "abcdef"]),
    io:format("~s ~s ~s~n", [<<"bin">>, [$a, [$b, <<"c">>]], atom]),
    io:format("~ts|~10ts|~-6ts|~n", ["\x{3b1}\x{3b2}", "\x{3b1}", <<"\x{3b3}"/utf8>>]),
    io:format("~c~c ~5c|~-5c|~n", [$x, $y, $z, $w]),
    io:format("~10.5c|~n", [$q]),
    io:format("~i~w~n", [ignored, shown]),
    io:format("~*.*f|~-*w|~n", [10, 2, 3.14159, 8, pad]),
    io:format("~10..*w|~n", [$*, x]),
    io:format("~p ~P~n", [lists:seq(1, 30), lists:seq(1, 30), 5]),
    io:format("~W~n", [[a, [b, [c, [d]]], {e, f}], 3]),
    Deep = lists:foldl(fun(I, Acc) -> #{I => Acc} end, leaf, lists:seq(1, 8)),
    io:format("~p~n", [Deep]),
    Long = [{key, I, <<I:16>>, I * 1.5} || I <- lists:seq(1, 12)],
    io:format("~p~n", [Long]),
    io:format("~s~n", [io_lib:format("~8.3f|~-8w|~p", [2.0 / 3, ok, [1.0e15, 1.0e16]])]),
    io:format("~p~n", [lists:flatten(io_lib:format("~w ~w", [1 bsl 64, -0.5]))]).
