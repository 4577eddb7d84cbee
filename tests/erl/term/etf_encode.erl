%% term_to_binary/1,2: the exact bytes for every kind of term and option.
-module(etf_encode).
-export([main/0]).

main() ->
    lists:foreach(fun(T) -> show(T, []) end, terms()),
    lists:foreach(fun(T) -> show(T, [{minor_version, 0}]) end, [1.5, -0.0, 1.0e300, 3.141592653589793, hello]),
    lists:foreach(fun(T) -> show(T, [{minor_version, 2}]) end, [hello, 'é', 'ĉu', {a, [b]}, 1.5]),
    compression(),
    large_maps(),
    options(),
    sizes(),
    ok.

show(T, Opts) ->
    io:format("~w ~w~n  ~w~n", [T, Opts, term_to_binary(T, Opts)]).

terms() ->
    [0, 1, 255, 256, -1, -256, 2147483647, -2147483648, 2147483648, -2147483649,
     (1 bsl 59) - 1, -(1 bsl 59), 1 bsl 59, 1 bsl 64, -(1 bsl 64), (1 bsl 64) - 1,
     1 bsl 2040, -(1 bsl 2047),
     0.0, -0.0, 1.0, -1.5, 1.0e-300, 1.7976931348623157e308, 5.0e-324,
     a, hello, '', 'é', 'ĉu', 'hello world', true, false, nonode@nohost,
     list_to_atom(lists:duplicate(255, $x)), list_to_atom(lists:duplicate(100, 16#1F600)),
     [], "a", "abc", [0, 255], [256], [-1], [a], [1 | 2], [1, 2 | 3], [a, 1, 2], [1, 2, 3, a],
     [[]], [[1]], ["ab", "cd"], [1.5], [{}],
     {}, {a}, {a, b, c}, {{}, [], <<>>}, list_to_tuple(lists:seq(1, 300)),
     <<>>, <<1>>, <<"hello">>, list_to_binary(lists:seq(0, 255)),
     <<1:1>>, <<1, 2, 3:5>>, <<255, 7:3>>, <<0:7>>,
     #{}, #{a => 1}, #{b => 1, a => 2, 1 => x}, #{2 => a, 1.0 => b, 1 => c, 3.0 => d},
     #{[] => [], {} => {}, <<>> => <<>>}, #{#{a => 1} => #{}},
     maps:from_list([{I, I} || I <- lists:seq(1, 32)]),
     fun lists:map/2, fun erlang:'+'/2, fun etf_encode:main/0,
     {[a, "b", <<"c">>], #{k => [1.5, -3]}, {x, {y, {z}}}}].

%% Compression is used only when it makes the result shorter.
compression() ->
    Terms = [a, lists:duplicate(10, a), lists:duplicate(100, a), lists:seq(1, 300),
             list_to_tuple(lists:seq(1, 256)), <<0:8000>>, "short", lists:duplicate(3, 1.5)],
    lists:foreach(
      fun(T) ->
              lists:foreach(
                fun(Opt) ->
                        B = term_to_binary(T, [Opt]),
                        io:format("compressed ~w ~w: ~w ~w~n",
                                  [Opt, byte_size(term_to_binary(T)), byte_size(B), erlang:phash2(B, 1 bsl 32)]),
                        T = binary_to_term(B)
                end, [compressed, {compressed, 0}, {compressed, 1}, {compressed, 9}])
      end, Terms),
    io:format("~w~n", [term_to_binary(lists:duplicate(100, a), [compressed])]).

%% Maps beyond 32 keys come out in OTP's internal order, or sorted with
%% `deterministic`.
large_maps() ->
    lists:foreach(
      fun(N) ->
              M = maps:from_list([{K, N - K} || K <- lists:seq(1, N)]),
              io:format("map ~w: ~w~n", [N, erlang:phash2(term_to_binary(M), 1 bsl 32)]),
              D = term_to_binary(M, [deterministic]),
              io:format("map ~w deterministic: ~w~n", [N, erlang:phash2(D, 1 bsl 32)]),
              M = binary_to_term(term_to_binary(M))
      end, [33, 40, 64, 100, 1000]),
    %% OTP 25 places atom keys by their atom-table index, so only sorted
    %% output is comparable when a large map has keys containing atoms.
    Mixed = maps:from_list([{K, K} || K <- [a, b, c, 1, 2, 3, 1.0, 2.0, "s", <<"b">>, {t}]
                                           ++ lists:seq(100, 130)]),
    io:format("~w~n", [term_to_binary(Mixed, [deterministic])]),
    NoAtoms = maps:from_list([{K, K} || K <- [1, 2, 3, 1.0, 2.0, "s", <<"b">>, {7}, [8], -5]
                                            ++ lists:seq(100, 130)]),
    io:format("~w~n", [term_to_binary(NoAtoms)]),
    io:format("~w~n", [term_to_binary(NoAtoms, [compressed])]).

options() ->
    Bad = [[foo], [{compressed, 10}], [{compressed, -1}], [{minor_version, 3}], [{minor_version, a}],
           [compressed | x], x, [{compressed}], [{minor_version, 1, 2}], [local]],
    lists:foreach(
      fun(O) ->
              io:format("~w: ~w~n", [O, catch_reason(fun() -> term_to_binary(a, O) end)])
      end, Bad),
    io:format("~w~n", [term_to_binary({1.5, x}, [{minor_version, 0}, {minor_version, 2}])]),
    io:format("~w~n", [term_to_binary(lists:duplicate(20, a), [compressed, {compressed, 0}])]),
    io:format("~w~n", [term_to_binary(a, [deterministic, {minor_version, 1}])]).

sizes() ->
    io:format("~w~n", [byte_size(term_to_binary(lists:seq(1, 100000)))]),
    io:format("~w~n", [byte_size(term_to_binary(lists:duplicate(65535, 7)))]),
    io:format("~w~n", [byte_size(term_to_binary(lists:duplicate(65536, 7)))]),
    io:format("~w~n", [erlang:phash2(term_to_binary(deep(100000)), 1 bsl 32)]).

deep(0) -> [];
deep(N) -> [deep(N - 1)].

catch_reason(F) ->
    try F() catch error:R -> {error, R} end.
