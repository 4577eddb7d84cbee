%% Binary construction failures carry OTP 25's error_info (erl_erts_errors:format_bs_fail
%% with cause {Segment, Type, What, Value}), so erl_error prints which segment failed and why.
-module(exc_bs_construct).
-export([main/0]).

id(X) -> X.

app(B, X) -> <<B/binary, X:8>>.

guarded(X) when is_binary(<<X:8>>) -> yes;
guarded(_) -> no.

loop(Acc, []) -> Acc;
loop(Acc, [H | T]) -> loop(<<Acc/binary, H:8>>, T).

t(Name, F) ->
    try F() of
        V -> io:format("~s: ok ~p~n", [Name, V])
    catch
        error:R:St ->
            [{M, Fn, A, Loc} | _] = St,
            io:format("~s: ~p in ~p:~p/~p~n  ~p~n", [Name, R, M, Fn, A, Loc]),
            io:format("~s~n", [erl_error:format_exception(error, R, St)])
    end.

main() ->
    %% integer
    t("int type", fun() -> <<(id(a)):8>> end),
    t("int second", fun() -> <<1, (id(a)):8>> end),
    t("int float", fun() -> <<(id(1.5)):8>> end),
    t("int third little", fun() -> <<(id(1)):8, (id(2)):8, (id(b)):16/little>> end),
    t("int big value", fun() -> <<(id(1 bsl 80)):8, (id(x)):8>> end),
    t("int size neg", fun() -> <<(id(1)):(id(-1))>> end),
    t("int size atom", fun() -> <<(id(1)):(id(a))>> end),
    t("int size huge", fun() -> <<(id(1)):(id(1 bsl 70))>> end),
    t("int size before type", fun() -> <<(id(a)):(id(-1))/integer>> end),
    t("int unit", fun() -> <<(id(1)):(id(8))/unit:3, (id(b)):8>> end),
    %% float
    t("float type", fun() -> <<(id(a))/float>> end),
    t("float size", fun() -> <<(id(1.0)):(id(7))/float>> end),
    t("float size before type", fun() -> <<(id(a)):(id(7))/float>> end),
    t("float inf", fun() -> <<(id(1.0e300)):32/float>> end),
    %% binary
    t("bin type", fun() -> <<(id(a))/binary>> end),
    t("bits type", fun() -> <<(id(a))/bits>> end),
    t("bin unit", fun() -> <<(id(<<1:3>>))/binary>> end),
    t("bin short", fun() -> <<(id(<<1, 2>>)):3/binary>> end),
    t("bin short bits", fun() -> <<(id(<<1:3>>)):1/binary-unit:8>> end),
    t("bin size neg", fun() -> <<(id(a)):(id(-1))/binary>> end),
    t("bin size atom", fun() -> <<(id(<<1>>)):(id(a))/binary>> end),
    t("bitstring then int", fun() -> <<(id(<<1:3>>))/bitstring, (id(a)):4>> end),
    %% utf
    t("utf8 type", fun() -> <<(id(a))/utf8>> end),
    t("utf8 range", fun() -> <<(id(16#110000))/utf8>> end),
    t("utf8 surrogate", fun() -> <<(id(16#D800))/utf8>> end),
    t("utf16 neg", fun() -> <<(id(-1))/utf16>> end),
    t("utf32 type", fun() -> <<(id(a))/utf32>> end),
    t("utf after string", fun() -> <<"abc", (id(b))/utf8>> end),
    %% appends (the first segment is the binary appended to)
    t("append type", fun() -> app(a, 1) end),
    t("append unit", fun() -> app(<<1:3>>, 1) end),
    t("append value", fun() -> app(<<1>>, a) end),
    t("private append type", fun() -> loop(a, [1]) end),
    t("private append unit", fun() -> loop(<<1:3>>, [1]) end),
    t("private append value", fun() -> loop(<<>>, [1, a]) end),
    %% a catch sees the same reason; a failure label is taken without error_info
    io:format("catch ~p~n", [element(1, element(2, catch <<(id(a)):8>>))]),
    io:format("guard ~p~n", [guarded(a)]),
    ok.
