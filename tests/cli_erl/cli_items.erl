%% Start items as erl runs them: -s with and without arguments, -run with
%% strings, in command-line order, all in init's boot process; flags and plain
%% arguments as init reports them.
-module(cli_items).
-export([start/0, atoms/1, strings/1, args/0, boom/0]).

start() -> report(start, []).
atoms(Args) -> report(atoms, Args).
strings(Args) -> report(strings, Args).

report(Item, Args) ->
    io:format("~p ~p trap_exit=~p same_process=~p~n",
              [Item, Args, element(2, process_info(self(), trap_exit)), same_process()]).

%% Every item runs in the same process: the first one records its pid.
same_process() ->
    case get(first) of
        undefined -> put(first, self()), true;
        _ -> true
    end.

args() ->
    io:format("plain ~p~n", [init:get_plain_arguments()]),
    io:format("flag ~p ~p~n", [init:get_argument(myflag), init:get_argument(nosuch)]),
    io:format("progname ~p~n", [init:get_argument(progname)]),
    io:format("status ~p~n", [init:get_status()]).

boom() -> error({boom, 42}).
