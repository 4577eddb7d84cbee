/* trace_msg.c - trace messages for process trace flags (see trace_msg.h). */
#include "profiler/trace_msg.h"

#include "profiler/trace_sr_pattern.h"
#include "runtime/etf/etf.h"
#include "runtime/loader/module.h"
#include "runtime/port/port.h"
#include "runtime/port/port_trace_file.h"
#include "runtime/proc/proc_info.h"
#include "runtime/proc/proc_table.h"
#include "runtime/proc/signal.h"
#include "runtime/term/atom.h"
#include "runtime/time/arith_time.h"
#include "sched/sched.h"

#include <stdlib.h>
#include <time.h>

/* The second element of strict_monotonic_timestamp stamps: unique, growing, small. */
static _Atomic uint64_t strict_serial;

/* Microseconds of the `timestamp` stamp: system time, or with cpu_timestamp the thread's CPU time. */
static uint64_t stamp_us(void)
{
    if (trace_flags_cpu_timestamp()) {
        struct timespec ts;
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
    }
    return (uint64_t)(arith_time_system() / 1000);
}

Term trace_msg_stamp(Term *buf, uint32_t flags)
{
    if (flags & TRACE_TIMESTAMP) {
        uint64_t us = stamp_us();
        buf[0] = make_tuple_header(3);
        buf[1] = make_small((intptr_t)(us / 1000000000000u));
        buf[2] = make_small((intptr_t)(us / 1000000u % 1000000u));
        buf[3] = make_small((intptr_t)(us % 1000000u));
        return make_boxed(buf);
    }
    Term mono = make_small(arith_time_monotonic());
    if (!(flags & TRACE_STRICT_MONOTONIC)) return mono;
    buf[0] = make_tuple_header(2);
    buf[1] = mono;
    buf[2] = make_small(MIN_SMALL + (intptr_t)atomic_fetch_add_explicit(&strict_serial, 1, memory_order_relaxed));
    return make_boxed(buf);
}

bool trace_tracer_alive(Term tracer)
{
    if (is_pid(tracer)) return ptab_lookup(tracer) != NULL;
    if (!is_port(tracer)) return false;
    if (port_trace_open(tracer)) return true;
    /* a port whose lock is held is there (a closed one loses what is queued for it) */
    bool busy;
    Port *port = port_lookup_try(tracer, &busy);
    if (port) port_unlock(port);
    return port != NULL || busy;
}

/*
 * Output for port tracers that could not be given at once. An event is often
 * reported under the traced port's lock; waiting there for the tracer port's
 * lock livelocks when two ports trace each other (each thread holds one lock
 * and retries the other), so as OTP a busy tracer port gets its message
 * after: queued on this thread, in order, and written by trace_msg_flush at
 * the thread's next point without port locks (schedulers and dirty threads).
 */
typedef struct Deferred {
    struct Deferred *next;
    Term port;
    size_t n;
    uint8_t *bytes;
} Deferred;

_Thread_local void *trace_msg_deferred;
static _Thread_local Deferred *deferred_tail;
static _Thread_local bool defers; /* this thread calls trace_msg_flush */

void trace_msg_defer_here(void) { defers = true; }

static void port_take(Port *p, Term port, const uint8_t *bytes, size_t n)
{
    const PortDriver *drv = p->drv;
    if (drv) drv->command(p, port, bytes, n);
    else port_output(p, bytes, n);
    port_unlock(p);
    if (drv) drv->after_unlock();
}

static void defer(Term port, uint8_t *bytes, size_t n)
{
    Deferred *d = malloc(sizeof *d);
    if (!d) abort();
    *d = (Deferred){NULL, port, n, bytes};
    if (trace_msg_deferred) deferred_tail->next = d;
    else trace_msg_deferred = d;
    deferred_tail = d;
}

void trace_msg_flush_slow(void)
{
    while (trace_msg_deferred) { /* a port closed by its output may report more */
        Deferred *d = trace_msg_deferred;
        trace_msg_deferred = NULL;
        deferred_tail = NULL;
        while (d) {
            Deferred *next = d->next;
            Port *p = port_lookup(d->port); /* no port lock is held here: waiting is safe */
            if (p) port_take(p, d->port, d->bytes, d->n);
            free(d->bytes);
            free(d);
            d = next;
        }
    }
}

/*
 * A port tracer gets the message encoded as term_to_binary does: a
 * trace_file_drv port through its own lock only (port_trace_file.h), any
 * other port as if port_command had sent it, or after (above) when its lock
 * is held.
 */
static void post_to_port(Term port, Term msg)
{
    size_t n;
    uint8_t *bytes = etf_encode(msg, &(EtfEncodeOptions){.minor_version = 1}, &n);
    if (port_trace_write(port, bytes, n)) {
        free(bytes);
        return;
    }
    Port *p;
    if (defers) {
        bool busy = false;
        p = trace_msg_deferred ? NULL : port_lookup_try(port, &busy);
        if (trace_msg_deferred || busy) {
            defer(port, bytes, n);
            return;
        }
    } else {
        p = port_lookup(port);
    }
    if (p) port_take(p, port, bytes, n);
    free(bytes);
}

void trace_msg_post_as(Term pid, Term tracer, uint32_t flags, Term what, Term a, Term b)
{
    if (!trace_is_tracer(tracer) || tracer == pid) return;
    Term msg[8], sbuf[4];
    unsigned n = 0;
    bool stamped = flags & TRACE_STAMP_FLAGS;
    msg[++n] = stamped ? AM_trace_ts : AM_trace;
    msg[++n] = pid;
    msg[++n] = what;
    msg[++n] = a;
    if (is_value(b)) msg[++n] = b;
    if (flags & TRACE_SCHEDULER_ID) msg[++n] = make_small(sched_self() >= 0 ? sched_self() + 1 : 1);
    if (stamped) msg[++n] = trace_msg_stamp(sbuf, flags);
    msg[0] = make_tuple_header(n);
    trace_msg_deliver(tracer, pid, make_boxed(msg));
}

void trace_msg_deliver(Term tracer, Term from, Term msg)
{
    if (is_port(tracer)) post_to_port(tracer, msg);
    else signal_post(SIG_MESSAGE, tracer, from, msg, false);
}

void trace_msg_post(Process *p, Term what, Term a, Term b)
{
    Term tracer = atomic_load_explicit(&p->tracer, memory_order_relaxed);
    if (!trace_is_tracer(tracer) || tracer == p->pid) return;
    if (!trace_tracer_alive(tracer)) { /* the tracer died: the tracee is no longer traced */
        trace_flags_clear(p);
        return;
    }
    trace_msg_post_as(p->pid, tracer, trace_flags_of(p), what, a, b);
}

/* ---- send, receive, spawn ---- */

void trace_send(Process *p, Term dest, Term msg, bool exists)
{
    if (!trace_sr_send_wanted(p, dest, msg)) return;
    trace_msg_post(p, exists ? AM_send : AM_send_to_non_existing_process, msg, dest);
}

void trace_receive(Process *p, Term from, Term msg)
{
    Term extra = THE_NON_VALUE;
    if (!trace_sr_receive_wanted(p, from, msg, &extra)) return;
    trace_msg_post(p, AM_receive, msg, extra);
}

void trace_spawn(Process *parent, Process *child, Term mfargs)
{
    if (trace_flags_of(parent) & TRACE_PROCS) trace_msg_post(parent, AM_spawn, child->pid, mfargs);
}

void trace_spawned(Process *child, Process *parent, Term mfargs)
{
    if (trace_flags_of(child) & TRACE_PROCS) trace_msg_post(child, AM_spawned, parent->pid, mfargs);
}

/* ---- running, exiting ---- */

/* {M, F, Arity} of the code at pc (in buf, 4 words), or 0 when it is no function's. */
static Term mfa_at(Term *buf, const BeamInstr *pc)
{
    Module *m;
    const FuncRange *f = pc ? module_func_at(pc, &m) : NULL;
    if (!f) return make_small(0);
    buf[0] = make_tuple_header(3);
    buf[1] = m->name;
    buf[2] = f->function;
    buf[3] = make_small(f->arity);
    return make_boxed(buf);
}

Term trace_current_mfa(Term *buf, const Process *p)
{
    if (!p->has_run && is_atom(p->initial_call[0])) {
        buf[0] = make_tuple_header(3);
        for (int i = 0; i < 3; i++) buf[1 + i] = p->initial_call[i];
        return make_boxed(buf);
    }
    return mfa_at(buf, p->i);
}

void trace_sched_in(Process *p)
{
    if (!(trace_flags_of(p) & (TRACE_RUNNING | TRACE_RUNNING_PROCS))) return;
    Term buf[4];
    trace_msg_post(p, AM_in, trace_current_mfa(buf, p), THE_NON_VALUE);
}

void trace_sched_out(Process *p)
{
    if (!(trace_flags_of(p) & (TRACE_RUNNING | TRACE_RUNNING_PROCS))) return;
    Term buf[4];
    trace_msg_post(p, AM_out, trace_current_mfa(buf, p), THE_NON_VALUE);
}

void trace_sched_exited(Term pid, Term tracer, uint32_t flags)
{
    if (!(flags & TRACE_EXITING) || !trace_tracer_alive(tracer)) return;
    trace_msg_post_as(pid, tracer, flags, AM_out_exited, make_small(0), THE_NON_VALUE);
}

/* ---- garbage collection ---- */

void trace_gc(Process *p, bool major, bool start, size_t words)
{
    Term names[PROC_GC_ITEMS];
    size_t values[PROC_GC_ITEMS];
    proc_info_gc_items(p, names, values);
    /* [{wordsize, W} | the garbage_collection_info items], a 2-tuple and a cons each */
    Term buf[(PROC_GC_ITEMS + 1) * 5], list = NIL;
    Term *hp = buf;
    for (int i = PROC_GC_ITEMS; i >= 0; i--) {
        hp[0] = make_tuple_header(2);
        hp[1] = i ? names[i - 1] : AM_wordsize;
        hp[2] = make_small((intptr_t)(i ? values[i - 1] : words));
        hp[3] = make_boxed(hp);
        hp[4] = list;
        list = make_list(hp + 3);
        hp += 5;
    }
    Term what = major ? (start ? AM_gc_major_start : AM_gc_major_end) : (start ? AM_gc_minor_start : AM_gc_minor_end);
    trace_msg_post(p, what, list, THE_NON_VALUE);
}
