-module(sweep_module_exports).
-export([main/0, b/1, a/0, c/2, a/1, unused/0]).
%% module_info(exports) lists a module's functions in the order OTP made their
%% export entries: the file's order for a module nothing called before it was
%% loaded (main/0 here, applied by init before loading); functions a module loaded
%% earlier calls got their entries then, and come last, newest first.
b(_) -> ok.
a() -> ok.
c(_, _) -> ok.
a(_) -> ok.
%% calls that make erl_tar's entries for table/1 and extract/1 when this module loads
unused() -> {erl_tar:table(x), erl_tar:extract(x)}.
main() ->
    io:format("~p~n", [?MODULE:module_info(exports)]),
    io:format("~p~n", [?MODULE:module_info(functions)]),
    io:format("~p~n", [proplists:get_value(exports, ?MODULE:module_info())]),
    {module, erl_tar} = code:ensure_loaded(erl_tar),
    io:format("~p~n", [erl_tar:module_info(exports)]),
    io:format("~p~n", [catch sweep_no_such_module:f(1)]),
    io:format("~p~n", [catch apply(?MODULE, no_such_function, [])]),
    ok.
