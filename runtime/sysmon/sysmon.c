/*
 * sysmon.c - the system monitor's settings and its messages (see sysmon.h).
 *
 * Settings change under a mutex and are published field by field; a hook
 * that races with a change may report one event by the old thresholds,
 * which OTP allows as well (its settings are global variables too).
 */
#include "runtime/sysmon/sysmon.h"

#include "runtime/loader/module.h"
#include "runtime/proc/proc_info.h"
#include "runtime/proc/signal.h"

#include <pthread.h>
#include <string.h>
#include <time.h>

_Atomic bool sysmon_gc_watched;
_Atomic bool sysmon_slice_watched;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static _Atomic Term mon_pid = NIL;
static _Atomic uint64_t long_gc_ms = SYSMON_UNSET, long_schedule_ms = SYSMON_UNSET, large_heap_words = SYSMON_UNSET;
static _Atomic bool busy_port_on, busy_dist_port_on;

SysMonSettings sysmon_get(void)
{
    pthread_mutex_lock(&lock);
    SysMonSettings s = {atomic_load(&mon_pid), atomic_load(&long_gc_ms), atomic_load(&long_schedule_ms),
                        atomic_load(&large_heap_words), atomic_load(&busy_port_on), atomic_load(&busy_dist_port_on)};
    pthread_mutex_unlock(&lock);
    return s;
}

void sysmon_set(const SysMonSettings *s)
{
    pthread_mutex_lock(&lock);
    bool on = s->pid != NIL;
    atomic_store(&long_gc_ms, on ? s->long_gc_ms : SYSMON_UNSET);
    atomic_store(&long_schedule_ms, on ? s->long_schedule_ms : SYSMON_UNSET);
    atomic_store(&large_heap_words, on ? s->large_heap_words : SYSMON_UNSET);
    atomic_store(&busy_port_on, on && s->busy_port);
    atomic_store(&busy_dist_port_on, on && s->busy_dist_port);
    atomic_store(&mon_pid, s->pid);
    atomic_store(&sysmon_gc_watched, on && (s->long_gc_ms != SYSMON_UNSET || s->large_heap_words != SYSMON_UNSET));
    atomic_store(&sysmon_slice_watched, on && s->long_schedule_ms != SYSMON_UNSET);
    pthread_mutex_unlock(&lock);
}

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* {monitor, From, Event, Info} to the monitor (never to the subject itself, as on OTP). */
static void post(Term from, Term event, Term info)
{
    Term to = atomic_load_explicit(&mon_pid, memory_order_acquire);
    if (to == NIL || to == from) return;
    Term msg[5] = {make_tuple_header(4), atom_put("monitor", 7), from, event, info};
    signal_post(SIG_MESSAGE, to, from, make_boxed(msg), false);
}

uint64_t sysmon_gc_begin(void)
{
    return atomic_load_explicit(&sysmon_gc_watched, memory_order_relaxed) ? now_ns() : 0;
}

/* The heap sizes OTP's long_gc and large_heap reports give, in its order. */
static const char *const gc_report_items[] = {"old_heap_block_size", "heap_block_size", "mbuf_size",
                                              "stack_size", "old_heap_size", "heap_size"};
#define GC_REPORT_ITEMS (sizeof gc_report_items / sizeof *gc_report_items)

/* [{timeout, Ms} (when ms is a value) | the heap sizes], in buf (5 words an item). */
static Term gc_report(Process *p, Term *buf, Term ms, size_t *block_words)
{
    Term names[PROC_GC_ITEMS];
    size_t values[PROC_GC_ITEMS];
    proc_info_gc_items(p, names, values);
    Term list = NIL;
    *block_words = 0;
    for (size_t i = GC_REPORT_ITEMS; i-- > 0;) {
        Term name = atom_from_cstr(gc_report_items[i]);
        size_t v = 0;
        for (int k = 0; k < PROC_GC_ITEMS; k++)
            if (names[k] == name) v = values[k];
        if (i < 2) *block_words += v;
        Term *hp = buf + 5 * i;
        hp[0] = make_tuple_header(2);
        hp[1] = name;
        hp[2] = make_small((intptr_t)v);
        hp[3] = make_boxed(hp);
        hp[4] = list;
        list = make_list(hp + 3);
    }
    if (!is_value(ms)) return list;
    Term *hp = buf + 5 * GC_REPORT_ITEMS;
    hp[0] = make_tuple_header(2);
    hp[1] = atom_put("timeout", 7);
    hp[2] = ms;
    hp[3] = make_boxed(hp);
    hp[4] = list;
    return make_list(hp + 3);
}

void sysmon_gc_end(Process *p, uint64_t t0)
{
    if (!t0) return;
    uint64_t ms = (now_ns() - t0) / 1000000u;
    uint64_t gc_limit = atomic_load(&long_gc_ms), heap_limit = atomic_load(&large_heap_words);
    Term buf[5 * (GC_REPORT_ITEMS + 1)];
    size_t blocks;
    if (gc_limit != SYSMON_UNSET && ms > gc_limit) post(p->pid, atom_put("long_gc", 7), gc_report(p, buf, make_small((intptr_t)ms), &blocks));
    gc_report(p, buf, THE_NON_VALUE, &blocks);
    if (heap_limit != SYSMON_UNSET && blocks >= heap_limit) post(p->pid, atom_put("large_heap", 10), gc_report(p, buf, THE_NON_VALUE, &blocks));
}

uint64_t sysmon_slice_begin(void)
{
    return atomic_load_explicit(&sysmon_slice_watched, memory_order_relaxed) ? now_ns() : 0;
}

/* {M, F, Arity} of the code at pc in buf (4 words), or undefined. */
static Term location(Term *buf, const BeamInstr *pc)
{
    Module *m;
    const FuncRange *f = pc ? module_func_at(pc, &m) : NULL;
    if (!f) return AM_undefined;
    buf[0] = make_tuple_header(3);
    buf[1] = m->name;
    buf[2] = f->function;
    buf[3] = make_small(f->arity);
    return make_boxed(buf);
}

void sysmon_slice_end(Process *p, uint64_t t0, const BeamInstr *in_pc)
{
    if (!t0) return;
    uint64_t ms = (now_ns() - t0) / 1000000u, limit = atomic_load(&long_schedule_ms);
    if (limit == SYSMON_UNSET || ms <= limit) return;
    Term in_buf[4], out_buf[4], items[15];
    Term pairs[3][2] = {{atom_put("timeout", 7), make_small((intptr_t)ms)},
                        {atom_put("in", 2), location(in_buf, in_pc)},
                        {atom_put("out", 3), location(out_buf, p->i)}};
    Term list = NIL;
    for (int i = 2; i >= 0; i--) {
        Term *hp = items + 5 * i;
        hp[0] = make_tuple_header(2);
        hp[1] = pairs[i][0];
        hp[2] = pairs[i][1];
        hp[3] = make_boxed(hp);
        hp[4] = list;
        list = make_list(hp + 3);
    }
    post(p->pid, atom_put("long_schedule", 13), list);
}

void sysmon_busy_port(Process *p, Term port)
{
    if (atomic_load_explicit(&busy_port_on, memory_order_relaxed)) post(p->pid, atom_put("busy_port", 9), port);
}
