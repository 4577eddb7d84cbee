%% binary_to_term/1,2: every term format OTP accepts (also old ones that
%% term_to_binary no longer writes), the options, and badarg for bad input.
-module(etf_decode).
-export([main/0]).

main() ->
    round_trips(),
    old_formats(),
    identifiers(),
    options(),
    errors(),
    ok.

round_trips() ->
    Terms = [0, -1, 1 bsl 100, -(1 bsl 64), 1.5, -0.0, a, 'é', 'ĉu', '', [], "abc", [1 | 2],
             {}, {a, {b, [c]}}, <<>>, <<1, 2, 3>>, <<1:1>>, <<7, 1:3>>, list_to_binary(lists:seq(0, 255)),
             #{}, #{a => 1, 1 => a, 1.0 => b}, maps:from_list([{I, -I} || I <- lists:seq(1, 50)]),
             #{maps:from_list([{I, I} || I <- lists:seq(1, 40)]) => x},
             fun lists:map/2, lists:seq(1, 1000), list_to_tuple(lists:seq(1, 500)),
             lists:duplicate(70000, 5)],
    lists:foreach(
      fun(T) ->
              lists:foreach(
                fun(Opts) ->
                        B = term_to_binary(T, Opts),
                        case binary_to_term(B) of
                            T -> ok;
                            Other -> io:format("MISMATCH ~w ~w: ~w~n", [T, Opts, Other])
                        end
                end, [[], [{minor_version, 0}], [{minor_version, 2}], [compressed]])
      end, Terms),
    %% a decoded large map is a real map: lookups, updates, order
    M = binary_to_term(term_to_binary(maps:from_list([{I, I * 2} || I <- lists:seq(1, 100)]))),
    io:format("~w ~w ~w~n", [map_size(M), maps:get(77, M), maps:get(5, M#{5 => five})]),
    M40 = maps:from_list([{I, x} || I <- lists:seq(1, 40)]),
    io:format("~w~n", [maps:to_list(binary_to_term(term_to_binary(M40)))]),
    io:format("round trips done~n").

%% Blobs written by hand or by older releases.
old_formats() ->
    Blobs = [<<131, 115, 3, "abc">>,                          % SMALL_ATOM (Latin-1)
             <<131, 115, 1, 233>>,                            % SMALL_ATOM with a Latin-1 byte
             <<131, 100, 0, 1, 233>>,                         % ATOM_EXT 'é'
             <<131, 118, 0, 2, 195, 169>>,                    % ATOM_UTF8 'é'
             <<131, 119, 2, 195, 169>>,                       % SMALL_ATOM_UTF8 'é'
             <<131, 99, "1.50000000000000000000e+00", 0, 0, 0, 0, 0>>, % FLOAT_EXT
             <<131, 99, "-2.5e3", 0:200>>,                    % FLOAT_EXT, short text
             <<131, 99, "1.5", 0, "xxxxxxxxxxxxxxxxxxxxxxxxxxx">>, % FLOAT_EXT: after the NUL, anything
             <<131, 110, 1, 0, 5>>,                           % a small integer as SMALL_BIG
             <<131, 110, 0, 0>>,                              % zero bytes: 0
             <<131, 111, 0, 0, 0, 2, 1, 0, 1>>,               % LARGE_BIG, small value
             <<131, 110, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0>>,   % leading zero bytes
             <<131, 108, 0, 0, 0, 0, 106>>,                   % LIST_EXT of length 0: []
             <<131, 108, 0, 0, 0, 0, 97, 7>>,                 % LIST_EXT of length 0 with tail: 7
             <<131, 107, 0, 0>>,                              % STRING_EXT of length 0: []
             <<131, 105, 0, 0, 0, 1, 97, 1>>,                 % LARGE_TUPLE {1}
             <<131, 77, 0, 0, 0, 2, 8, 1, 2>>,                % BIT_BINARY with 8 bits: <<1,2>>
             <<131, 77, 0, 0, 0, 1, 3, 255>>,                 % low unused bits are ignored
             <<131, 113, 100, 0, 5, "lists", 100, 0, 3, "map", 98, 0, 0, 0, 2>>,  % arity as INTEGER_EXT
             <<131, 116, 0, 0, 0, 2, 100, 0, 1, $b, 97, 1, 100, 0, 1, $a, 97, 2>>], % unsorted keys
    lists:foreach(fun(B) -> io:format("~w -> ~w~n", [B, binary_to_term(B)]) end, Blobs).

%% Pids, ports and references of this (non-distributed) node.
identifiers() ->
    Node = <<100, 0, 13, "nonode@nohost">>,
    Blobs = [<<131, 88, Node/binary, 7:32, 0:32, 0:32>>,          % NEW_PID
             <<131, 103, Node/binary, 7:32, 0:32, 0>>,            % PID
             <<131, 89, Node/binary, 5:32, 0:32>>,                % NEW_PORT
             <<131, 102, Node/binary, 5:32, 0>>,                  % PORT
             <<131, 120, Node/binary, 5:64, 0:32>>,               % V4_PORT
             <<131, 90, 0, 3, Node/binary, 0:32, 1:32, 2:32, 3:32>>, % NEWER_REFERENCE
             <<131, 90, 0, 1, Node/binary, 0:32, 1:32>>,          % fewer numbers
             <<131, 114, 0, 2, Node/binary, 0, 4:32, 5:32>>,      % NEW_REFERENCE
             <<131, 101, Node/binary, 9:32, 0>>],                 % REFERENCE
    lists:foreach(
      fun(B) ->
              T = binary_to_term(B),
              io:format("~w ~w ~w~n", [T, T =:= binary_to_term(term_to_binary(T)), erlang:phash2(T)])
      end, Blobs),
    R = make_ref(),
    io:format("~w~n", [R =:= binary_to_term(term_to_binary(R))]),
    P = self(),
    io:format("~w~n", [P =:= binary_to_term(term_to_binary(P))]),
    io:format("~w~n", [binary_to_term(<<131, 90, 0, 2, Node/binary, 0:32, 1:32, 2:32>>)
                       =:= binary_to_term(<<131, 90, 0, 3, Node/binary, 0:32, 1:32, 2:32, 0:32>>)]).

options() ->
    B = term_to_binary({a, [1, 2]}),
    io:format("~w~n", [binary_to_term(B, [])]),
    io:format("~w~n", [binary_to_term(<<B/binary, "trailing">>)]),
    io:format("~w~n", [binary_to_term(<<B/binary, "trailing">>, [used])]),
    io:format("~w~n", [binary_to_term(B, [used, safe])]),
    C = term_to_binary(lists:duplicate(50, x), [compressed]),
    io:format("~w~n", [binary_to_term(<<C/binary, 1, 2, 3>>, [used])]),
    io:format("~w~n", [binary_to_term(term_to_binary(fun lists:map/2), [safe])]),
    io:format("~w~n", [binary_to_term(term_to_binary(existing_atom), [safe])]),
    %% atoms that exist nowhere but in these blobs
    Fresh = <<131, 100, 0, 23, "etf_decode_fresh_atom_1">>,
    io:format("~w~n", [reason(fun() -> binary_to_term(Fresh, [safe]) end)]),
    io:format("~w~n", [reason(fun() -> binary_to_term(<<131, 104, 1, Fresh/binary>>, [safe]) end)]),
    FreshFun = <<131, 113, 100, 0, 5, "lists", 100, 0, 3, "map", 97, 7>>,
    io:format("~w~n", [reason(fun() -> binary_to_term(FreshFun, [safe]) end)]),
    io:format("~w~n", [is_function(binary_to_term(FreshFun), 7)]),
    Bad = [[foo], [safe | x], x, [{used, true}], [used, bar]],
    lists:foreach(fun(O) -> io:format("~w: ~w~n", [O, reason(fun() -> binary_to_term(B, O) end)]) end, Bad).

errors() ->
    Bad = [<<>>, <<131>>, <<130, 97, 1>>, <<131, 97>>, <<131, 98, 0, 0, 0>>, <<131, 1>>,
           <<131, 100, 0, 5, "abc">>, <<131, 104, 2, 97, 1>>, <<131, 108, 0, 0, 0, 2, 97, 1>>,
           <<131, 109, 0, 0, 0, 5, 1, 2>>, <<131, 107, 0, 3, "ab">>,
           <<131, 70, 127, 240, 0, 0, 0, 0, 0, 0>>,            % infinity
           <<131, 70, 127, 248, 0, 0, 0, 0, 0, 0>>,            % NaN
           <<131, 99, "1.5", 0:224>>,                          % FLOAT_EXT: too short
           <<131, 99, "abc", 0:224>>,
           <<131, 77, 0, 0, 0, 1, 0, 1>>,                      % 0 bits in a non-empty BIT_BINARY
           <<131, 77, 0, 0, 0, 1, 9, 1>>,
           <<131, 77, 0, 0, 0, 0, 1>>,
           <<131, 116, 0, 0, 0, 2, 97, 1, 97, 1, 97, 1, 97, 2>>, % duplicate key
           <<131, 119, 2, 255, 255>>,                          % bad UTF-8
           <<131, 119, 3, 237, 160, 128>>,                     % a surrogate
           <<131, 80, 0, 0, 0, 10, 1, 2, 3>>,                  % bad zlib data
           <<131, 80, 0, 0>>,
           <<131, 82, 0>>,                                     % ATOM_CACHE_REF
           <<131, 113, 97, 1, 100, 0, 1, $f, 97, 1>>,          % EXPORT with a non-atom module
           <<131, 113, 100, 0, 1, $m, 100, 0, 1, $f, 98, 255, 255, 255, 255>>, % negative arity
           <<131, 90, 0, 4, 100, 0, 13, "nonode@nohost", 0:32, 1:32, 2:32, 3:32, 4:32>>,
           <<131, 112, 0, 0, 0, 10, 0>>,                       % truncated NEW_FUN
           <<131, 104, 1>>, 42, "131", <<131, 97, 1:1>>],
    lists:foreach(fun(B) -> io:format("~w: ~w~n", [B, reason(fun() -> binary_to_term(B) end)]) end, Bad).

reason(F) ->
    try F() catch error:R -> {error, R} end.
