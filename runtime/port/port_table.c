/*
 * port_table.c - ports by number (see port.h).
 *
 * A hash table of chains under one mutex. port_lookup locks the port while
 * still holding the table's mutex (trying, and trying again after letting go
 * of the table, so the table's mutex is never held while waiting for a
 * port's), and port_table_remove takes the table's
 * mutex and then the port's once more before freeing it: so a thread that
 * found a port always holds its lock (and sees `closed`) before it can be
 * freed, and nobody can find it afterwards.
 */
#include "runtime/port/port.h"
#include "profiler/trace_ports.h"

#include <sched.h>
#include <stdlib.h>

#define BUCKETS 4096

static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
static Port *buckets[BUCKETS];
static uint64_t next_number = 1; /* #Port<0.0> is OTP's forker; ours start after it */
static size_t count;

static Port **bucket_of(uint64_t number) { return &buckets[number % BUCKETS]; }

void port_table_insert(Port *p)
{
    pthread_mutex_lock(&table_lock);
    uint64_t n = next_number++;
    p->id = make_port(n);
    Port **b = bucket_of(n);
    p->hnext = *b;
    *b = p;
    count++;
    pthread_mutex_unlock(&table_lock);
    trace_port_opened(p);
}

static Port *lookup(Term id, bool flushing_too)
{
    if (!is_port(id)) return NULL;
    Port *p;
    for (;;) {
        pthread_mutex_lock(&table_lock);
        p = *bucket_of(port_number(id));
        while (p && p->id != id) p = p->hnext;
        /* only try the port's lock under the table's: a thread holding a port's lock
           may look up another port (a trace message to a port tracer), so waiting for
           one here could deadlock with it */
        bool locked = !p || pthread_mutex_trylock(&p->lock) == 0;
        pthread_mutex_unlock(&table_lock);
        if (locked) break;
        sched_yield();
    }
    if (p && (p->closed || (!flushing_too && atomic_load_explicit(&p->flushing, memory_order_relaxed)))) {
        pthread_mutex_unlock(&p->lock);
        return NULL;
    }
    return p;
}

Port *port_lookup(Term id) { return lookup(id, false); }

Port *port_lookup_try(Term id, bool *busy)
{
    *busy = false;
    if (!is_port(id)) return NULL;
    pthread_mutex_lock(&table_lock);
    Port *p = *bucket_of(port_number(id));
    while (p && p->id != id) p = p->hnext;
    if (p && pthread_mutex_trylock(&p->lock) != 0) {
        *busy = true;
        p = NULL;
    }
    pthread_mutex_unlock(&table_lock);
    if (p && (p->closed || atomic_load_explicit(&p->flushing, memory_order_relaxed))) {
        pthread_mutex_unlock(&p->lock);
        return NULL;
    }
    return p;
}
Port *port_lookup_io(Term id) { return lookup(id, true); }

void port_table_remove(Port *p)
{
    pthread_mutex_lock(&table_lock);
    for (Port **at = bucket_of(port_number(p->id)); *at; at = &(*at)->hnext) {
        if (*at != p) continue;
        *at = p->hnext;
        count--;
        break;
    }
    pthread_mutex_unlock(&table_lock);
    pthread_mutex_lock(&p->lock); /* waits for a holder that found it before */
    pthread_mutex_unlock(&p->lock);
    pthread_mutex_destroy(&p->lock);
    free(p);
}

Term *port_table_ids(size_t *n)
{
    pthread_mutex_lock(&table_lock);
    Term *ids = malloc((count + 1) * sizeof *ids);
    if (!ids) abort();
    size_t k = 0;
    for (size_t i = 0; i < BUCKETS; i++)
        for (Port *p = buckets[i]; p; p = p->hnext)
            if (!atomic_load_explicit(&p->flushing, memory_order_relaxed)) ids[k++] = p->id;
    pthread_mutex_unlock(&table_lock);
    *n = k;
    return ids;
}

size_t port_table_count(void)
{
    pthread_mutex_lock(&table_lock);
    size_t n = count;
    pthread_mutex_unlock(&table_lock);
    return n;
}
