%% Appending (<<Acc/binary, ...>>), binary comprehensions, and large
%% (reference-counted) binaries living through garbage collections.
-module(bin_append).
-export([main/0]).

out(Label, V) -> io:format("~s: ~w~n", [Label, V]).

id(X) -> X.

main() ->
    appends(),
    shared_prefix(),
    bits_appends(),
    comprehensions(),
    large(),
    survive_gc(),
    errors(),
    ok.

appends() ->
    B = build(lists:seq(1, 1000), <<>>),
    out("size", byte_size(B)),
    out("sum", lists:sum(binary_to_list(B))),
    out("tail", binary_part(B, 990, 10)),
    S = build_str(200, <<"start">>),
    out("str", {byte_size(S), binary_part(S, 0, 12)}),
    out("two segs", two(10, <<>>)).

build([H | T], Acc) -> build(T, <<Acc/binary, (H rem 256):8>>);
build([], Acc) -> Acc.

build_str(0, Acc) -> Acc;
build_str(N, Acc) -> build_str(N - 1, <<Acc/binary, "ab", N:16>>).

two(0, Acc) -> Acc;
two(N, Acc) -> two(N - 1, <<Acc/binary, N, (N * 2):16/little>>).

%% Appending to an old value after a newer one was made from it must not
%% disturb either.
shared_prefix() ->
    A = <<(id(<<"base">>))/binary, 1>>,
    B1 = <<A/binary, "one">>,
    B2 = <<A/binary, "two">>,
    B3 = <<B1/binary, "three">>,
    B4 = <<A/binary, A/binary>>,
    out("prefix", [A, B1, B2, B3, B4]),
    Sub = binary_part(B3, 0, 5),
    B5 = <<Sub/binary, "five">>,
    out("sub prefix", [Sub, B5, B3]),
    L = lists:foldl(fun(I, [Prev | _] = Acc) -> [<<Prev/binary, I>> | Acc] end, [<<>>], lists:seq(1, 20)),
    out("chain", lists:reverse(L)),
    Forks = [<<(lists:nth(5, L))/binary, X>> || X <- [100, 101, 102]],
    out("forks", Forks),
    out("chain again", lists:nth(5, L)).

bits_appends() ->
    B = bits(lists:seq(1, 100), <<>>),
    out("bits size", bit_size(B)),
    out("bits check", [X || <<X:3>> <= B] =:= [I rem 8 || I <- lists:seq(1, 100)]),
    C = <<1:5>>,
    D = <<C/bits, 2:3>>,
    E = <<C/bits, 7:3>>,
    out("bits fork", {D, E}),
    out("bin unit", reason(fun() -> X = id(<<1:3>>), <<X/binary, 1>> end)).

bits(L, Acc) -> lists:foldl(fun(I, A) -> <<A/bits, (I rem 8):3>> end, Acc, L).

comprehensions() ->
    B = << <<(X * 2)>> || X <- lists:seq(1, 100) >>,
    out("lc", {byte_size(B), binary_part(B, 95, 5)}),
    C = << <<(X + 1)>> || <<X>> <= B >>,
    out("bc", binary_part(C, 0, 5)),
    D = << <<X:4>> || X <- lists:seq(1, 15) >>,
    out("nibbles", {bit_size(D), [X || <<X:4>> <= D]}),
    E = << <<X/binary, ",">> || X <- [<<"a">>, <<"bb">>, <<"ccc">>] >>,
    out("join", E),
    F = << <<X:8>> || <<X>> <= list_to_binary(lists:seq(0, 255)), X rem 3 =:= 0 >>,
    out("filter", {byte_size(F), binary:last(F)}),
    Nested = << << <<(X * Y)>> || Y <- [1, 2] >> || X <- [1, 2, 3] >>,
    out("nested", Nested),
    Big = << <<X:32>> || X <- lists:seq(1, 5000) >>,
    out("big lc", {byte_size(Big), binary_part(Big, 19996, 4)}).

large() ->
    L = list_to_binary(lists:duplicate(1000, <<"0123456789">>)),
    out("large", {byte_size(L), binary_part(L, 5000, 10)}),
    <<A:100/binary, Rest/binary>> = L,
    out("large parts", {A =:= binary_part(L, 0, 100), byte_size(Rest)}),
    M = <<L/binary, L/binary>>,
    out("large concat", {byte_size(M), M =:= list_to_binary([L, L])}),
    put(big, L),
    _ = [lists:seq(1, 100) || _ <- lists:seq(1, 100)],
    out("in dict", byte_size(get(big))),
    out("compare", {L < M, M > L, L =:= binary_part(M, 10000, 10000)}),
    out("hash input", lists:sum([X || <<X>> <= L])).

%% Many large binaries, most of them garbage at once, with the heap and the
%% binaries collected over and over.
survive_gc() ->
    Keep = loop(300, []),
    out("kept", {length(Keep), lists:sum([byte_size(B) || B <- Keep])}),
    out("kept ok", lists:all(fun({I, B}) -> binary:first(B) =:= I rem 256 andalso byte_size(B) =:= 2000 + I end,
                             lists:zip(lists:seq(10, 300, 10), Keep))).

loop(0, Keep) -> Keep;
loop(I, Keep) ->
    B = list_to_binary([I rem 256, binary:copy(<<I:8>>, 1999 + I)]),
    _Garbage = [binary:copy(<<X>>, 5000) || X <- lists:seq(1, 3)],
    Keep2 = case I rem 10 of 0 -> [B | Keep]; _ -> Keep end,
    loop(I - 1, Keep2).

reason(F) ->
    try F() catch error:R -> {error, R} end.

errors() ->
    out("append not bin", reason(fun() -> X = id(a), <<X/binary, 1>> end)),
    out("append bits", reason(fun() -> X = id(<<1:1>>), <<X/binary>> end)).
