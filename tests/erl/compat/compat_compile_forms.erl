-module(compat_compile_forms).
-export([main/0]).
main() ->
    Src = "-module(dyn_mod).\n-export([add/2, fact/1, fmt/1]).\n"
          "add(A, B) -> A + B.\n"
          "fact(0) -> 1; fact(N) when N > 0 -> N * fact(N - 1).\n"
          "fmt(X) -> lists:flatten(io_lib:format(\"<~p>\", [X])).\n",
    Forms = scan_forms(Src),
    {ok, Mod, Bin} = compile:forms(Forms, []),
    io:format("~p ~p~n", [Mod, is_binary(Bin)]),
    {module, Mod} = code:load_binary(Mod, "dyn_mod.erl", Bin),
    io:format("~p ~p ~s~n", [dyn_mod:add(2, 3), dyn_mod:fact(20), dyn_mod:fmt({a, 1})]),
    io:format("~p~n", [lists:sort(dyn_mod:module_info(exports))]),
    R = compile:forms(scan_forms("-module(bad).\n-export([f/0]).\nf() -> X.\n"), [return_errors]),
    io:format("~p~n", [R]),
    R2 = compile:forms(scan_forms("-module(warn).\n-export([f/0]).\nf() -> X = 1, ok.\n"), [return_warnings]),
    io:format("~p~n", [element(1, R2)]),
    io:format("~p~n", [element(4, R2)]),
    {ok, M3, B3, W3} = compile:forms(scan_forms("-module(m3).\n-export([g/1]).\n-record(r, {a = 1, b}).\ng(X) -> #r{b = X}.\n"), [return, debug_info]),
    code:load_binary(M3, "m3.erl", B3),
    io:format("~p ~p ~p~n", [M3, W3, m3:g(7)]),
    {ok, _, Asm} = compile:forms(scan_forms("-module(m4).\n-export([h/0]).\nh() -> ok.\n"), ['S', binary]),
    io:format("~p~n", [is_list(Asm)]),
    code:purge(dyn_mod), code:delete(dyn_mod), code:purge(dyn_mod),
    io:format("~p~n", [catch dyn_mod:add(1, 2)]),
    {ok, Mod5, Bin5} = compile:forms(scan_forms("-module(dyn_mod).\n-export([add/2]).\nadd(A, B) -> {new, A + B}.\n")),
    {module, _} = code:load_binary(Mod5, "dyn_mod.erl", Bin5),
    io:format("~p~n", [dyn_mod:add(1, 2)]),
    ok.
scan_forms(Src) ->
    {ok, Toks, _} = erl_scan:string(Src),
    split(Toks, []).
split([], []) -> [];
split([{dot, _} = D | T], Acc) ->
    {ok, F} = erl_parse:parse_form(lists:reverse([D | Acc])),
    [F | split(T, [])];
split([H | T], Acc) -> split(T, [H | Acc]).
