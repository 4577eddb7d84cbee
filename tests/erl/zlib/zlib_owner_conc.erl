-module(zlib_owner_conc).
-export([main/0]).

%% Streams left open die with their controlling process (the sanitizer
%% builds would report them as leaks otherwise); streams handed to another
%% process work there and not in the old owner; many processes deflate and
%% inflate at once.

class(F) ->
    try F() of _ -> ok catch C:_ -> C end.

main() ->
    Self = self(),
    %% 2,000 processes each leave an initialized stream with queued input behind
    Pids = [spawn(fun() ->
                          Z = zlib:open(),
                          ok = zlib:deflateInit(Z),
                          _ = zlib:deflate(Z, binary:copy(<<I:32>>, 100)),
                          Self ! {done, self(), Z}
                  end) || I <- lists:seq(1, 2000)],
    Zs = [receive {done, P, Z} -> Z end || P <- Pids],
    timer:sleep(100),
    %% their owners are gone: the streams can no longer be used from here (OTP
    %% says not_on_controlling_process, erbium, which has freed them, already_initialized)
    io:format("~p~n", [lists:usort([class(fun() -> zlib:deflateInit(Z) end) || Z <- Zs])]),
    %% hand a stream over
    Z = zlib:open(),
    ok = zlib:inflateInit(Z),
    Data = zlib:compress(binary:copy(<<"handover ">>, 1000)),
    Worker = spawn(fun() ->
                           receive {go, S} ->
                                   Out = iolist_to_binary(zlib:inflate(S, Data)),
                                   ok = zlib:inflateEnd(S),
                                   ok = zlib:close(S),
                                   Self ! {out, byte_size(Out)}
                           end
                   end),
    ok = zlib:set_controlling_process(Z, Worker),
    io:format("~p~n", [try zlib:inflateReset(Z) catch C:E -> {C, E} end]),
    Worker ! {go, Z},
    receive {out, N} -> io:format("~p~n", [N]) end,
    %% parallel round trips
    Ws = [spawn_link(fun() ->
                             B = binary:copy(integer_to_binary(I), 20000 + I),
                             R = zlib:gunzip(zlib:gzip(B)) =:= B andalso zlib:unzip(zlib:zip(B)) =:= B,
                             Self ! {rt, self(), R}
                     end) || I <- lists:seq(1, 8)],
    io:format("~p~n", [[receive {rt, W, R} -> R end || W <- Ws]]).
