/*
 * call_trace.h - call trace messages, as OTP 25 sends them.
 *
 * A function with a local (BP_TRACE) or global (BP_GLOBAL) call trace
 * pattern, called by a process with the `call` flag, runs the pattern's
 * match spec (if any) against the argument list; when it matches (or
 * there is none) the process's tracer gets {trace, Pid, call, {M, F, Args}}
 * or, with a {message, Extra} action, {trace, Pid, call, {M, F, Args}, Extra}.
 * A process that is its own tracer gets nothing, and the `silent` flag
 * suppresses call, return_from and exception_from messages.
 *
 * return_trace / exception_trace push a 2-word frame below the return
 * address, [i_return_trace or i_exception_trace stub][BpData as a small],
 * so the function's return lands in the stub, which sends
 * {trace, Pid, return_from, {M, F, Arity}, Value}. Like OTP, the frame is
 * pushed on every call, tail calls included. An exception unwinding past an
 * exception_trace frame sends {trace, Pid, exception_from, {M, F, Arity},
 * {Class, Reason}} (call_trace_unwind).
 *
 * Meta trace (BP_META) runs the slot's meta spec for every process, whatever
 * its flags, and sends the same messages with a time stamp of
 * erlang:timestamp/0's form, {trace_ts, Pid, call, {M, F, Args}, [Extra,] TS},
 * to the slot's meta tracer. Its return frame has a third word, the meta
 * tracer then in force: [i_meta_return_trace or i_meta_exception_trace][BpData][tracer].
 *
 * A process with the `return_to` flag also gets a one-word frame
 * [i_return_to_trace] below the others at a local call trace breakpoint
 * whose spec matched (none when one is on top already: a tail call). Its
 * return sends {trace, Pid, return_to, {M, F, A}} naming the function
 * execution goes on in (undefined when not in code); an exception caught
 * after unwinding past one names the catching function.
 */
#ifndef ERBIUM_CALL_TRACE_H
#define ERBIUM_CALL_TRACE_H

#include "profiler/bp.h"
#include "profiler/trace_flags.h"
#include "runtime/interp/interp.h"
#include "runtime/proc/process.h"

/* What return frame the call needs. */
typedef enum { CT_FRAME_NONE, CT_FRAME_RETURN, CT_FRAME_EXCEPTION } CtFrame;

/*
 * p enters bd's function with its arguments in x[0..arity); `stop` is its
 * stack top (the return address first). `s` is the active slot. Sends the
 * call message when the spec says so; returns the frame to push.
 */
CtFrame call_trace_call(Process *p, const BpData *bd, const BpSlot *s, const Term *x, const Term *stop,
                        bool *matched);
/* Whether a local call trace that matched needs a return_to frame on the stack top `stop`. */
static inline bool call_trace_wants_return_to(const Process *p, const Term *stop)
{
    return (trace_flags_of(p) & TRACE_RETURN_TO) &&
           *stop != (Term)interp_return_to_stub();
}
/* At a return_to frame: `next` is the stack after it. */
void call_trace_return_to(Process *p, const Term *next);
/* An exception unwound [top, tag) and is caught at `handler`: return_to if a frame was there. */
void call_trace_caught(Process *p, const Term *top, const Term *tag, const BeamInstr *handler);

/* The same for meta trace: the call message goes to s->meta_tracer. */
CtFrame call_trace_meta(Process *p, const BpData *bd, const BpSlot *s, const Term *x, const Term *stop);
/* The function of a meta return frame returned `value`; `tracer` is the frame's third word. */
void call_trace_meta_return(Process *p, const BpData *bd, Term tracer, Term value);

/* A return frame's second word, and back. */
static inline Term call_trace_frame_word(const BpData *bd) { return make_small((intptr_t)((uintptr_t)bd >> 3)); }
static inline const BpData *call_trace_frame_data(Term w) { return (const BpData *)((uintptr_t)small_val(w) << 3); }

/* The function of a return frame returned `value`. */
void call_trace_return(Process *p, const BpData *bd, Term value);

/*
 * An exception of class `cls` (atom) with `reason` unwinds the stack words
 * [top, limit): each exception_trace frame there (meta ones too), innermost
 * first, reports it.
 */
void call_trace_unwind(Process *p, const Term *top, const Term *limit, Term cls, Term reason);

#endif
