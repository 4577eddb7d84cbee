/*
 * proc_table.c - see proc_table.h. Slots are indexed by pid number modulo
 * the table size; a new pid takes the next number whose slot is free.
 */
#include "runtime/proc/proc_table.h"

#include "sched/sched.h"

#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>

#define MASK (PTAB_MAX_PROCESSES - 1)
#define CHUNK 1024

static _Atomic(Process *) *slots;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t next_number;
static size_t live;
static Process *free_structs;

static Process *struct_from_pool(void)
{
    if (!free_structs) {
        Process *chunk = calloc(CHUNK, sizeof *chunk);
        if (!chunk) return NULL;
        for (size_t i = 0; i < CHUNK; i++) {
            pthread_mutex_init(&chunk[i].status_lock, NULL);
            chunk[i].rq_next = free_structs;
            free_structs = &chunk[i];
        }
    }
    Process *p = free_structs;
    free_structs = p->rq_next;
    return p;
}

Process *ptab_alloc(void)
{
    pthread_mutex_lock(&lock);
    if (!slots && !(slots = calloc(PTAB_MAX_PROCESSES, sizeof *slots))) abort();
    Process *p = live < PTAB_MAX_PROCESSES ? struct_from_pool() : NULL;
    if (p) {
        while (atomic_load_explicit(&slots[next_number & MASK], memory_order_relaxed)) next_number++;
        memset(p->owned_start, 0, sizeof *p - offsetof(Process, owned_start));
        /* "queued" until sched_spawned really queues it: an early wake (a link made while
           spawning) must not queue it a second time */
        atomic_store_explicit(&p->sched_state, PS_QUEUED, memory_order_relaxed);
        __atomic_store_n(&p->pid, make_pid(next_number), __ATOMIC_RELEASE);
        atomic_store_explicit(&slots[next_number & MASK], p, memory_order_release);
        next_number++;
        live++;
    }
    pthread_mutex_unlock(&lock);
    return p;
}

Process *ptab_lookup(Term pid)
{
    if (!is_pid(pid) || !slots) return NULL;
    Process *p = atomic_load_explicit(&slots[pid_number(pid) & MASK], memory_order_acquire);
    return p && __atomic_load_n(&p->pid, __ATOMIC_ACQUIRE) == pid ? p : NULL;
}

void ptab_release(Process *p)
{
    pthread_mutex_lock(&lock);
    atomic_store_explicit(&slots[pid_number(p->pid) & MASK], NULL, memory_order_release);
    p->rq_next = free_structs;
    free_structs = p;
    live--;
    pthread_mutex_unlock(&lock);
}

size_t ptab_count(void)
{
    pthread_mutex_lock(&lock);
    size_t n = live;
    pthread_mutex_unlock(&lock);
    return n;
}

void ptab_foreach(void (*fn)(Process *p, void *ctx), void *ctx)
{
    if (!slots) return;
    /* pid numbers are handed out in order, so until they wrap around the table no slot at or
       past next_number was ever used: a scan (processes(), purging) need not walk 4M slots */
    pthread_mutex_lock(&lock);
    size_t end = next_number < PTAB_MAX_PROCESSES ? (size_t)next_number : PTAB_MAX_PROCESSES;
    pthread_mutex_unlock(&lock);
    for (size_t i = 0; i < end; i++) {
        Process *p = atomic_load_explicit(&slots[i], memory_order_acquire);
        if (p) fn(p, ctx);
    }
}
