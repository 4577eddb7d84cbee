%% erl_debugger - OTP 28's debugger interface (kernel, "EXPERIMENTAL") for
%% erbium, which loads it at boot when started with +D. Every function is
%% a BIF (runtime/debug/bif_debugger.c): these bodies never run.
%%
%% A process that hits a breakpoint sends the registered debugger
%% {debugger_event, Session, {breakpoint, Pid, {M,F,A}, Line, Resume}} and
%% stays suspended at the line until Resume() runs. The VM builds Resume
%% from the one fun below.
-module(erl_debugger).

-export([supported/0, instrumentations/0, toggle_instrumentations/1]).
-export([register/1, unregister/2, whereis/0]).
-export([breakpoint/3, breakpoints/1, breakpoints/3]).
-export([stack_frames/2, peek_stack_frame_slot/4]).
-export([xregs_count/1, peek_xreg/3]).
-export(['$resume_fun'/2, '$resume'/2]).

supported() -> erlang:nif_error(undef).
instrumentations() -> erlang:nif_error(undef).
toggle_instrumentations(_Toggle) -> erlang:nif_error(undef).
register(_Pid) -> erlang:nif_error(undef).
unregister(_Pid, _Session) -> erlang:nif_error(undef).
whereis() -> erlang:nif_error(undef).
breakpoint(_Module, _Line, _Flag) -> erlang:nif_error(undef).
breakpoints(_Module) -> erlang:nif_error(undef).
breakpoints(_Module, _Function, _Arity) -> erlang:nif_error(undef).
stack_frames(_Pid, _MaxTermSize) -> erlang:nif_error(undef).
peek_stack_frame_slot(_Pid, _FrameNo, _Slot, _MaxSize) -> erlang:nif_error(undef).
xregs_count(_Pid) -> erlang:nif_error(undef).
peek_xreg(_Pid, _Reg, _MaxSize) -> erlang:nif_error(undef).

%% Lets the process suspended at hit Hit go on.
'$resume'(_Pid, _Hit) -> erlang:nif_error(undef).

%% The shape of an event's Resume: the VM makes this fun for each hit.
'$resume_fun'(Pid, Hit) -> fun() -> erl_debugger:'$resume'(Pid, Hit) end.
