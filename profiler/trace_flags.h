/*
 * trace_flags.h - per-process trace flags (erlang:trace/3).
 *
 * Only the flags the profiler acts on exist: `call` (call_time counts the
 * process, call trace reports it), `set_on_spawn` (children inherit flags
 * and tracer) and `silent` (call trace messages suppressed). A
 * process's flags are written by whichever process calls erlang:trace/3
 * and read by the process itself on its hot path, hence atomics. Flags for
 * processes not yet spawned (`new`) are kept globally.
 */
#ifndef ERBIUM_TRACE_FLAGS_H
#define ERBIUM_TRACE_FLAGS_H

#include "runtime/proc/process.h"

#include <stdatomic.h>

enum {
    TRACE_CALL = 1u,
    TRACE_SET_ON_SPAWN = 2u,
    TRACE_SILENT = 4u, /* no call, return_from or exception_from messages */
    TRACE_RETURN_TO = 8u, /* return_to messages after locally traced calls (call_trace.h) */
};
#define TRACE_ALL_FLAGS (TRACE_CALL | TRACE_SET_ON_SPAWN | TRACE_SILENT | TRACE_RETURN_TO)

/* The bit of a flag name (call, set_on_spawn, silent), 0 for any other term. */
uint32_t trace_flag_bit(Term name);

static inline uint32_t trace_flags_of(const Process *p)
{
    return atomic_load_explicit(&((Process *)p)->trace_flags, memory_order_relaxed);
}

/* Turns `flags` on (with `tracer`) or off in p. Turning all off clears the tracer. */
void trace_flags_set(Process *p, uint32_t flags, bool on, Term tracer);
/* The same for processes spawned from now on. */
void trace_flags_set_new(uint32_t flags, bool on, Term tracer);
/* Flags and tracer new processes get. */
uint32_t trace_flags_new(Term *tracer);

/* A new process's flags: those for new processes, or its parent's when the
   parent has set_on_spawn. parent may be NULL (the first process). */
void trace_flags_spawned(Process *child, const Process *parent);

#endif
