/* trace_flags.c - per-process trace flags (see trace_flags.h). */
#include "profiler/trace_flags.h"

#include "runtime/term/atom.h"

#include <pthread.h>

static pthread_mutex_t new_lock = PTHREAD_MUTEX_INITIALIZER;
static _Atomic uint32_t new_flags;
static Term new_tracer = NIL; /* new_lock */

void trace_flags_set(Process *p, uint32_t flags, bool on, Term tracer)
{
    uint32_t now = on ? atomic_fetch_or(&p->trace_flags, flags) | flags
                      : atomic_fetch_and(&p->trace_flags, ~flags) & ~flags;
    if (on) atomic_store(&p->tracer, tracer);
    else if (!now) atomic_store(&p->tracer, NIL);
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

void trace_flags_spawned(Process *child, const Process *parent)
{
    Term tracer;
    uint32_t flags;
    if (parent && (trace_flags_of(parent) & TRACE_SET_ON_SPAWN)) {
        flags = trace_flags_of(parent);
        tracer = atomic_load(&((Process *)parent)->tracer);
    } else {
        flags = trace_flags_new(&tracer);
    }
    atomic_store_explicit(&child->tracer, tracer, memory_order_relaxed);
    atomic_store_explicit(&child->trace_flags, flags, memory_order_relaxed);
}

uint32_t trace_flag_bit(Term name)
{
    if (name == AM_call) return TRACE_CALL;
    if (name == AM_set_on_spawn) return TRACE_SET_ON_SPAWN;
    if (name == AM_silent) return TRACE_SILENT;
    if (name == AM_return_to) return TRACE_RETURN_TO;
    return 0;
}
