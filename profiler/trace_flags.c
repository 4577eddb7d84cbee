/* trace_flags.c - per-process trace flags (see trace_flags.h). */
#include "profiler/trace_flags.h"

#include "runtime/proc/heap.h"
#include "runtime/term/atom.h"

#include <pthread.h>

static pthread_mutex_t new_lock = PTHREAD_MUTEX_INITIALIZER;
static _Atomic uint32_t new_flags;
static Term new_tracer = NIL; /* new_lock */
static atomic_bool cpu_timestamp;

/* Flag names in the order OTP's trace_info lists them. */
static const struct {
    uint32_t bit;
    Term name;
} flag_names[] = {
    {TRACE_RUNNING_PROCS, AM_running_procs},
    {TRACE_RUNNING_PORTS, AM_running_ports},
    {TRACE_PORTS, AM_ports},
    {TRACE_SCHEDULER_ID, AM_scheduler_id},
    {TRACE_SILENT, AM_silent},
    {TRACE_RETURN_TO, AM_return_to},
    {TRACE_ARITY, AM_arity},
    {TRACE_GC, AM_garbage_collection},
    {TRACE_EXITING, AM_exiting},
    {TRACE_RUNNING, AM_running},
    {TRACE_SET_ON_FIRST_LINK, AM_set_on_first_link},
    {TRACE_SET_ON_LINK, AM_set_on_link},
    {TRACE_SET_ON_FIRST_SPAWN, AM_set_on_first_spawn},
    {TRACE_PROCS, AM_procs},
    {TRACE_CALL, AM_call},
    {TRACE_SET_ON_SPAWN, AM_set_on_spawn},
    {TRACE_RECEIVE, AM_receive},
    {TRACE_SEND, AM_send},
    {TRACE_MONOTONIC, AM_monotonic_timestamp},
    {TRACE_STRICT_MONOTONIC, AM_strict_monotonic_timestamp},
    {TRACE_TIMESTAMP, AM_timestamp},
};
#define NUM_FLAG_NAMES (sizeof flag_names / sizeof flag_names[0])

uint32_t trace_flag_bit(Term name)
{
    for (size_t i = 0; i < NUM_FLAG_NAMES; i++)
        if (flag_names[i].name == name) return flag_names[i].bit;
    return 0;
}

Term trace_flag_list(Process *p, uint32_t flags)
{
    Term list = NIL;
    for (size_t i = NUM_FLAG_NAMES; i > 0; i--)
        if (flags & flag_names[i - 1].bit) list = heap_cons(p, flag_names[i - 1].name, list);
    return list;
}

void trace_flags_set(Process *p, uint32_t flags, bool on, Term tracer)
{
    uint32_t now = on ? atomic_fetch_or(&p->trace_flags, flags) | flags
                      : atomic_fetch_and(&p->trace_flags, ~flags) & ~flags;
    if (on) atomic_store(&p->tracer, tracer);
    else if (!now) atomic_store(&p->tracer, NIL);
}

void trace_flags_clear(Process *p)
{
    atomic_store(&p->trace_flags, 0);
    atomic_store(&p->tracer, NIL);
}

void trace_flags_set_new(uint32_t flags, bool on, Term tracer)
{
    pthread_mutex_lock(&new_lock);
    uint32_t now = on ? atomic_fetch_or(&new_flags, flags) | flags : atomic_fetch_and(&new_flags, ~flags) & ~flags;
    if (on) new_tracer = tracer;
    else if (!now) new_tracer = NIL;
    pthread_mutex_unlock(&new_lock);
}

uint32_t trace_flags_new(Term *tracer)
{
    if (!atomic_load_explicit(&new_flags, memory_order_relaxed)) {
        *tracer = NIL;
        return 0;
    }
    pthread_mutex_lock(&new_lock);
    uint32_t flags = atomic_load(&new_flags);
    *tracer = new_tracer;
    pthread_mutex_unlock(&new_lock);
    return flags;
}

void trace_flags_set_cpu_timestamp(bool on) { atomic_store(&cpu_timestamp, on); }
bool trace_flags_cpu_timestamp(void) { return atomic_load_explicit(&cpu_timestamp, memory_order_relaxed); }

/* The parent's flags the child inherits through `each` or, once, `first`;
   `first` (with `each`) is then dropped from both. */
static uint32_t inherit(Process *parent, uint32_t *flags, uint32_t each, uint32_t first)
{
    uint32_t pf = *flags;
    if (!(pf & (each | first))) return 0;
    if (!(pf & first)) return pf;
    *flags = atomic_fetch_and(&parent->trace_flags, ~(each | first)) & ~(each | first);
    return pf & ~(each | first);
}

void trace_flags_spawned(Process *child, Process *parent, bool linked)
{
    Term tracer;
    uint32_t flags = trace_flags_new(&tracer);
    uint32_t pf = parent ? trace_flags_of(parent) : 0;
    uint32_t got = 0;
    if (pf) {
        got |= inherit(parent, &pf, TRACE_SET_ON_SPAWN, TRACE_SET_ON_FIRST_SPAWN);
        if (linked) got |= inherit(parent, &pf, TRACE_SET_ON_LINK, TRACE_SET_ON_FIRST_LINK);
    }
    if (got) {
        /* a "first" flag inherited through the other rule is dropped in the child too */
        if ((got & TRACE_SET_ON_FIRST_SPAWN) && !(pf & TRACE_SET_ON_FIRST_SPAWN))
            got &= ~(TRACE_SET_ON_SPAWN | TRACE_SET_ON_FIRST_SPAWN);
        if ((got & TRACE_SET_ON_FIRST_LINK) && !(pf & TRACE_SET_ON_FIRST_LINK))
            got &= ~(TRACE_SET_ON_LINK | TRACE_SET_ON_FIRST_LINK);
        flags |= got;
        tracer = atomic_load(&parent->tracer);
    }
    atomic_store_explicit(&child->tracer, tracer, memory_order_relaxed);
    atomic_store_explicit(&child->trace_flags, flags, memory_order_relaxed);
}
