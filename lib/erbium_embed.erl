%% erbium_embed: what runs an embedder's call (erb_vm_call in
%% include/erbium/vm.h). The VM starts this process as soon as it is asked,
%% while OTP may still be booting: it waits for init to finish the boot
%% script, then runs the call as init runs a -s call, with `user` as its
%% group leader.
-module(erbium_embed).
-export([call/3]).

-spec call(module(), atom(), [term()]) -> term().
call(Module, Function, Args) ->
    await_boot(),
    case whereis(user) of
        User when is_pid(User) -> group_leader(User, self());
        undefined -> ok
    end,
    apply(Module, Function, Args).

%% init registers itself first thing; until then there is nobody to ask.
await_boot() ->
    case whereis(init) of
        undefined ->
            receive after 1 -> ok end,
            await_boot();
        _ ->
            case init:notify_when_started(self()) of
                started -> ok;
                ok -> init:wait_until_started()
            end
    end.
