/*
 * trace_ports.c - trace flags of ports (see trace_ports.h).
 *
 * Few ports are ever traced, so the flags live in a small table under one
 * mutex rather than in the Port structure (whose lock the events are often
 * reported under), and a port's hot paths test only trace_ports_traced, the
 * number of entries. Entries of closed ports are dropped whenever the table
 * changes. A message is built on the C stack of the thread where the event
 * happens and posted outside the table's lock.
 */
#include "profiler/trace_ports.h"

#include "profiler/trace_msg.h"
#include "runtime/port/port.h"
#include "runtime/term/atom.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

typedef struct PortTrace {
    Term port, tracer;
    uint32_t flags;
} PortTrace;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static PortTrace *table; /* lock */
static size_t used, cap;
static _Atomic uint32_t new_flags;
static Term new_tracer = NIL; /* lock */
_Atomic size_t trace_ports_traced;

static bool port_open_now(Term id)
{
    Port *port = port_lookup(id);
    if (port) pthread_mutex_unlock(&port->lock);
    return port != NULL;
}

/* Drops the entries without flags, and those of the `ndead` closed ports (lock held). */
static void prune(const Term *dead, size_t ndead)
{
    size_t k = 0;
    for (size_t i = 0; i < used; i++) {
        bool gone = !table[i].flags;
        for (size_t j = 0; j < ndead && !gone; j++) gone = table[i].port == dead[j];
        if (!gone) table[k++] = table[i];
    }
    used = k;
    atomic_store(&trace_ports_traced, used);
}

/*
 * Drops the entries of closed ports. A port's lock is never taken under the
 * table's (events take the table's lock under a port's, and port_lookup a
 * port's under the port table's), so the ids are copied, looked up with no
 * lock held, and the closed ones dropped after (an id is never reused).
 */
static void prune_closed(void)
{
    pthread_mutex_lock(&lock);
    size_t n = used;
    Term *ids = malloc((n + 1) * sizeof *ids);
    if (!ids) abort();
    for (size_t i = 0; i < n; i++) ids[i] = table[i].port;
    pthread_mutex_unlock(&lock);
    size_t ndead = 0;
    for (size_t i = 0; i < n; i++)
        if (!port_open_now(ids[i])) ids[ndead++] = ids[i];
    pthread_mutex_lock(&lock);
    prune(ids, ndead);
    pthread_mutex_unlock(&lock);
    free(ids);
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
        prune(NULL, 0);
    }
    pthread_mutex_unlock(&lock);
    if (ok) prune_closed();
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

void trace_port_opened(const Port *p)
{
    if (!atomic_load_explicit(&new_flags, memory_order_relaxed)) return;
    pthread_mutex_lock(&lock);
    uint32_t flags = atomic_load(&new_flags);
    if (flags) {
        PortTrace *e = find_or_add(p->id);
        e->flags = flags;
        e->tracer = new_tracer;
        atomic_store(&trace_ports_traced, used);
    }
    pthread_mutex_unlock(&lock);
    if (flags & TRACE_PORTS) {
        /* OTP names the driver by the port's name: the command for a spawn port */
        Term name = p->name ? atom_put(p->name, strlen(p->name)) : THE_NON_VALUE;
        trace_port_event(p->id, TRACE_PORTS, AM_open, p->owner, is_value(name) ? name : AM_undefined);
        trace_port_event(p->id, TRACE_PORTS, AM_getting_linked, p->owner, THE_NON_VALUE);
    }
    if (!(flags & TRACE_RUNNING_PORTS)) return;
    trace_port_task(p->id, AM_open, true);
    trace_port_task(p->id, AM_open, false);
    if (!p->os_pid) return;
    /* OTP's spawn driver runs one I/O task (0) at once: its forker's reply with the child's pid */
    trace_port_task(p->id, make_small(0), true);
    trace_port_task(p->id, make_small(0), false);
}

void trace_port_event(Term port, uint32_t flag, Term what, Term a, Term b)
{
    pthread_mutex_lock(&lock);
    const PortTrace *e = find(port);
    uint32_t flags = e ? e->flags : 0;
    Term tracer = e ? e->tracer : NIL;
    pthread_mutex_unlock(&lock);
    if (flags & flag) trace_msg_post_as(port, tracer, flags, what, a, b);
}
