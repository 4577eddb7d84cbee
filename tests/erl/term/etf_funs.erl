%% Funs in the external term format: NEW_FUN for local funs (with the
%% module MD5 and lambda indices), EXPORT for fun M:F/A, and decoding them
%% back into funs that can be called.
-module(etf_funs).
-export([main/0, add/2]).
-compile(nowarn_deprecated_function).

add(A, B) -> A + B.

main() -> run(7).

run(N) ->
    Funs = [fun() -> ok end,
            fun(X) -> X * 2 end,
            fun(X) -> {X, N} end,
            fun(X, Y) -> [X, Y, N, "env"] end,
            make_adder(10),
            make_adder({1, [2.5, <<"three">>]}),
            fun ?MODULE:add/2,
            fun erlang:abs/1],
    lists:foreach(fun show/1, Funs),
    Back = [binary_to_term(term_to_binary(F)) || F <- Funs],
    io:format("equal: ~w~n", [[F =:= B || {F, B} <- lists:zip(Funs, Back)]]),
    io:format("calls: ~w~n", [[call(B) || B <- Back]]),
    Packed = binary_to_term(term_to_binary(Funs, [compressed])),
    io:format("compressed: ~w~n", [Packed =:= Funs]),
    Key = lists:nth(3, Funs),
    io:format("as map keys: ~w~n", [maps:get(Key, binary_to_term(term_to_binary(#{Key => found})))]),
    io:format("hashes: ~w~n", [[erlang:phash2(F) || F <- Funs]]),
    io:format("old hashes: ~w~n", [[erlang:phash(F, 1 bsl 32) || F <- Funs]]),
    ok.

make_adder(K) -> fun(X) -> {add, X, K} end.

call(F) ->
    case erlang:fun_info(F, arity) of
        {arity, 0} -> F();
        {arity, 1} -> F(21);
        {arity, 2} -> F(1, 2)
    end.

%% The encoding field by field; the creator pid's number is left out, since
%% the two VMs number their first process differently.
show(F) ->
    case term_to_binary(F) of
        <<131, 112, Size:32, Arity, Uniq:16/binary, Index:32, NumFree:32, Rest/binary>> ->
            {Module, R1} = atom(Rest),
            {OldIndex, R2} = int(R1),
            {OldUniq, R3} = int(R2),
            <<88, 100, 13:16, "nonode@nohost", _Id:32, Serial:32, Creation:32, Env/binary>> = R3,
            io:format("local: size ~w arity ~w index ~w free ~w module ~w old ~w ~w pid ~w ~w env ~w~n",
                      [Size, Arity, Index, NumFree, Module, OldIndex, OldUniq, Serial, Creation, Env]),
            io:format("  uniq is the module md5: ~w~n", [Uniq =:= ?MODULE:module_info(md5)]);
        Bin ->
            io:format("export: ~w~n", [Bin])
    end.

atom(<<100, Len:16, Name:Len/binary, Rest/binary>>) -> {binary_to_atom(Name, latin1), Rest}.

int(<<97, V, Rest/binary>>) -> {V, Rest};
int(<<98, V:32/signed, Rest/binary>>) -> {V, Rest}.
