/*
 * trace_msg.h - the trace messages process trace flags produce, with OTP
 * 25's formats.
 *
 * A message is built where the event happens, on the thread that runs it
 * (the tracee's scheduler, or the thread of the process causing the event),
 * in a buffer on the C stack, and posted straight into the tracer's mailbox
 * (signal_post copies it): no lock besides the mailbox's, no trace thread,
 * nothing taken from the tracee's heap (so the GC can report itself).
 *
 * {trace, P, What, A} or {trace, P, What, A, B}; with scheduler_id the
 * scheduler number is appended; with a time stamp flag the tag becomes
 * trace_ts and the stamp comes last (timestamp wins over
 * strict_monotonic_timestamp, which wins over monotonic_timestamp).
 * Nothing goes to a tracer that is the tracee itself; a tracee whose
 * tracer has died loses its flags, as in OTP.
 *
 * Hooks: each `trace_on_*` tests one flag inline (the only cost untraced
 * code pays) and calls the out-of-line builder when it is set.
 */
#ifndef ERBIUM_TRACE_MSG_H
#define ERBIUM_TRACE_MSG_H

#include "profiler/trace_flags.h"

#define TRACE_UNLIKELY(x) __builtin_expect(!!(x), 0)

/* A tracer is a process or a port (to a port the message goes as its output, in the
   external term format: port_trace_file.h frames it in a trace file). */
static inline bool trace_is_tracer(Term t) { return is_pid(t) || is_port(t); }
/* Is the tracer still there (a live process, an open port)? */
bool trace_tracer_alive(Term tracer);

/* Output for port tracers whose lock was held when the event came, queued on this thread. */
extern _Thread_local void *trace_msg_deferred;
void trace_msg_flush_slow(void);
/* Gives that output, at a point where the thread holds no port lock. */
static inline void trace_msg_flush(void)
{
    if (TRACE_UNLIKELY(trace_msg_deferred != NULL)) trace_msg_flush_slow();
}
/* The calling thread flushes (a scheduler or dirty thread): its port tracers may be deferred. */
void trace_msg_defer_here(void);

/* Delivers msg (anywhere: it is copied) to a process or port tracer, from `from`. */
void trace_msg_deliver(Term tracer, Term from, Term msg);
/* The time stamp the TRACE_*STAMP* bits of flags ask for, built in buf (4 words). */
Term trace_msg_stamp(Term *buf, uint32_t flags);
/* {M, F, Arity} of what p runs, in buf (4 words): before its first slice its initial call
   (erlang:apply/2 for a fun), else the function at p->i; 0 when that is no function. */
Term trace_current_mfa(Term *buf, const Process *p);

/* Posts {trace, P, What, A[, B]} (B omitted when THE_NON_VALUE) to p's tracer. */
void trace_msg_post(Process *p, Term what, Term a, Term b);
/* The same for a tracee given by pid, tracer and flags (it may be gone). */
void trace_msg_post_as(Term pid, Term tracer, uint32_t flags, Term what, Term a, Term b);

void trace_send(Process *p, Term dest, Term msg, bool exists);
void trace_receive(Process *p, Term from, Term msg);
/* {trace, Parent, spawn, Child, {M, F, Args}} and {trace, Child, spawned, Parent, {M, F, Args}},
   each when that process has the procs flag. */
void trace_spawn(Process *parent, Process *child, Term mfargs);
void trace_spawned(Process *child, Process *parent, Term mfargs);
/* running: {trace, P, in | out, {M, F, Arity} | 0} as p's slice starts and ends. */
void trace_sched_in(Process *p);
void trace_sched_out(Process *p);
/* exiting: {trace, P, out_exited, 0} once the process (pid, with that tracer and flags) is gone. */
void trace_sched_exited(Term pid, Term tracer, uint32_t flags);
/* {trace, P, gc_minor_start | gc_major_start, Info} and the _end ones; `words`
   is the need that triggered the collection, or the words it reclaimed. */
void trace_gc(Process *p, bool major, bool start, size_t words);

/* send: dest is what the sender named; exists is false for a dead pid. */
static inline void trace_on_send(Process *p, Term dest, Term msg, bool exists)
{
    if (TRACE_UNLIKELY(trace_flags_of(p) & TRACE_SEND)) trace_send(p, dest, msg, exists);
}

/* receive: msg from `from` enters p's queue. */
static inline void trace_on_receive(Process *p, Term from, Term msg)
{
    if (TRACE_UNLIKELY(trace_flags_of(p) & TRACE_RECEIVE)) trace_receive(p, from, msg);
}

/* procs events: exit, link, unlink, getting_linked, getting_unlinked, register, unregister. */
static inline void trace_on_procs(Process *p, Term what, Term arg)
{
    if (TRACE_UNLIKELY(trace_flags_of(p) & TRACE_PROCS)) trace_msg_post(p, what, arg, THE_NON_VALUE);
}

/* exiting: out_exited, once the exit's own messages are out and before its link and monitor
   signals, so that whoever learns of the exit (a 'DOWN', then trace_delivered/1) finds it
   delivered, as OTP's trace_delivered guarantees. */
static inline void trace_on_exited(Process *p)
{
    uint32_t flags = trace_flags_of(p);
    if (TRACE_UNLIKELY(flags & TRACE_EXITING)) trace_sched_exited(p->pid, atomic_load(&p->tracer), flags);
}

static inline bool trace_on_gc(const Process *p) { return TRACE_UNLIKELY(trace_flags_of(p) & TRACE_GC); }

#endif
