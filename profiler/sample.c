/* sample.c - the sampler thread and the sampling hooks (see sample.h). */
#include "profiler/sample.h"

#include "profiler/prof_slot.h"
#include "sched/sched_stats.h"
#include "sched/tp.h"

#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#define MAX_SLOTS 1024
#define MAX_RATE 100000
/* Above any reduction count: the next call ends the slice to take the sample. */
#define LIMIT_ASKED ((intptr_t)1 << 40)

_Thread_local _Atomic intptr_t sample_limit;
atomic_bool sample_waiting;

/* Each slot owner's sample_limit, registered as it starts. */
static _Atomic(_Atomic intptr_t *) limits[MAX_SLOTS];

/* A dirty thread's native call in progress: its stack, taken as it began, and the
   ticks that fell in it. Only the owner writes the stack; the sampler adds ticks. */
typedef struct DirtyCall {
    atomic_bool active;
    _Atomic uint64_t ticks;
    Term pid;
    size_t n;
    bool truncated;
    SampleFrame frames[SAMPLE_MAX_FRAMES];
} DirtyCall;

static _Atomic(DirtyCall *) dirty_calls; /* one per slot; made at the first start, kept */
static _Atomic(SampleSet *) current;
static _Atomic unsigned rate;
static atomic_bool running;
static pthread_t sampler;
static pthread_mutex_t control = PTHREAD_MUTEX_INITIALIZER; /* start, stop, clear */

void sample_register_slot(int slot)
{
    if (slot >= 0 && slot < MAX_SLOTS) atomic_store_explicit(&limits[slot], &sample_limit, memory_order_release);
}

static void tick(DirtyCall *dirty, int slots, int normal)
{
    for (int k = 0; k < slots && k < MAX_SLOTS; k++) {
        if (k >= normal) {
            if (atomic_load_explicit(&dirty[k].active, memory_order_relaxed))
                atomic_fetch_add_explicit(&dirty[k].ticks, 1, memory_order_relaxed);
            continue;
        }
        _Atomic intptr_t *limit = atomic_load_explicit(&limits[k], memory_order_acquire);
        if (limit) atomic_store_explicit(limit, LIMIT_ASKED, memory_order_relaxed);
    }
}

static void *sampler_main(void *arg)
{
    (void)arg;
    DirtyCall *dirty = atomic_load(&dirty_calls);
    int slots = prof_slot_count(), normal = prof_slot_schedulers();
    long period = 1000000000L / (long)atomic_load(&rate);
    struct timespec next;
    clock_gettime(CLOCK_MONOTONIC, &next);
    while (atomic_load_explicit(&running, memory_order_acquire)) {
        next.tv_nsec += period;
        while (next.tv_nsec >= 1000000000L) {
            next.tv_nsec -= 1000000000L;
            next.tv_sec++;
        }
        clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
        tick(dirty, slots, normal);
    }
    return NULL;
}

static void stop_locked(void)
{
    if (!atomic_load(&running)) return;
    atomic_store_explicit(&running, false, memory_order_release);
    pthread_join(sampler, NULL);
    atomic_store(&sample_waiting, false);
}

int sample_start(unsigned hz, bool waiting)
{
    if (hz < 1 || hz > MAX_RATE) return -1;
    pthread_mutex_lock(&control);
    stop_locked();
    int rc = -1;
    if (!atomic_load(&dirty_calls)) atomic_store(&dirty_calls, calloc((size_t)prof_slot_count(), sizeof(DirtyCall)));
    SampleSet *fresh = sample_set_new(prof_slot_count());
    if (fresh && atomic_load(&dirty_calls)) {
        sample_set_retire(atomic_exchange_explicit(&current, fresh, memory_order_acq_rel));
        atomic_store(&rate, hz);
        atomic_store(&sample_waiting, waiting);
        atomic_store_explicit(&running, true, memory_order_release);
        rc = pthread_create(&sampler, NULL, sampler_main, NULL) == 0 ? 0 : -1;
        if (rc != 0) atomic_store(&running, false);
    } else {
        free(fresh);
    }
    pthread_mutex_unlock(&control);
    return rc;
}

void sample_stop(void)
{
    pthread_mutex_lock(&control);
    stop_locked();
    pthread_mutex_unlock(&control);
}

void sample_clear(void)
{
    pthread_mutex_lock(&control);
    SampleSet *fresh = atomic_load(&current) ? sample_set_new(prof_slot_count()) : NULL;
    if (fresh) sample_set_retire(atomic_exchange_explicit(&current, fresh, memory_order_acq_rel));
    pthread_mutex_unlock(&control);
}

bool sample_on(void) { return atomic_load(&running); }
unsigned sample_rate(void) { return atomic_load(&rate); }
const SampleSet *sample_current(void) { return atomic_load_explicit(&current, memory_order_acquire); }

/* Adds n samples of p's stack to the calling thread's table (a managed thread, or inside tp_delay). */
static void record(Process *p, const Export *native, bool waiting, uint64_t n)
{
    SampleSet *s = atomic_load_explicit(&current, memory_order_acquire);
    if (!s || n == 0) return;
    SampleFrame f[SAMPLE_MAX_FRAMES];
    bool truncated;
    size_t len = sample_stack_walk(p, native, waiting, f, &truncated);
    sample_set_add(s, prof_slot(), p->pid, f, len, truncated, n);
}

void sample_take(Process *p, const Export *native)
{
    atomic_store_explicit(&sample_limit, 0, memory_order_relaxed);
    record(p, native, false, 1);
}

static DirtyCall *dirty_call_of_self(void)
{
    DirtyCall *all = atomic_load_explicit(&dirty_calls, memory_order_acquire);
    int slot = prof_slot();
    return all && slot >= prof_slot_schedulers() && slot < prof_slot_count() ? &all[slot] : NULL;
}

void sample_dirty_begin(Process *p)
{
    if (!atomic_load_explicit(&running, memory_order_relaxed)) return;
    DirtyCall *d = dirty_call_of_self();
    if (!d) return;
    d->pid = p->pid;
    d->n = sample_stack_walk(p, p->dirty_call, false, d->frames, &d->truncated);
    atomic_store_explicit(&d->ticks, 0, memory_order_relaxed);
    atomic_store_explicit(&d->active, true, memory_order_relaxed);
}

void sample_dirty_end(Process *p)
{
    DirtyCall *d = dirty_call_of_self();
    if (!d || !atomic_load_explicit(&d->active, memory_order_relaxed)) return;
    atomic_store_explicit(&d->active, false, memory_order_relaxed);
    uint64_t n = atomic_exchange_explicit(&d->ticks, 0, memory_order_relaxed);
    if (n == 0) return;
    TpDelay delay = tp_delay(); /* the set found below stays valid until tp_continue */
    SampleSet *s = atomic_load_explicit(&current, memory_order_acquire);
    if (s) sample_set_add(s, prof_slot(), p->pid, d->frames, d->n, d->truncated, n);
    tp_continue(delay);
}

void sample_wait_begin(Process *p)
{
    uint64_t now = sstat_now_ns();
    p->sample_wait_since = now ? now : 1;
}

/* A small per-thread generator for rounding tick counts without bias. */
static uint64_t next_random(void)
{
    static _Thread_local uint64_t x = 0x2545F4914F6CDD1Dull;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
}

void sample_wait_end(Process *p)
{
    uint64_t since = p->sample_wait_since;
    p->sample_wait_since = 0;
    if (!atomic_load_explicit(&running, memory_order_relaxed)) return;
    uint64_t waited = sstat_now_ns() - since;
    /* ticks the wait spanned: waited * rate / 1e9, the fraction rounded up with its probability */
    unsigned __int128 scaled = (unsigned __int128)waited * atomic_load(&rate);
    uint64_t n = (uint64_t)(scaled / 1000000000u), frac = (uint64_t)(scaled % 1000000000u);
    if (next_random() % 1000000000u < frac) n++;
    record(p, NULL, true, n);
}
