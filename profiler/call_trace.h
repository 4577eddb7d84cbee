/*
 * call_trace.h - call trace messages: a function with a local call trace
 * pattern (erlang:trace_pattern(MFA, true, [local])) called by a process
 * with the `call` trace flag sends its tracer {trace, Pid, call, {M, F, Args}},
 * as OTP does. A process that is its own tracer gets no message.
 */
#ifndef ERBIUM_CALL_TRACE_H
#define ERBIUM_CALL_TRACE_H

#include "runtime/proc/process.h"

/* p enters the function at `entry` with its arguments in x[0..arity). */
void call_trace_send(Process *p, const BeamInstr *entry, const Term *x);

#endif
