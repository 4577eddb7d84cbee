/* sample.c - the sampler thread and the sampling hooks (see sample.h). */
#include "profiler/sample.h"

#include "profiler/prof_slot.h"
#include "runtime/proc/proc_table.h"
#include "sched/sched_stats.h"
#include "sched/tp.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define MAX_SLOTS 1024
#define MAX_RATE 100000
#ifndef sigev_notify_thread_id /* glibc names the field only for _GNU_SOURCE */
#define sigev_notify_thread_id _sigev_un._tid
#endif

/* Above any reduction count: the next call ends the slice to take the sample. */
#define LIMIT_ASKED ((intptr_t)1 << 40)

_Thread_local _Atomic intptr_t sample_limit;
atomic_bool sample_waiting;

/* A normal scheduler thread, registered as it starts, and its sampling timer. */
typedef struct SchedThread {
    atomic_bool known;
    pthread_t thread;
    pid_t tid;
    timer_t timer;
    bool armed; /* under `control` */
} SchedThread;

static SchedThread scheds[MAX_SLOTS];
static _Atomic(SampleSet *) current;
static _Atomic unsigned rate;
static atomic_bool running;
static pthread_mutex_t control = PTHREAD_MUTEX_INITIALIZER; /* start, stop, clear */

void sample_register_slot(int slot)
{
    if (slot < 0 || slot >= prof_slot_schedulers() || slot >= MAX_SLOTS) return;
    scheds[slot].thread = pthread_self();
    scheds[slot].tid = (pid_t)syscall(SYS_gettid);
    atomic_store_explicit(&scheds[slot].known, true, memory_order_release);
}

/* Timer expirations not yet recorded on this thread: the next sample weighs them all. */
static _Thread_local _Atomic uint64_t ticks_pending;

/* SIGPROF from a scheduler's timer, on that scheduler's thread: asks it for a sample.
   The kernel checks CPU-clock timers at its own tick (often 250 Hz), so at a higher rate
   one signal stands for several expirations (si_overrun more); they all go to the sample.
   Lock-free atomics on thread-locals only: async-signal-safe. */
static void on_tick(int sig, siginfo_t *info, void *context)
{
    (void)sig;
    (void)context;
    uint64_t n = 1 + (info->si_code == SI_TIMER && info->si_overrun > 0 ? (uint64_t)info->si_overrun : 0);
    atomic_fetch_add_explicit(&ticks_pending, n, memory_order_relaxed);
    atomic_store_explicit(&sample_limit, LIMIT_ASKED, memory_order_relaxed);
}

static void disarm_locked(void)
{
    for (int k = 0; k < MAX_SLOTS; k++) {
        if (!scheds[k].armed) continue;
        timer_delete(scheds[k].timer);
        scheds[k].armed = false;
    }
}

/* Arms a timer on each normal scheduler's CPU clock that sends that thread SIGPROF hz
   times per second of its CPU time: it samples what it runs, costs nothing while it
   sleeps, and needs no other thread to wake. */
static int arm_locked(unsigned hz)
{
    static bool handler_set;
    if (!handler_set) {
        struct sigaction sa = {0};
        sa.sa_sigaction = on_tick;
        sa.sa_flags = SA_SIGINFO | SA_RESTART; /* a scheduler's interrupted system call goes on */
        sigemptyset(&sa.sa_mask);
        if (sigaction(SIGPROF, &sa, NULL) != 0) return -1;
        handler_set = true;
    }
    long period = 1000000000L / (long)hz;
    struct itimerspec its = {{period / 1000000000L, period % 1000000000L}, {period / 1000000000L, period % 1000000000L}};
    for (int k = 0; k < MAX_SLOTS; k++) {
        SchedThread *t = &scheds[k];
        if (!atomic_load_explicit(&t->known, memory_order_acquire)) continue;
        clockid_t clock;
        struct sigevent sev = {0};
        sev.sigev_notify = SIGEV_THREAD_ID;
        sev.sigev_signo = SIGPROF;
        sev.sigev_notify_thread_id = t->tid;
        if (pthread_getcpuclockid(t->thread, &clock) != 0 || timer_create(clock, &sev, &t->timer) != 0) {
            disarm_locked();
            return -1;
        }
        t->armed = true;
        if (timer_settime(t->timer, 0, &its, NULL) != 0) {
            disarm_locked();
            return -1;
        }
    }
    return 0;
}

/* When sampling last stopped (ns), 0 while it runs: pending waits and calls count up to it. */
static _Atomic uint64_t stopped_at;

static void stop_locked(void)
{
    if (atomic_load(&running)) atomic_store(&stopped_at, sstat_now_ns());
    disarm_locked();
    atomic_store_explicit(&running, false, memory_order_release);
    atomic_store(&sample_waiting, false);
}

int sample_start(unsigned hz, bool waiting)
{
    if (hz < 1 || hz > MAX_RATE) return -1;
    pthread_mutex_lock(&control);
    stop_locked();
    int rc = -1;
    SampleSet *fresh = sample_set_new(prof_slot_count());
    if (fresh) {
        sample_set_retire(atomic_exchange_explicit(&current, fresh, memory_order_acq_rel));
        atomic_store(&rate, hz);
        atomic_store(&sample_waiting, waiting);
        atomic_store(&stopped_at, 0);
        atomic_store_explicit(&running, true, memory_order_release);
        rc = arm_locked(hz);
        if (rc != 0) stop_locked();
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
    uint64_t n = atomic_exchange_explicit(&ticks_pending, 0, memory_order_relaxed);
    record(p, native, false, n ? n : 1);
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

/* The ticks at the rate that fall in `ns`: ns * rate / 1e9, the fraction counted
   as one with its probability. */
static uint64_t ticks_in(uint64_t ns)
{
    unsigned __int128 scaled = (unsigned __int128)ns * atomic_load(&rate);
    uint64_t n = (uint64_t)(scaled / 1000000000u), frac = (uint64_t)(scaled % 1000000000u);
    if (next_random() % 1000000000u < frac) n++;
    return n;
}

/*
 * A wait or dirty call in progress: its stack is taken as it begins and
 * interned (with no samples yet) in the thread's table; the process holds
 * it, with the set's number, the slot and the start time, so that a query
 * can count the ticks spanned so far (sample_pending_foreach) without
 * stopping anything, and the end adds every tick it spanned. `since` is a
 * sequence lock: written 0 before the other fields change and last after
 * them. The caller may use the current set (a managed thread, or inside
 * tp_delay).
 */
static void pending_begin(Process *p, const Export *native, bool waiting)
{
    SampleSet *s = atomic_load_explicit(&current, memory_order_acquire);
    if (!s) return;
    SampleFrame f[SAMPLE_MAX_FRAMES];
    bool truncated;
    size_t n = sample_stack_walk(p, native, waiting, f, &truncated);
    int slot = prof_slot();
    const SampleStack *st = sample_set_intern(s, slot, p->pid, f, n, truncated);
    if (!st) return;
    atomic_store_explicit(&p->sample_pending_since, 0, memory_order_relaxed);
    atomic_thread_fence(memory_order_release);
    atomic_store_explicit(&p->sample_pending_stack, st, memory_order_relaxed);
    atomic_store_explicit(&p->sample_pending_set, sample_set_id(s), memory_order_relaxed);
    atomic_store_explicit(&p->sample_pending_slot, slot, memory_order_relaxed);
    uint64_t now = sstat_now_ns();
    atomic_store_explicit(&p->sample_pending_since, now ? now : 1, memory_order_release);
}

/* Ends p's pending wait or call: the ticks it spanned go to its stack in the caller's table,
   if sampling is on in the same set. */
static void pending_end(Process *p)
{
    uint64_t since = atomic_load_explicit(&p->sample_pending_since, memory_order_relaxed);
    atomic_store_explicit(&p->sample_pending_since, 0, memory_order_relaxed);
    if (!since || !atomic_load_explicit(&running, memory_order_relaxed)) return;
    SampleSet *s = atomic_load_explicit(&current, memory_order_acquire);
    if (!s || sample_set_id(s) != atomic_load_explicit(&p->sample_pending_set, memory_order_relaxed)) return;
    const SampleStack *st = atomic_load_explicit(&p->sample_pending_stack, memory_order_relaxed);
    sample_set_add(s, prof_slot(), st->pid, st->frames, st->n, st->truncated, ticks_in(sstat_now_ns() - since));
}

void sample_dirty_begin(Process *p)
{
    if (!atomic_load_explicit(&running, memory_order_relaxed)) return;
    TpDelay delay = tp_delay(); /* the set used below stays valid until tp_continue */
    pending_begin(p, p->dirty_call, false);
    tp_continue(delay);
}

void sample_dirty_end(Process *p)
{
    if (!atomic_load_explicit(&p->sample_pending_since, memory_order_relaxed)) return;
    TpDelay delay = tp_delay();
    pending_end(p);
    tp_continue(delay);
}

void sample_wait_begin(Process *p) { pending_begin(p, NULL, true); }

void sample_wait_end(Process *p) { pending_end(p); }

typedef struct PendingVisit {
    uint64_t set, now;
    unsigned rate;
    SampleVisit *fn;
    void *ctx;
} PendingVisit;

static void visit_pending(Process *p, void *arg)
{
    const PendingVisit *v = arg;
    uint64_t since = atomic_load_explicit(&p->sample_pending_since, memory_order_acquire);
    if (!since) return;
    const SampleStack *st = atomic_load_explicit(&p->sample_pending_stack, memory_order_relaxed);
    uint64_t set = atomic_load_explicit(&p->sample_pending_set, memory_order_relaxed);
    int slot = atomic_load_explicit(&p->sample_pending_slot, memory_order_relaxed);
    atomic_thread_fence(memory_order_acquire);
    if (atomic_load_explicit(&p->sample_pending_since, memory_order_relaxed) != since || set != v->set || !st)
        return; /* changed meanwhile, or from an earlier set */
    uint64_t n = v->now > since ? (uint64_t)((unsigned __int128)(v->now - since) * v->rate / 1000000000u) : 0;
    if (n) v->fn(slot, st, n, v->ctx);
}

void sample_pending_foreach(const SampleSet *set, SampleVisit *fn, void *ctx)
{
    uint64_t stop = atomic_load(&stopped_at);
    PendingVisit v = {sample_set_id(set), stop ? stop : sstat_now_ns(), atomic_load(&rate), fn, ctx};
    ptab_foreach(visit_pending, &v);
}
