%% erbium_user - the I/O servers behind standard output and standard error.
%%
%% erbium starts two of these at boot: `user` (standard output), the group
%% leader of every process the command line starts, and `standard_error`.
%% They speak OTP's I/O protocol: a client (OTP's own io module) sends
%% {io_request, From, ReplyAs, Request} and waits for {io_reply, ReplyAs,
%% Reply}. Replies are those of OTP 25's `user` server for a standard output
%% that is not a terminal (erl -noshell): a Latin-1 device by default, where
%% a character above 255 is written as the text \x{HEX}; no geometry; input
%% requests and anything unknown are answered {error, {request, Request}}.
%%
%% A reply is sent only after the bytes are handed to erbium's output
%% buffer, so output a process wrote before erlang:halt/0,1 (which flushes
%% that buffer) always appears.
-module(erbium_user).
-export([start/0]).

-record(state, {device :: stdout | stderr,
                encoding = latin1 :: latin1 | unicode,
                binary = false :: boolean()}).  % only reported: there is no input

%% Starts both servers and registers them; called once by the VM at boot.
start() ->
    register(user, spawn(fun() -> loop(#state{device = stdout}) end)),
    register(standard_error, spawn(fun() -> loop(#state{device = stderr}) end)),
    start_file_server().

%% Kernel's file server, which file:read_file/1, open/2 (not raw) and most
%% of `file` and `filelib` call as file_server_2. It is kernel's own
%% file_server module, started on first use so that programs that never
%% touch files do not load gen_server at boot: the process registered as
%% file_server_2 starts it (linked) on the first message and then forwards
%% every message to it; replies go from the server to the callers
%% directly. The server keeps its table of open files in ETS, so a VM
%% without ETS goes without it.
start_file_server() ->
    case has_ets() of
        true -> register(file_server_2, spawn(fun() -> file_server_proxy(undefined) end)), ok;
        false -> ok
    end.

file_server_proxy(Server0) ->
    receive
        Msg ->
            Server = case Server0 of
                         undefined ->
                             {ok, Pid} = gen_server:start_link(file_server, [], []),
                             Pid;
                         _ ->
                             Server0
                     end,
            Server ! Msg,
            file_server_proxy(Server)
    end.

has_ets() ->
    try ets:whereis(file_io_servers) of
        _ -> true
    catch
        error:undef -> false
    end.

loop(State) ->
    receive
        {io_request, From, ReplyAs, Request} when is_pid(From) ->
            {_, Reply, State1} = request(Request, State),
            From ! {io_reply, ReplyAs, Reply},
            loop(State1);
        _Other ->
            loop(State)
    end.

%% {ok | error, Reply, NewState} for one request.
request({put_chars, Enc, Chars}, State) when Enc =:= unicode; Enc =:= latin1 ->
    put_chars(to_device(Chars, Enc, State), State);
request({put_chars, Enc, Mod, Fun, Args}, State) when Enc =:= unicode; Enc =:= latin1 ->
    put_chars(apply_chars(Mod, Fun, Args, Enc, State), State);
request({put_chars, Chars}, State) ->
    request({put_chars, latin1, Chars}, State);
request({put_chars, Mod, Fun, Args}, State) ->
    request({put_chars, latin1, Mod, Fun, Args}, State);
request({get_geometry, What}, State) when What =:= columns; What =:= rows ->
    {error, {error, enotsup}, State};
request(getopts, #state{binary = Bin, encoding = Enc} = State) ->
    {ok, [{binary, Bin}, {encoding, Enc}], State};
request({setopts, Opts}, State) when is_list(Opts) ->
    setopts(Opts, State);
request({requests, Requests}, State) when is_list(Requests) ->
    requests(Requests, {ok, ok, State});
request(Request, State) ->
    {error, {error, {request, Request}}, State}.

%% Requests in order, stopping at the first that fails; the reply is the last one's.
requests([Request | Rest], {ok, _, State}) ->
    requests(Rest, request(Request, State));
requests(_, Result) ->
    Result.

%% The bytes to write for Data (in encoding Enc), or error.
to_device(Data, Enc, #state{encoding = unicode}) when Enc =:= unicode ->
    case is_binary(Data) of
        true -> Data;
        false -> binary_or_error(catch unicode:characters_to_binary(Data, unicode, unicode))
    end;
to_device(Data, unicode, #state{encoding = latin1}) ->
    %% ASCII, the usual text, is the same in UTF-8 and Latin-1: one native call
    case catch unicode:characters_to_binary(Data, unicode) of
        Bin when is_binary(Bin) ->
            case unicode:bin_is_7bit(Bin) of
                true -> Bin;
                false -> to_latin1(Data)
            end;
        _ ->
            to_latin1(Data)
    end;
to_device(Data, latin1, #state{encoding = Out}) ->
    binary_or_error(catch unicode:characters_to_binary(Data, latin1, Out)).

to_latin1(Data) ->
    case catch unicode:characters_to_binary(Data, unicode, latin1) of
        Bin when is_binary(Bin) -> Bin;
        _ -> escaped_latin1(catch unicode:characters_to_list(Data, unicode))
    end.

binary_or_error(Bin) when is_binary(Bin) -> Bin;
binary_or_error(_) -> error.

%% A Latin-1 device writes a character it cannot hold as the text \x{HEX}.
escaped_latin1(Chars) when is_list(Chars) ->
    list_to_binary([escape(C) || C <- Chars]);
escaped_latin1(_) ->
    error.

escape(C) when C > 255 -> ["\\x{", integer_to_list(C, 16), "}"];
escape(C) -> C.

%% The text a {put_chars, Enc, Mod, Fun, Args} request asks for, converted for the device.
apply_chars(Mod, Fun, Args, Enc, State) ->
    case catch apply(Mod, Fun, Args) of
        Data when is_list(Data); is_binary(Data) -> to_device(Data, Enc, State);
        _ -> error
    end.

put_chars(error, State) ->
    {error, {error, put_chars}, State};
put_chars(Bin, #state{device = Device} = State) ->
    {ok, erbium:write(Device, Bin), State}.

%% Only the options OTP's user server takes: binary/list and the encoding.
setopts(Opts, State) ->
    case lists:all(fun valid_opt/1, Opts) of
        true -> {ok, ok, lists:foldl(fun set_opt/2, State, Opts)};
        false -> {error, {error, enotsup}, State}
    end.

valid_opt(binary) -> true;
valid_opt(list) -> true;
valid_opt({binary, B}) when is_boolean(B) -> true;
valid_opt({encoding, E}) when E =:= latin1; E =:= unicode; E =:= utf8 -> true;
valid_opt(_) -> false.

set_opt({encoding, latin1}, State) -> State#state{encoding = latin1};
set_opt({encoding, _}, State) -> State#state{encoding = unicode};
set_opt(binary, State) -> State#state{binary = true};
set_opt(list, State) -> State#state{binary = false};
set_opt({binary, B}, State) -> State#state{binary = B}.
