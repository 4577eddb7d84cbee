/*
 * trace_flags.h - per-process trace flags (erlang:trace/3).
 *
 * Every flag of OTP 25's erlang:trace/3 has a bit. A process's flags are
 * written by whichever process calls erlang:trace/3 and read by the process
 * itself on its hot paths (one relaxed load and a test), hence atomics.
 * Flags for processes not yet spawned (`new`) are kept globally, and so is
 * `cpu_timestamp`, which OTP only accepts for `all`. What the flags make a
 * process send is in trace_msg.h.
 */
#ifndef ERBIUM_TRACE_FLAGS_H
#define ERBIUM_TRACE_FLAGS_H

#include "runtime/proc/process.h"

#include <stdatomic.h>

enum {
    TRACE_CALL = 1u << 0,
    TRACE_SET_ON_SPAWN = 1u << 1,
    TRACE_SILENT = 1u << 2, /* no call, return_from or exception_from messages */
    TRACE_SEND = 1u << 3,
    TRACE_RECEIVE = 1u << 4,
    TRACE_PROCS = 1u << 5,
    TRACE_RUNNING = 1u << 6,
    TRACE_RUNNING_PROCS = 1u << 7,
    TRACE_EXITING = 1u << 8,
    TRACE_GC = 1u << 9,
    TRACE_SET_ON_FIRST_SPAWN = 1u << 10,
    TRACE_SET_ON_LINK = 1u << 11,
    TRACE_SET_ON_FIRST_LINK = 1u << 12,
    TRACE_ARITY = 1u << 13,
    TRACE_RETURN_TO = 1u << 14,
    TRACE_TIMESTAMP = 1u << 15,
    TRACE_MONOTONIC = 1u << 16,
    TRACE_STRICT_MONOTONIC = 1u << 17,
    TRACE_SCHEDULER_ID = 1u << 18,
    TRACE_PORTS = 1u << 19,
    TRACE_RUNNING_PORTS = 1u << 20,
};
#define TRACE_ALL_FLAGS ((1u << 21) - 1)
/* Flags that make a scheduler report the process going in and out. */
#define TRACE_SCHED_FLAGS (TRACE_RUNNING | TRACE_RUNNING_PROCS | TRACE_EXITING)
#define TRACE_STAMP_FLAGS (TRACE_TIMESTAMP | TRACE_MONOTONIC | TRACE_STRICT_MONOTONIC)
/* Flags that concern ports (counted for ports by erlang:trace(all, ...)). */
#define TRACE_PORT_FLAGS                                                                                   \
    (TRACE_SEND | TRACE_RECEIVE | TRACE_PORTS | TRACE_RUNNING_PORTS | TRACE_TIMESTAMP | TRACE_MONOTONIC | \
     TRACE_STRICT_MONOTONIC | TRACE_SCHEDULER_ID)
/* Flags that concern processes. */
#define TRACE_PROC_FLAGS (TRACE_ALL_FLAGS & ~(TRACE_PORTS | TRACE_RUNNING_PORTS))

/* The bit of a flag name (call, send, 'receive', ...), 0 for any other term
   (`all`, `cpu_timestamp` and tracer options included). */
uint32_t trace_flag_bit(Term name);
/* The flag names of `flags` as a list on p's heap, in OTP's order. */
Term trace_flag_list(Process *p, uint32_t flags);

static inline uint32_t trace_flags_of(const Process *p)
{
    return atomic_load_explicit(&((Process *)p)->trace_flags, memory_order_relaxed);
}

/* Turns `flags` on (with `tracer`) or off in p. Turning all off clears the tracer. */
void trace_flags_set(Process *p, uint32_t flags, bool on, Term tracer);
/* Clears every flag and the tracer of p (its tracer died). */
void trace_flags_clear(Process *p);
/* The same for processes spawned from now on. */
void trace_flags_set_new(uint32_t flags, bool on, Term tracer);
/* Flags and tracer new processes get. */
uint32_t trace_flags_new(Term *tracer);

/* cpu_timestamp: `timestamp` stamps give the thread's CPU time instead. */
void trace_flags_set_cpu_timestamp(bool on);
bool trace_flags_cpu_timestamp(void);

/*
 * A new process's flags, as OTP: those for new processes, plus its
 * parent's when the parent has set_on_spawn or set_on_first_spawn, or
 * (linked: spawn_link) set_on_link or set_on_first_link; the "first"
 * flags are then taken from both. parent may be NULL (the first process).
 */
void trace_flags_spawned(Process *child, Process *parent, bool linked);

#endif
