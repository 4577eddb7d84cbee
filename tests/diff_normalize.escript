#!/usr/bin/env escript
%% Rewrites, in place, the "init terminating in do_boot" line that a VM prints
%% on stdout when main/0 crashes, so that two VMs can be compared on it.
%%
%% The line is {"init terminating in do_boot",Reason}; for errors and throws
%% Reason is {R,Stacktrace}. Stack traces differ between VMs (OTP shows its
%% init frames and line numbers), so the stacktrace is replaced by the atom
%% '<stacktrace>' and the rest is printed again with ~w. A line that does not
%% parse as a term (pids, funs...) is left as it is.
-mode(compile).

main(Files) ->
    lists:foreach(fun normalize_file/1, Files).

normalize_file(File) ->
    {ok, Bin} = file:read_file(File),
    Lines = string:split(binary_to_list(Bin), "\n", all),
    Out = lists:join("\n", [normalize_line(L) || L <- Lines]),
    ok = file:write_file(File, Out).

-define(PREFIX, "{\"init terminating in do_boot\",").

normalize_line(?PREFIX ++ _ = Line) ->
    case parse(Line) of
        {ok, {_Slogan, {Reason, Stack}}} ->
            case is_stack(Stack) of
                true -> reprint({Reason, '<stacktrace>'});
                false -> reprint({Reason, Stack})
            end;
        {ok, {_Slogan, Reason}} ->
            reprint(Reason);
        error ->
            Line
    end;
normalize_line(Line) ->
    Line.

parse(Line) ->
    case erl_scan:string(Line ++ ".") of
        {ok, Tokens, _} ->
            case erl_parse:parse_term(Tokens) of
                {ok, {_, _} = Term} -> {ok, Term};
                _ -> error
            end;
        _ ->
            error
    end.

reprint(Reason) ->
    lists:flatten(io_lib:format(?PREFIX "~w}", [Reason])).

%% An empty list counts too: it is how a VM with no stack trace to show
%% would print one, and only the reason is compared.
is_stack(Frames) when is_list(Frames) -> lists:all(fun is_frame/1, Frames);
is_stack(_) -> false.

is_frame({M, F, A, Loc}) when is_atom(M), is_atom(F), is_list(Loc) ->
    is_integer(A) orelse is_list(A);
is_frame(_) ->
    false.
