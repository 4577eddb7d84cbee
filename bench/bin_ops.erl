-module(bin_ops).
-export([main/0]).

%% Binaries: encode 20,000 records into one binary with bit syntax
%% (appending in a loop, integer/float/binary segments, a 3-bit flag
%% field), parse them back with matching, split and scan the text with
%% binary BIFs (binary:split, binary:match, binary:part, binary_to_list,
%% binary:matches, list_to_binary, integer_to_binary), and build and walk
%% a bitstring of 7-bit fields. Runs three times and reports the best time.

-define(N, 20000).
-define(RUNS, 3).

main() ->
    {Best, Check} = bench_time:best(?RUNS, fun run/0),
    io:format("CHECK ~w~n", [Check]),
    io:format("RESULT bin_ops ~b~n", [Best]).

run() ->
    Records = [record(I) || I <- lists:seq(1, ?N)],
    Packed = encode(Records, <<>>),
    Decoded = decode(Packed, []),
    Same = Decoded =:= Records,
    Text = to_text(Records, []),
    Lines = binary:split(Text, <<"\n">>, [global, trim]),
    Fields = lists:foldl(fun(L, A) -> A + length(binary:split(L, <<",">>, [global])) end, 0, Lines),
    Hits = count_matches(Text, <<"name-7">>, 0, 0),
    Bits = << <<(I band 127):7>> || I <- lists:seq(1, ?N) >>,
    BitSum = sum7(Bits, 0),
    Matches = length(binary:matches(Text, [<<",1">>, <<",10">>])),
    {byte_size(Packed), Same, length(Lines), Fields, Hits, Matches, bit_size(Bits), BitSum}.

record(I) ->
    Name = list_to_binary(["name-", integer_to_list(I)]),
    {I, I * 2654435761 band 16#FFFFFFFF, I / 7, Name, I rem 8}.

%% {Id:32, Hash:32, Score:float64, Flags:3, pad:5, NameLen:16, Name/binary}
encode([{Id, Hash, Score, Name, Flags} | Rs], Acc) ->
    encode(Rs, <<Acc/binary, Id:32, Hash:32/little, Score/float, Flags:3, 0:5, (byte_size(Name)):16, Name/binary>>);
encode([], Acc) -> Acc.

decode(<<Id:32, Hash:32/little, Score/float, Flags:3, 0:5, Len:16, Name:Len/binary, Rest/binary>>, Acc) ->
    decode(Rest, [{Id, Hash, Score, Name, Flags} | Acc]);
decode(<<>>, Acc) -> lists:reverse(Acc).

to_text([{Id, Hash, _, Name, Flags} | Rs], Acc) ->
    Line = <<(integer_to_binary(Id))/binary, ",", (integer_to_binary(Hash, 16))/binary, ",",
             Name/binary, ",", (integer_to_binary(Flags))/binary, "\n">>,
    to_text(Rs, [Line | Acc]);
to_text([], Acc) -> list_to_binary(lists:reverse(Acc)).

count_matches(Bin, Pat, From, N) ->
    case binary:match(Bin, Pat, [{scope, {From, byte_size(Bin) - From}}]) of
        {Pos, Len} ->
            <<_:Pos/binary, Found:Len/binary, _/binary>> = Bin,
            Pat = binary:part(Bin, Pos, Len),
            Found = Pat,
            count_matches(Bin, Pat, Pos + Len, N + length(binary_to_list(Found)) div Len);
        nomatch -> N
    end.

sum7(<<V:7, Rest/bitstring>>, Acc) -> sum7(Rest, Acc + V);
sum7(<<>>, Acc) -> Acc.
