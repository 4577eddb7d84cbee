-module(etf_md5).
-export([main/0]).

%% erlang:md5/1 and the incremental md5_init/update/final: digests of
%% binaries and iodata, the incremental form agreeing with the one-shot one,
%% and badarg for what is not iodata or not a context.

main() ->
    Inputs = [<<>>, <<"a">>, <<"abc">>, <<"message digest">>,
              list_to_binary(lists:seq(0, 255)),
              binary:copy(<<"0123456789">>, 1000),
              ["ab", [$c, <<"de">>], <<>>, [[]]],
              [<<1:1, 0:7>>, "x"]],
    [io:format("~s~n", [hex(erlang:md5(I))]) || I <- Inputs],
    Ctx = lists:foldl(fun(Chunk, C) -> erlang:md5_update(C, Chunk) end,
                      erlang:md5_init(),
                      [<<"0123456789">> || _ <- lists:seq(1, 1000)]),
    io:format("incremental ~s~n", [hex(erlang:md5_final(Ctx))]),
    io:format("same ~p~n", [erlang:md5_final(Ctx) =:= erlang:md5(binary:copy(<<"0123456789">>, 1000))]),
    Bad = [atom, 1, [256], <<1:3>>, {a}, [a | b]],
    [io:format("~p -> ~p~n", [B, reason(fun() -> erlang:md5(B) end)]) || B <- Bad],
    io:format("update ~p~n", [reason(fun() -> erlang:md5_update(not_a_context, <<>>) end)]),
    io:format("final ~p~n", [reason(fun() -> erlang:md5_final(<<1, 2, 3>>) end)]).

reason(F) ->
    try F() catch Class:Reason -> {Class, Reason} end.

hex(Bin) -> [io_lib:format("~2.16.0b", [B]) || <<B>> <= Bin].
