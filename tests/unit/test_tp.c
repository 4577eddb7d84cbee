/*
 * test_tp.c - thread progress (sched/tp.h) under load: several managed
 * threads doing work between progress points, some sleeping and waking,
 * unmanaged threads waiting, delaying and blocking.
 *
 * Each guarantee is checked by something that fails when it is broken:
 * plain (non-atomic) data written before tp_later() and read after the
 * value is reached (a wrong value or, under ThreadSanitizer, a race),
 * objects retired through tp_defer() while readers still use them (a
 * poisoned magic number or, under AddressSanitizer, a use after free),
 * counters of threads inside "work" while a block is in force, counts of
 * deferred calls. Workers never assert themselves: they count violations,
 * which the test thread checks.
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

#include "sched/tp.h"

#define MAX_WORKERS 8

typedef struct Worker Worker;
struct Worker {
    pthread_t thread;
    int id;
    void (*body)(Worker *w, TpThread *t); /* one iteration, after a progress point */
    _Atomic unsigned long iters;
    unsigned long plain;  /* the worker's; a blocker reads it */
    unsigned long shadow; /* written by blockers, read by the worker */
};

static Worker workers[MAX_WORKERS];
static int nworkers;
static atomic_bool stop;
static atomic_ulong violations;

static void violation(void)
{
    atomic_fetch_add(&violations, 1);
}

static void pause_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Polls cond every millisecond for up to 20 s; evaluates to whether it held. */
#define WAIT_UNTIL(cond)                                                                           \
    ({                                                                                             \
        int waited_ = 0;                                                                           \
        while (!(cond) && waited_ < 20000) {                                                       \
            pause_ms(1);                                                                           \
            waited_++;                                                                             \
        }                                                                                          \
        (bool)(cond);                                                                              \
    })

static bool all_moved(const unsigned long *since, unsigned long more);

static void *worker_main(void *arg)
{
    Worker *w = arg;
    TpThread *t = tp_register_managed();
    if (!t) {
        violation();
        return NULL;
    }
    unsigned long n = 0;
    while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
        tp_progress(t);
        w->body(w, t);
        atomic_store_explicit(&w->iters, ++n, memory_order_relaxed);
        sched_yield(); /* the machine may have fewer cores than threads */
    }
    tp_unregister_managed(t);
    return NULL;
}

static void start_workers(int n, void (*body)(Worker *, TpThread *))
{
    atomic_store(&stop, false);
    nworkers = n;
    for (int i = 0; i < n; i++) {
        workers[i].id = i;
        workers[i].body = body;
        cr_assert_eq(pthread_create(&workers[i].thread, NULL, worker_main, &workers[i]), 0);
    }
    /* all registered and working before the test goes on */
    unsigned long zero[MAX_WORKERS] = {0};
    cr_assert(WAIT_UNTIL(all_moved(zero, 1)));
}

static void stop_workers(void)
{
    atomic_store(&stop, true);
    for (int i = 0; i < nworkers; i++) pthread_join(workers[i].thread, NULL);
}

static unsigned long total_iters(void)
{
    unsigned long sum = 0;
    for (int i = 0; i < nworkers; i++) sum += atomic_load(&workers[i].iters);
    return sum;
}

/* Whether every worker has done at least `more` iterations since `since`. */
static bool all_moved(const unsigned long *since, unsigned long more)
{
    for (int i = 0; i < nworkers; i++)
        if (atomic_load(&workers[i].iters) < since[i] + more) return false;
    return true;
}

static void snapshot(unsigned long *out)
{
    for (int i = 0; i < nworkers; i++) out[i] = atomic_load(&workers[i].iters);
}

static void spin(int n)
{
    for (volatile int i = 0; i < n; i++) {
    }
}

/* ---- later / has_reached / wait ---------------------------------------- */

#define ROUNDS 3000

static int data[ROUNDS + 1];   /* plain: written once, before tp_later() */
static atomic_int done_round; /* rounds whose value was reached */
static atomic_ulong checked;

static int magic(int k)
{
    return k * 7 + 1;
}

/* A managed thread reads the newest finished round's plain datum. */
static void check_published(Worker *w, TpThread *t)
{
    int k = atomic_load_explicit(&done_round, memory_order_relaxed);
    if (k > 0) {
        if (data[k] != magic(k)) violation();
        atomic_fetch_add_explicit(&checked, 1, memory_order_relaxed);
    }
    spin(200);
}

static void run_rounds(bool poll)
{
    for (int k = 1; k <= ROUNDS; k++) {
        data[k] = magic(k);
        TpValue v = tp_later();
        if (poll && k % 2) {
            while (!tp_has_reached(v)) sched_yield();
        } else {
            tp_wait(v);
        }
        cr_assert(tp_has_reached(v));
        cr_assert(tp_has_reached(v - 1), "reaching v reaches smaller values");
        atomic_store_explicit(&done_round, k, memory_order_relaxed);
    }
}

Test(tp, later_publishes_plain_writes, .timeout = 60)
{
    start_workers(4, check_published);
    run_rounds(false);
    stop_workers();
    cr_assert_eq(atomic_load(&violations), 0);
    cr_assert_geq(atomic_load(&checked), ROUNDS);
}

Test(tp, has_reached_polling, .timeout = 60)
{
    start_workers(3, check_published);
    run_rounds(true);
    stop_workers();
    cr_assert_eq(atomic_load(&violations), 0);
}

/* Managed threads wait too: a waiting managed thread must count as asleep,
   or two of them would wait for each other forever. */
static atomic_ulong managed_waits;

static void wait_sometimes(Worker *w, TpThread *t)
{
    check_published(w, t);
    if (atomic_load_explicit(&w->iters, memory_order_relaxed) % 16 == (unsigned long)w->id) {
        TpValue v = tp_later();
        tp_wait(v);
        if (!tp_has_reached(v)) violation();
        atomic_fetch_add(&managed_waits, 1);
    }
}

Test(tp, managed_threads_wait, .timeout = 60)
{
    start_workers(4, wait_sometimes);
    run_rounds(false);
    stop_workers();
    cr_assert_eq(atomic_load(&violations), 0);
    cr_assert_gt(atomic_load(&managed_waits), 0);
}

/* ---- sleeping ----------------------------------------------------------- */

static sem_t wake_sem;
static atomic_int asleep;

/* A managed thread that goes to sleep and stays asleep until told. */
static void *sleeper_main(void *arg)
{
    TpThread *t = tp_register_managed();
    tp_progress(t);
    tp_sleep(t);
    atomic_fetch_add(&asleep, 1);
    sem_wait(&wake_sem);
    tp_wake(t);
    /* awake again: rounds finished while it slept are visible */
    int k = atomic_load_explicit(&done_round, memory_order_relaxed);
    if (k > 0 && data[k] != magic(k)) violation();
    tp_progress(t);
    tp_unregister_managed(t);
    return NULL;
}

static void start_sleepers(pthread_t *th, int n)
{
    sem_init(&wake_sem, 0, 0);
    for (int i = 0; i < n; i++) cr_assert_eq(pthread_create(&th[i], NULL, sleeper_main, NULL), 0);
    cr_assert(WAIT_UNTIL(atomic_load(&asleep) == n));
}

static void wake_sleepers(pthread_t *th, int n)
{
    for (int i = 0; i < n; i++) sem_post(&wake_sem);
    for (int i = 0; i < n; i++) pthread_join(th[i], NULL);
}

Test(tp, sleeping_threads_do_not_hold_progress, .timeout = 60)
{
    pthread_t sleepers[3];
    start_sleepers(sleepers, 3);
    start_workers(2, check_published);
    run_rounds(false);
    stop_workers();
    wake_sleepers(sleepers, 3);
    cr_assert_eq(atomic_load(&violations), 0);
}

static atomic_int deferred_calls;

static void count_call(void *arg)
{
    atomic_fetch_add((atomic_int *)arg, 1);
}

Test(tp, waiter_advances_alone_when_all_sleep, .timeout = 60)
{
    pthread_t sleepers[2];
    start_sleepers(sleepers, 2);
    for (int k = 1; k <= ROUNDS; k++) {
        data[k] = magic(k);
        tp_defer(count_call, &deferred_calls);
        tp_wait(tp_later());
        cr_assert_eq(atomic_load(&deferred_calls), k, "the waiter runs due deferred calls");
        atomic_store_explicit(&done_round, k, memory_order_relaxed);
    }
    /* nobody waits for this one: it runs when a sleeper wakes */
    tp_defer(count_call, &deferred_calls);
    pause_ms(20);
    cr_assert_eq(atomic_load(&deferred_calls), ROUNDS);
    wake_sleepers(sleepers, 2);
    cr_assert_eq(atomic_load(&deferred_calls), ROUNDS + 1);
    cr_assert_eq(atomic_load(&violations), 0);
}

/* An active managed thread that does not reach a progress point holds
   everything back; once it does, its progress lets the value be reached. */
static sem_t stall_sem;
static atomic_bool stalled;

static void *staller_main(void *arg)
{
    TpThread *t = tp_register_managed();
    atomic_store(&stalled, true);
    sem_wait(&stall_sem);
    while (!atomic_load(&stop)) {
        tp_progress(t);
        sched_yield();
    }
    tp_unregister_managed(t);
    return NULL;
}

Test(tp, stalled_thread_holds_progress, .timeout = 60)
{
    pthread_t th;
    sem_init(&stall_sem, 0, 0);
    atomic_store(&stop, false);
    cr_assert_eq(pthread_create(&th, NULL, staller_main, NULL), 0);
    cr_assert(WAIT_UNTIL(atomic_load(&stalled)));
    TpValue v = tp_later();
    tp_defer(count_call, &deferred_calls);
    for (int i = 0; i < 50; i++) {
        cr_assert(!tp_has_reached(v));
        pause_ms(1);
    }
    cr_assert_eq(atomic_load(&deferred_calls), 0);
    sem_post(&stall_sem);
    tp_wait(v);
    cr_assert(WAIT_UNTIL(atomic_load(&deferred_calls) == 1));
    atomic_store(&stop, true);
    pthread_join(th, NULL);
    cr_assert_eq(atomic_load(&deferred_calls), 1);
}

/* ---- deferred reclamation ------------------------------------------------ */

#define LIVE 0x11a1e
#define DEAD 0xdead
#define MAX_OBJS 100000

typedef struct Obj {
    int magic;
    unsigned id;
    unsigned long payload[8];
} Obj;

static _Atomic(Obj *) shared;
static atomic_uint next_id;
static atomic_uchar retired[MAX_OBJS];
static atomic_ulong reads;

static Obj *obj_new(unsigned id)
{
    Obj *o = malloc(sizeof *o);
    if (!o) abort();
    o->magic = LIVE;
    o->id = id;
    for (int i = 0; i < 8; i++) o->payload[i] = id * 8 + i;
    return o;
}

static void retire(void *arg)
{
    Obj *o = arg;
    if (atomic_fetch_add(&retired[o->id], 1) != 0) violation();
    o->magic = DEAD;
    free(o);
}

/* Puts a new object in `shared` and retires the old one; false when out of ids. */
static bool replace_shared(void)
{
    unsigned id = atomic_fetch_add(&next_id, 1);
    if (id >= MAX_OBJS) return false;
    Obj *old = atomic_exchange(&shared, obj_new(id));
    tp_defer(retire, old);
    return true;
}

/* Uses the current object for a while, as a reader holding a reference:
   it yields meanwhile, so that writers and retirers get to run. */
static void read_shared(void)
{
    Obj *o = atomic_load_explicit(&shared, memory_order_acquire);
    unsigned id = o->id; /* freed memory may come back as another object */
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 8; i++)
            if (o->magic != LIVE || o->id != id || o->payload[i] != id * 8 + i) violation();
        sched_yield();
    }
    atomic_fetch_add_explicit(&reads, 1, memory_order_relaxed);
}

static void reclaim_body(Worker *w, TpThread *t)
{
    read_shared();
    unsigned long n = atomic_load_explicit(&w->iters, memory_order_relaxed);
    if (w->id < 2 && n % 8 == 0) replace_shared(); /* managed writers */
    if (w->id >= 2 && n % 4 == 0) {                /* sleepy readers */
        tp_sleep(t);
        sched_yield();
        tp_wake(t);
        read_shared();
    }
}

/* An unmanaged reader protects its reads with tp_delay(). */
static void *delayed_reader_main(void *arg)
{
    while (!atomic_load(&stop)) {
        TpDelay d = tp_delay();
        read_shared();
        tp_continue(d);
        sched_yield();
    }
    return NULL;
}

Test(tp, deferred_frees_once_after_progress, .timeout = 60)
{
    atomic_store(&next_id, 1);
    atomic_store(&shared, obj_new(0));
    start_workers(4, reclaim_body);
    pthread_t reader;
    cr_assert_eq(pthread_create(&reader, NULL, delayed_reader_main, NULL), 0);
    /* plenty of replacements, and of reads overlapping them */
    for (int k = 0; (k < 2000 || atomic_load(&reads) < 6000) && replace_shared(); k++) {
        if (k % 16 == 0) tp_wait(tp_later());
        sched_yield();
    }
    stop_workers();
    pthread_join(reader, NULL);

    unsigned made = atomic_load(&next_id);
    if (made > MAX_OBJS) made = MAX_OBJS;
    Obj *last = atomic_load(&shared);
    tp_wait(tp_later()); /* no managed threads left: everything due runs here */
    for (unsigned id = 0; id < made; id++)
        cr_assert_eq(atomic_load(&retired[id]), id == last->id ? 0 : 1, "object %u", id);
    free(last);
    cr_assert_eq(atomic_load(&violations), 0);
    cr_assert_geq(atomic_load(&reads), 6000);
    cr_assert_geq(made, 2000);
}

/* ---- delay ------------------------------------------------------------ */

static void progress_only(Worker *w, TpThread *t)
{
    spin(100);
}

Test(tp, delay_holds_back_progress, .timeout = 60)
{
    start_workers(3, progress_only);
    for (int round = 0; round < 5; round++) {
        TpDelay d = tp_delay();
        TpValue v = tp_later();
        tp_defer(count_call, &deferred_calls);
        unsigned long since[MAX_WORKERS];
        snapshot(since);
        cr_assert(WAIT_UNTIL(all_moved(since, 20)), "workers run while delayed");
        cr_assert(!tp_has_reached(v));
        cr_assert_eq(atomic_load(&deferred_calls), round);
        tp_continue(d);
        tp_wait(v);
        cr_assert(WAIT_UNTIL(atomic_load(&deferred_calls) == round + 1));
    }
    stop_workers();
    cr_assert_eq(atomic_load(&violations), 0);
}

/* ---- blocking ----------------------------------------------------------- */

static atomic_int working;     /* workers inside their work section */
static atomic_int blocked_now; /* set only while a block is in force */
static atomic_int blockers_in;
static atomic_ulong exclusive_sections;

static void work_section(Worker *w)
{
    atomic_fetch_add(&working, 1);
    if (atomic_load(&blocked_now)) violation();
    if (w->shadow > w->plain) violation();
    w->plain++;
    spin(300);
    if (atomic_load(&blocked_now)) violation();
    atomic_fetch_sub(&working, 1);
}

/* What a blocker does: checks nobody works, touches every worker's plain
   fields (a race under ThreadSanitizer if exclusion were broken). */
static void exclusive_section(void)
{
    if (atomic_fetch_add(&blockers_in, 1) != 0) violation();
    atomic_store(&blocked_now, 1);
    if (atomic_load(&working) != 0) violation();
    unsigned long before = 0, after = 0;
    for (int i = 0; i < nworkers; i++) {
        before += workers[i].plain;
        workers[i].shadow = workers[i].plain;
    }
    spin(2000);
    for (int i = 0; i < nworkers; i++) after += workers[i].plain;
    if (after != before || atomic_load(&working) != 0) violation();
    atomic_store(&blocked_now, 0);
    atomic_fetch_sub(&blockers_in, 1);
    atomic_fetch_add(&exclusive_sections, 1);
}

static void block_body(Worker *w, TpThread *t)
{
    work_section(w);
    unsigned long n = w->plain;
    if (w->id == 0 && n % 64 == 0) { /* a managed blocker */
        tp_block();
        exclusive_section();
        tp_unblock();
    }
    if (w->id == 1 && n % 50 == 0) { /* a managed blocker that nests and waits */
        tp_block();
        tp_block();
        tp_wait(tp_later()); /* the parked threads do not hold progress */
        exclusive_section();
        tp_unblock();
        exclusive_section();
        tp_unblock();
    }
    if (w->id == 2 && n % 16 == 0) { /* sleeps and wakes, maybe during a block */
        tp_sleep(t);
        sched_yield();
        tp_wake(t);
        work_section(w);
    }
}

Test(tp, block_excludes_managed_work, .timeout = 60)
{
    start_workers(5, block_body);
    for (int round = 0; round < 500; round++) {
        tp_block();
        exclusive_section();
        tp_unblock();
        unsigned long since[MAX_WORKERS];
        snapshot(since);
        cr_assert(WAIT_UNTIL(all_moved(since, 1)), "workers resume after tp_unblock");
    }
    stop_workers();
    cr_assert_eq(atomic_load(&violations), 0);
    cr_assert_gt(atomic_load(&exclusive_sections), 500);
}

Test(tp, nested_block, .timeout = 60)
{
    start_workers(3, block_body);
    for (int round = 0; round < 20; round++) {
        tp_block();
        tp_block();
        exclusive_section();
        tp_unblock();
        /* still blocked: nobody moves */
        unsigned long before = total_iters();
        atomic_store(&blocked_now, 1);
        pause_ms(5);
        atomic_store(&blocked_now, 0);
        cr_assert_eq(total_iters(), before, "round %d", round);
        cr_assert_eq(atomic_load(&working), 0);
        tp_unblock();
        unsigned long since[MAX_WORKERS];
        snapshot(since);
        cr_assert(WAIT_UNTIL(all_moved(since, 1)), "workers resume after the last tp_unblock");
    }
    stop_workers();
    cr_assert_eq(atomic_load(&violations), 0);
}

static atomic_bool woke, registered;

static void *late_waker_main(void *arg)
{
    TpThread *t = tp_register_managed();
    tp_sleep(t);
    atomic_fetch_add(&asleep, 1);
    sem_wait(&wake_sem);
    tp_wake(t);
    atomic_store(&woke, true);
    tp_unregister_managed(t);
    return NULL;
}

static void *late_registrant_main(void *arg)
{
    TpThread *t = tp_register_managed();
    atomic_store(&registered, true);
    tp_unregister_managed(t);
    return NULL;
}

Test(tp, wake_and_register_park_while_blocked, .timeout = 60)
{
    sem_init(&wake_sem, 0, 0);
    pthread_t waker, registrant;
    cr_assert_eq(pthread_create(&waker, NULL, late_waker_main, NULL), 0);
    cr_assert(WAIT_UNTIL(atomic_load(&asleep) == 1));

    tp_block(); /* returns: the sleeper counts as parked */
    sem_post(&wake_sem);
    cr_assert_eq(pthread_create(&registrant, NULL, late_registrant_main, NULL), 0);
    pause_ms(50);
    cr_assert(!atomic_load(&woke), "tp_wake() returned during a block");
    cr_assert(!atomic_load(&registered), "tp_register_managed() returned during a block");
    /* progress still advances while they are parked */
    tp_wait(tp_later());
    tp_unblock();

    pthread_join(waker, NULL);
    pthread_join(registrant, NULL);
    cr_assert(atomic_load(&woke));
    cr_assert(atomic_load(&registered));
}

/* ---- registration --------------------------------------------------------- */

static void *churn_main(void *arg)
{
    for (int i = 0; i < 200 && !atomic_load(&stop); i++) {
        TpThread *t = tp_register_managed();
        if (!t || tp_register_managed() != t) violation();
        for (int j = 0; j < 5; j++) {
            tp_progress(t);
            read_shared();
        }
        tp_unregister_managed(t);
    }
    return NULL;
}

Test(tp, register_churn, .timeout = 60)
{
    atomic_store(&next_id, 1);
    atomic_store(&shared, obj_new(0));
    pthread_t th[3];
    for (int i = 0; i < 3; i++) cr_assert_eq(pthread_create(&th[i], NULL, churn_main, NULL), 0);
    for (int k = 0; k < 500; k++) {
        replace_shared();
        tp_wait(tp_later());
    }
    for (int i = 0; i < 3; i++) pthread_join(th[i], NULL);
    tp_wait(tp_later());
    free(atomic_load(&shared));
    cr_assert_eq(atomic_load(&violations), 0);
}
