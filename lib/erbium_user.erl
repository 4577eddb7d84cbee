%% erbium_user - the I/O servers behind standard output and standard error.
%%
%% erbium starts two of these at boot: `user` (standard output), the group
%% leader of every process the command line starts, and `standard_error`.
%% They speak OTP's I/O protocol: a client (OTP's own io module) sends
%% {io_request, From, ReplyAs, Request} and waits for {io_reply, ReplyAs,
%% Reply}. Replies are those of OTP 25's `user` server for standard input
%% and output that are not terminals (erl -noshell): a Latin-1 device by
%% default, where a character above 255 is written as the text \x{HEX}; no
%% geometry; anything unknown is answered {error, {request, Request}}.
%%
%% Output: a reply is sent only after erbium:write/2 has written the bytes
%% (unbuffered), so nothing printed is held back or lost. When standard
%% output is gone (a closed pipe) the server exits, as OTP's `user` does when
%% its port fails: the waiting client's io call raises `terminated`.
%%
%% Input: as OTP's `user`, the server reads standard input through an
%% {fd, 0, 1} port it opens at start (so, as on OTP, it takes whatever
%% arrives on fd 0 whether or not anyone asks for it), and answers get_line, get_chars and get_until
%% (io:read, io:fread, io:request) from what the port delivered, with eof at
%% the end. With -noinput the server never reads: fd 0 is the program's,
%% and an input request waits for ever, as on OTP.
-module(erbium_user).
-export([start/0]).

-record(state, {device :: stdout | stderr,
                encoding = latin1 :: latin1 | unicode,
                binary = false :: boolean(),
                input :: noinput | port(),
                buf = <<>> :: binary(),     % input read and not yet consumed
                eof = false :: boolean()}).  % the port said eof: buf is all there is

%% Starts both servers and registers them; called once by the VM at boot.
start() ->
    NoInput = lists:keymember(noinput, 1, init:get_arguments()),
    Boot = self(),
    User = spawn(fun() ->
                         Input = standard_input(NoInput),
                         Boot ! {self(), input_open},
                         loop(#state{device = stdout, input = Input})
                 end),
    %% The program's main starts only once standard input's port exists, so
    %% that erlang:ports() looks the same from the first instruction on.
    receive {User, input_open} -> ok end,
    register(user, User),
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
        {Port, _} = Input when Port =:= State#state.input ->
            loop(input_arrived(Input, State));
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
request({get_line, Enc, Prompt}, State) when Enc =:= unicode; Enc =:= latin1 ->
    input(fun get_line/1, Enc, Prompt, prompt(Prompt, State));
request({get_chars, Enc, Prompt, N}, State)
  when (Enc =:= unicode orelse Enc =:= latin1), is_integer(N), N >= 0 ->
    input(fun(S) -> get_chars(N, S) end, Enc, Prompt, prompt(Prompt, State));
request({get_until, Enc, Prompt, M, F, As}, State) when Enc =:= unicode; Enc =:= latin1 ->
    get_until(M, F, As, Enc, [], prompt(Prompt, State));
request({get_line, Prompt}, State) ->
    request({get_line, latin1, Prompt}, State);
request({get_chars, Prompt, N}, State) ->
    request({get_chars, latin1, Prompt, N}, State);
request({get_until, Prompt, M, F, As}, State) ->
    request({get_until, latin1, Prompt, M, F, As}, State);
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
    case erbium:write(Device, Bin) of
        ok -> {ok, ok, State};
        {error, Reason} -> exit(Reason)  % standard output is gone
    end.

%% ---- input ----

%% The prompt goes to standard output first (an empty one too), as OTP's user writes it.
prompt(Prompt, State) ->
    {_, _, State1} = put_chars(to_device(io_lib:format_prompt(Prompt, unicode), unicode, State), State),
    State1.

%% Answers a line or character request with Take(Bytes) -> {Taken, Rest} | more,
%% reading more input while it says more; eof when nothing is left at the end.
input(Take, Enc, Prompt, State) ->
    case Take(State#state.buf) of
        {Taken, Rest} ->
            {ok, result(Taken, Enc, State), State#state{buf = Rest}};
        more when State#state.eof, State#state.buf =:= <<>> ->
            {ok, eof, State};
        more when State#state.eof ->
            {ok, result(State#state.buf, Enc, State), State#state{buf = <<>>}};
        more ->
            input(Take, Enc, Prompt, read_more(State))
    end.

get_line(Buf) ->
    case binary:match(Buf, <<"\n">>) of
        {At, 1} -> split_binary(Buf, At + 1);
        nomatch -> more
    end.

get_chars(N, Buf) when byte_size(Buf) >= N -> split_binary(Buf, N);
get_chars(_, _) -> more.

%% {get_until, ...}: M:F(Cont, Data, As...) over everything buffered, then over more
%% input, until it is done; at the end of input it is given eof.
get_until(M, F, As, Enc, Cont, State) ->
    Data = case {State#state.buf, State#state.eof} of
               {<<>>, true} -> eof;
               {Buf, _} -> chars(Buf, State)
           end,
    case catch apply(M, F, [Cont, Data | As]) of
        {done, Result, Rest} ->
            {ok, until_result(Result, Enc, State), State#state{buf = rest_bytes(Rest, State)}};
        {more, _} when Data =:= eof ->
            {ok, eof, State};
        {more, Cont1} when State#state.eof ->
            get_until(M, F, As, Enc, Cont1, State#state{buf = <<>>});
        {more, Cont1} ->
            get_until(M, F, As, Enc, Cont1, read_more(State#state{buf = <<>>}));
        _ ->
            {error, {error, err}, State}
    end.

until_result(Result, unicode, #state{binary = true}) when is_list(Result) ->
    unicode:characters_to_binary(Result);
until_result(Result, _, _) ->
    Result.

rest_bytes(eof, _) -> <<>>;
rest_bytes(Rest, #state{encoding = unicode}) -> unicode:characters_to_binary(Rest);
rest_bytes(Rest, _) -> list_to_binary(Rest).

chars(Bin, #state{encoding = unicode}) -> unicode:characters_to_list(Bin, unicode);
chars(Bin, _) -> binary_to_list(Bin).

%% Input bytes as the request's result: a string, or a binary in binary mode.
result(Bytes, Enc, #state{binary = false} = State) ->
    _ = Enc,
    chars(Bytes, State);
result(Bytes, unicode, #state{encoding = latin1}) ->
    unicode:characters_to_binary(Bytes, latin1, unicode);
result(Bytes, _, _) ->
    Bytes.

standard_input(true) -> noinput;
standard_input(false) -> open_port({fd, 0, 1}, [in, eof, binary]).

%% Waits for the next chunk of standard input.
read_more(#state{input = noinput}) ->
    receive after infinity -> ok end;
read_more(#state{input = Port} = State) ->
    receive
        {Port, _} = Input -> input_arrived(Input, State)
    end.

input_arrived({_, {data, Data}}, #state{buf = Buf} = State) ->
    State#state{buf = <<Buf/binary, Data/binary>>};
input_arrived({_, eof}, State) ->
    State#state{eof = true}.

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
