/* dirty.c - the dirty CPU and I/O pools (see dirty.h): a queue and threads each. */
#include "sched/dirty.h"

#include "runtime/loader/export.h"
#include "profiler/trace_msg.h"
#include "runtime/interp/interp.h"
#include "profiler/calltime.h"
#include "profiler/prof_slot.h"
#include "profiler/sample.h"
#include "sched/msacc.h"
#include "sched/sched.h"
#include "sched/sched_stats.h"

#include <ck_pr.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

typedef struct Pool {
    pthread_mutex_t lock;
    pthread_cond_t work;
    Process *head, *tail;
    pthread_t *threads;
    int nthreads;
    int first_slot;      /* its threads' slots (after the schedulers'): CPU pool first */
    atomic_int started;
    atomic_int queued;   /* processes on the queue, read without the lock by spinners */
    atomic_int spinning; /* threads in spin_for_work: a submit then needs no wake */
} Pool;

static Pool pools[2]; /* [0] CPU, [1] I/O */
static atomic_bool stopping;
static atomic_int in_flight;

int dirty_in_flight(void) { return atomic_load_explicit(&in_flight, memory_order_relaxed); }

/* Spins up to DIRTY_SPIN_NS while the pool stays empty: a process doing file I/O in
   a loop is back within microseconds, and waking a sleeping thread costs more. */
static void spin_for_work(Pool *pool)
{
    atomic_fetch_add(&pool->spinning, 1);
    uint64_t until = sstat_now_ns() + DIRTY_SPIN_NS;
    while (atomic_load_explicit(&pool->queued, memory_order_relaxed) == 0 && !atomic_load(&stopping)
           && sstat_now_ns() < until)
        ck_pr_stall();
    /* then take() looks at the queue under the lock, so a submit that saw this
       thread spinning and did not signal is never missed */
    atomic_fetch_sub(&pool->spinning, 1);
}

static Process *take(Pool *pool)
{
    spin_for_work(pool); /* in state other: busy waiting, as OTP counts it */
    pthread_mutex_lock(&pool->lock);
    if (!pool->head && !atomic_load(&stopping)) {
        msacc_set(MSACC_SLEEP);
        while (!pool->head && !atomic_load(&stopping)) pthread_cond_wait(&pool->work, &pool->lock);
        msacc_set(MSACC_OTHER);
    }
    Process *p = pool->head;
    if (p) {
        pool->head = p->rq_next;
        if (!pool->head) pool->tail = NULL;
        atomic_fetch_sub_explicit(&pool->queued, 1, memory_order_relaxed);
    }
    pthread_mutex_unlock(&pool->lock);
    return p;
}

static void *dirty_main(void *arg)
{
    Pool *pool = arg;
    int index = atomic_fetch_add(&pool->started, 1);
    int slot = prof_slot_schedulers() + pool->first_slot + index;
    prof_slot_claim(slot);
    trace_msg_defer_here();
    msacc_register(pool == &pools[0] ? MSACC_T_DIRTY_CPU : MSACC_T_DIRTY_IO, index + 1, MSACC_OTHER);
    Process *p;
    while ((p = take(pool)) != NULL) {
        bool timed = sstat_wall_time_on();
        uint64_t t0 = timed ? sstat_now_ns() : 0;
        pthread_mutex_lock(&p->status_lock);
        if (p->ct_entry) ct_sched_in(p);
        sample_dirty_begin(p);
        msacc_set(MSACC_EMULATOR);
        interp_run_dirty_call(p);
        msacc_set(MSACC_OTHER);
        sample_dirty_end(p);
        if (p->ct_entry) ct_sched_out_dirty(p);
        pthread_mutex_unlock(&p->status_lock);
        trace_msg_flush();
        if (timed) sstat_busy(slot, sstat_now_ns() - t0);
        atomic_fetch_sub_explicit(&in_flight, 1, memory_order_relaxed);
        sched_requeue(p);
    }
    msacc_unregister();
    return NULL;
}

void dirty_submit(Process *p)
{
    Pool *pool = &pools[p->dirty_call->dirty == EXPORT_DIRTY_IO ? 1 : 0];
    p->rq_next = NULL;
    atomic_fetch_add_explicit(&in_flight, 1, memory_order_relaxed);
    pthread_mutex_lock(&pool->lock);
    if (pool->tail) pool->tail->rq_next = p;
    else pool->head = p;
    pool->tail = p;
    atomic_fetch_add_explicit(&pool->queued, 1, memory_order_relaxed);
    if (atomic_load(&pool->spinning) == 0) pthread_cond_signal(&pool->work);
    pthread_mutex_unlock(&pool->lock);
}

static int start_pool(Pool *pool, int n)
{
    pthread_mutex_init(&pool->lock, NULL);
    pthread_cond_init(&pool->work, NULL);
    pool->threads = calloc((size_t)n, sizeof *pool->threads);
    if (!pool->threads) return -1;
    for (int i = 0; i < n; i++) {
        if (pthread_create(&pool->threads[i], NULL, dirty_main, pool) != 0) return -1;
        pool->nthreads++;
    }
    return 0;
}

int dirty_threads(int pool) { return pools[pool ? 1 : 0].nthreads; }

size_t dirty_queue_len(int pool)
{
    Pool *q = &pools[pool ? 1 : 0];
    size_t n = 0;
    pthread_mutex_lock(&q->lock);
    for (Process *p = q->head; p; p = p->rq_next) n++;
    pthread_mutex_unlock(&q->lock);
    return n;
}

int dirty_start(int ncpu, int nio)
{
    ncpu = ncpu < 1 ? 1 : ncpu;
    pools[0].first_slot = 0;
    pools[1].first_slot = ncpu;
    atomic_store(&pools[0].started, 0);
    atomic_store(&pools[1].started, 0);
    if (start_pool(&pools[0], ncpu) != 0) return -1;
    return start_pool(&pools[1], nio < 1 ? 1 : nio);
}

void dirty_stop(void)
{
    atomic_store(&stopping, true);
    for (int k = 0; k < 2; k++) {
        Pool *pool = &pools[k];
        pthread_mutex_lock(&pool->lock);
        pthread_cond_broadcast(&pool->work);
        pthread_mutex_unlock(&pool->lock);
        for (int i = 0; i < pool->nthreads; i++) pthread_join(pool->threads[i], NULL);
        free(pool->threads);
        pool->threads = NULL;
        pool->nthreads = 0;
    }
}
