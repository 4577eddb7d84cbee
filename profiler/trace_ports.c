/*
 * trace_ports.c - trace flags of ports (see trace_ports.h).
 *
 * Few ports are ever traced, and nothing on a port's hot path reads these
 * flags yet, so they live in a small table under one mutex rather than in
 * the Port structure. Entries of closed ports are dropped whenever the
 * table changes.
 */
#include "profiler/trace_ports.h"

#include "profiler/trace_msg.h"
#include "runtime/port/port.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

typedef struct PortTrace {
    Term port, tracer;
    uint32_t flags;
} PortTrace;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static PortTrace *table; /* lock */
static size_t used, cap;
static _Atomic uint32_t new_flags;
static Term new_tracer = NIL; /* lock */

static bool port_open_now(Term id)
{
    Port *port = port_lookup(id);
    if (port) pthread_mutex_unlock(&port->lock);
    return port != NULL;
}

/* Drops the entries of closed ports and those without flags (lock held). */
static void prune(void)
{
    size_t k = 0;
    for (size_t i = 0; i < used; i++)
        if (table[i].flags && port_open_now(table[i].port)) table[k++] = table[i];
    used = k;
}

static PortTrace *find(Term port)
{
    for (size_t i = 0; i < used; i++)
        if (table[i].port == port) return &table[i];
    return NULL;
}

static PortTrace *find_or_add(Term port)
{
    PortTrace *e = find(port);
    if (e) return e;
    if (used == cap) {
        cap = cap ? cap * 2 : 8;
        PortTrace *grown = realloc(table, cap * sizeof *grown);
        if (!grown) abort();
        table = grown;
    }
    table[used] = (PortTrace){port, NIL, 0};
    return &table[used++];
}

bool trace_port_set(Term port, uint32_t flags, bool on, Term tracer)
{
    pthread_mutex_lock(&lock);
    PortTrace *e = find(port);
    bool ok = !(on && e && e->flags && trace_is_tracer(e->tracer) && e->tracer != tracer);
    if (ok && (on || e)) {
        e = find_or_add(port);
        e->flags = on ? e->flags | flags : e->flags & ~flags;
        if (on) e->tracer = tracer;
        prune();
    }
    pthread_mutex_unlock(&lock);
    return ok;
}

uint32_t trace_port_flags(Term port, Term *tracer)
{
    pthread_mutex_lock(&lock);
    const PortTrace *e = find(port);
    uint32_t flags = e ? e->flags : 0;
    *tracer = e && flags ? e->tracer : NIL;
    pthread_mutex_unlock(&lock);
    return flags;
}

void trace_port_set_new(uint32_t flags, bool on, Term tracer)
{
    pthread_mutex_lock(&lock);
    uint32_t now = on ? atomic_load(&new_flags) | flags : atomic_load(&new_flags) & ~flags;
    atomic_store(&new_flags, now);
    new_tracer = on ? tracer : now ? new_tracer : NIL;
    pthread_mutex_unlock(&lock);
}

uint32_t trace_port_new_flags(Term *tracer)
{
    pthread_mutex_lock(&lock);
    uint32_t flags = atomic_load(&new_flags);
    *tracer = flags ? new_tracer : NIL;
    pthread_mutex_unlock(&lock);
    return flags;
}

/* No prune here: the opener may hold the new port's lock, which prune takes. */
void trace_port_opened(Term port)
{
    if (!atomic_load_explicit(&new_flags, memory_order_relaxed)) return;
    pthread_mutex_lock(&lock);
    uint32_t flags = atomic_load(&new_flags);
    if (flags) {
        PortTrace *e = find_or_add(port);
        e->flags = flags;
        e->tracer = new_tracer;
    }
    pthread_mutex_unlock(&lock);
}
