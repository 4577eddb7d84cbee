/*
 * sched.c - scheduler threads, run queues, stealing and sleeping (see
 * sched.h).
 *
 * Each run queue has a mutex: enqueue and dequeue are short, and a queue is
 * mostly used by its own scheduler. A scheduler that finds its queue empty
 * tries every other queue once, then sleeps: in the port poll set when no
 * other thread polls (port.h: the answer from a port's child then wakes the
 * thread that runs its receiver, with no hand-over), else on its condition
 * variable. Enqueueing wakes the queue's scheduler if it sleeps (through
 * port_poll_interrupt when it sleeps polling). A busy scheduler wakes a
 * sleeping one to steal its work only once work has been waiting in its
 * queue for a while (wakeup_other_check), as OTP does. A busy scheduler
 * looks at the poll set every POLL_REDUCTIONS, so port input still flows
 * when no scheduler is idle.
 */
#include "sched/sched.h"

#include "runtime/sysmon/sysmon.h"
#include "runtime/sysmon/sysprof.h"
#include "sched/sched_stats.h"

#include "runtime/ets/ets.h"

#include "runtime/interp/interp.h"
#include "runtime/loader/code_version.h"
#include "runtime/port/port.h"
#include "runtime/proc/signal.h"
#include "runtime/proc/suspend.h"
#include "profiler/calltime.h"
#include "profiler/prof_slot.h"
#include "profiler/sample.h"
#include "profiler/trace_msg.h"
#include "sched/dirty.h"
#include "sched/msacc.h"
#include "sched/tp.h"

#include <ck_pr.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct RunQueue {
    Process *head[PRIO_COUNT], *tail[PRIO_COUNT];
    size_t len;
} RunQueue;

/* A busy scheduler looks for port events after this many reductions (a few slices). */
#define POLL_REDUCTIONS (4 * SCHED_REDUCTIONS)

typedef struct Scheduler {
    int id;
    pthread_t thread;
    pthread_mutex_t lock; /* guards rq, sleeping and polling */
    pthread_cond_t wakeup;
    RunQueue rq;
    bool sleeping;
    bool polling;         /* sleeping in the port poll set, not on wakeup */
    uint64_t reds_since_poll; /* the scheduler's own */
    int64_t wakeup_other;     /* the scheduler's own: see wakeup_other_check */
    uint64_t slice_reds;      /* the scheduler's own: reductions of its last slice */
} Scheduler;

static Scheduler *scheds;
static int num_scheds;
static atomic_bool stopping;
static atomic_int sleepers;
static void (*exit_hook)(Process *p);
static _Thread_local int self_index = -1;

int sched_count(void) { return num_scheds; }

size_t sched_run_queue_len(int i)
{
    if (i < 0 || i >= num_scheds) return 0;
    pthread_mutex_lock(&scheds[i].lock);
    size_t n = scheds[i].rq.len;
    pthread_mutex_unlock(&scheds[i].lock);
    return n;
}
int sched_self(void) { return self_index; }
void sched_set_exit_hook(void (*hook)(Process *p)) { exit_hook = hook; }

/* ---- run queues (lock held) ---- */

static void rq_push(RunQueue *rq, Process *p)
{
    int prio = p->priority == PRIO_LOW ? PRIO_NORMAL : p->priority;
    p->rq_next = NULL;
    if (rq->tail[prio]) rq->tail[prio]->rq_next = p;
    else rq->head[prio] = p;
    rq->tail[prio] = p;
    rq->len++;
}

static Process *rq_pop(RunQueue *rq)
{
    for (int prio = 0; prio < PRIO_COUNT; prio++) {
        Process *p = rq->head[prio];
        if (!p) continue;
        rq->head[prio] = p->rq_next;
        if (!rq->head[prio]) rq->tail[prio] = NULL;
        rq->len--;
        return p;
    }
    return NULL;
}

/* ---- waking ---- */

/* Wakes s, which sleeps (its lock held). */
static void wake_sleeping(Scheduler *s)
{
    if (s->polling) port_poll_interrupt();
    else pthread_cond_signal(&s->wakeup);
}

static void wake_one_sleeper(int except)
{
    if (atomic_load_explicit(&sleepers, memory_order_acquire) == 0) return;
    for (int i = 0; i < num_scheds; i++) {
        Scheduler *s = &scheds[i];
        if (i == except) continue;
        pthread_mutex_lock(&s->lock);
        bool was_sleeping = s->sleeping;
        if (was_sleeping) wake_sleeping(s);
        pthread_mutex_unlock(&s->lock);
        if (was_sleeping) return;
    }
}

/* Queues p on its home scheduler, waking that one if it sleeps. */
static void enqueue(Process *p)
{
    int home = p->home;
    if (home < 0 || home >= num_scheds) home = 0;
    Scheduler *s = &scheds[home];
    pthread_mutex_lock(&s->lock);
    rq_push(&s->rq, p);
    if (s->sleeping) wake_sleeping(s);
    pthread_mutex_unlock(&s->lock);
}

/*
 * OTP's "wakeup other" rule (its default, medium threshold): after each slice a
 * busy scheduler adds the reductions it ran, times the processes still waiting in
 * its queue, to a count that shrinks again while the queue is empty; only when
 * the count passes WAKEUP_OTHER_LIMIT is a sleeping scheduler woken to steal. A
 * light load (a request and its reply, a logger's report and the I/O server)
 * thus runs on one scheduler in OTP's order, while a lasting backlog of work
 * (many busy processes) spreads over every core within a few slices.
 */
#define WAKEUP_OTHER_LIMIT (10 * SCHED_REDUCTIONS)
#define WAKEUP_OTHER_FIXED_INC (SCHED_REDUCTIONS / 10)
#define WAKEUP_OTHER_DEC_SHIFT 2

/* `left`: the processes still queued behind the one this scheduler runs next
   (read when popping it, under the lock already held); `slice_reds` what the
   last slice ran. As OTP, the next process does not count: a pair that only
   hands work to each other (ping-pong, a call and its reply) leaves none
   behind, so the count shrinks and the pair stays on this core. */
static void wakeup_other_check(Scheduler *self, size_t left)
{
    uint64_t reds = self->slice_reds;
    self->slice_reds = 0;
    if (left == 0) {
        self->wakeup_other -= (int64_t)(reds << WAKEUP_OTHER_DEC_SHIFT);
        if (self->wakeup_other < 0) self->wakeup_other = 0;
        return;
    }
    self->wakeup_other += (int64_t)(left * reds) + WAKEUP_OTHER_FIXED_INC;
    if (self->wakeup_other > WAKEUP_OTHER_LIMIT) {
        self->wakeup_other = 0;
        wake_one_sleeper(self->id);
    }
}

void sched_spawned(Process *p)
{
    int self = self_index;
    p->home = self >= 0 ? self : 0;
    atomic_store_explicit(&p->sched_state, PS_QUEUED, memory_order_release);
    if (sysprof_on(SYSPROF_PROCS)) sysprof_proc(p, true, false);
    enqueue(p);
}

void sched_requeue(Process *p)
{
    atomic_store_explicit(&p->sched_state, PS_QUEUED, memory_order_release);
    enqueue(p);
}

void sched_wake(Process *p)
{
    int s = atomic_load_explicit(&p->sched_state, memory_order_acquire);
    for (;;) {
        if (s == PS_IDLE) {
            if (atomic_compare_exchange_weak(&p->sched_state, &s, PS_QUEUED)) {
                /* woken by a process: run it where the sender runs (its data is warm there) */
                if (self_index >= 0) p->home = self_index;
                if (sysprof_on(SYSPROF_PROCS)) sysprof_proc(p, true, false);
                enqueue(p);
                return;
            }
        } else if (s == PS_RUNNING) {
            if (atomic_compare_exchange_weak(&p->sched_state, &s, PS_NOTIFIED)) return;
        } else {
            return; /* queued, already notified, or exited */
        }
    }
}

/* ---- the scheduler loop ---- */

static Process *steal(Scheduler *self)
{
    for (int k = 1; k < num_scheds; k++) {
        Scheduler *victim = &scheds[(self->id + k) % num_scheds];
        pthread_mutex_lock(&victim->lock);
        Process *p = victim->rq.len > 0 ? rq_pop(&victim->rq) : NULL;
        pthread_mutex_unlock(&victim->lock);
        if (p) return p;
    }
    return NULL;
}

/*
 * system_profile's `scheduler`: self is about to sleep / is awake again. Told outside the
 * scheduler's lock (the message may wake the profiler onto this very scheduler, whose lock
 * enqueue takes); so the inactive comes before the check that the run queue is empty, and a
 * scheduler that finds work after all says active right after.
 */
static void profile_sleep(Scheduler *self, bool active)
{
    if (!sysprof_on(SYSPROF_SCHED)) return;
    int awake = num_scheds - atomic_load(&sleepers) - (active ? 0 : 1);
    sysprof_sched(self->id, active, awake < 0 ? 0 : awake);
}

/* Sleeps in the port poll set until an event or a wake, then handles the events. False
   when another thread polls. */
static bool sleep_polling(Scheduler *self, TpThread *tp)
{
    if (!port_poll_try_begin()) return false;
    profile_sleep(self, false);
    pthread_mutex_lock(&self->lock);
    bool idle = self->rq.len == 0 && !atomic_load(&stopping);
    if (idle) {
        self->sleeping = self->polling = true;
        atomic_fetch_add(&sleepers, 1);
    }
    pthread_mutex_unlock(&self->lock);
    int n = 0;
    if (idle) {
        tp_sleep(tp);
        msacc_set(MSACC_SLEEP);
        n = port_poll_wait(true);
        msacc_set(MSACC_OTHER);
        pthread_mutex_lock(&self->lock);
        atomic_fetch_sub(&sleepers, 1);
        self->sleeping = self->polling = false;
        pthread_mutex_unlock(&self->lock);
        tp_wake(tp); /* handling runs port code, as a BIF would: awake */
    }
    profile_sleep(self, true);
    msacc_set(MSACC_PORT);
    port_poll_handle(n);
    msacc_set(MSACC_OTHER);
    port_poll_end();
    trace_msg_flush();
    self->reds_since_poll = 0;
    return true;
}

/* A busy scheduler's look at the poll set, every POLL_REDUCTIONS. */
static void look_polling(Scheduler *self)
{
    if (self->reds_since_poll < POLL_REDUCTIONS) return;
    self->reds_since_poll = 0;
    if (!port_poll_try_begin()) return;
    msacc_set(MSACC_CHECK_IO);
    int n = port_poll_wait(false);
    msacc_set(MSACC_PORT);
    port_poll_handle(n);
    msacc_set(MSACC_OTHER);
    port_poll_end();
    trace_msg_flush();
}

/*
 * While processes are in dirty calls, an idle scheduler waits up to
 * DIRTY_SPIN_NS for one to come back before it sleeps: a process doing file
 * I/O in a loop returns within microseconds, and a sleep and a wake cost
 * more. True when work arrived.
 */
static bool spin_for_dirty_return(Scheduler *self)
{
    if (dirty_in_flight() == 0) return false;
    uint64_t until = sstat_now_ns() + DIRTY_SPIN_NS;
    do {
        for (int i = 0; i < 64; i++) ck_pr_stall();
        pthread_mutex_lock(&self->lock);
        size_t waiting = self->rq.len;
        pthread_mutex_unlock(&self->lock);
        if (waiting) return true;
    } while (dirty_in_flight() > 0 && !atomic_load(&stopping) && sstat_now_ns() < until);
    return false;
}

static Process *next_process(Scheduler *self, TpThread *tp)
{
    look_polling(self);
    bool spun = false;
    for (;;) {
        if (atomic_load(&stopping)) return NULL;
        pthread_mutex_lock(&self->lock);
        Process *p = rq_pop(&self->rq);
        size_t left = self->rq.len;
        pthread_mutex_unlock(&self->lock);
        wakeup_other_check(self, left);
        if (p) return p;
        if ((p = steal(self))) return p;
        if (!spun) {
            spun = true;
            if (spin_for_dirty_return(self)) continue;
        }
        if (sleep_polling(self, tp)) continue;
        /* Nothing to do: sleep. A sleeping scheduler does not hold back thread
           progress; tp_sleep may run deferred work, so no lock is held. */
        tp_sleep(tp);
        profile_sleep(self, false);
        pthread_mutex_lock(&self->lock);
        if (self->rq.len == 0 && !atomic_load(&stopping)) {
            self->sleeping = true;
            atomic_fetch_add(&sleepers, 1);
            msacc_set(MSACC_SLEEP);
            pthread_cond_wait(&self->wakeup, &self->lock);
            msacc_set(MSACC_OTHER);
            atomic_fetch_sub(&sleepers, 1);
            self->sleeping = false;
        }
        pthread_mutex_unlock(&self->lock);
        tp_wake(tp);
        profile_sleep(self, true);
    }
}

static void finish(Process *p)
{
    if (sysprof_on(SYSPROF_PROCS)) sysprof_proc(p, false, true);
    atomic_store_explicit(&p->sched_state, PS_EXITED, memory_order_release);
    ets_process_exit(p); /* before links and monitors fire, as in OTP: a 'DOWN' means its tables are gone */
    signal_process_exit(p);
    if (exit_hook) exit_hook(p);
    signal_release(p);
    process_free(p);
}

/* After a slice that did not end the process: requeue it, hand it over, or let it wait. */
static void after_slice(Process *p, RunResult r)
{
    if (r == RUN_YIELD) {
        sched_requeue(p);
    } else if (r == RUN_DIRTY) {
        dirty_submit(p); /* stays "running" meanwhile: wakes only mark it notified */
    } else {
        /* inactive before the wait is published: whoever wakes it then says active */
        bool profiled = sysprof_on(SYSPROF_PROCS);
        if (profiled) sysprof_proc(p, false, false);
        int expected = PS_RUNNING;
        if (!atomic_compare_exchange_strong(&p->sched_state, &expected, PS_IDLE)) {
            /* something arrived while it decided to wait: run it again */
            atomic_store_explicit(&p->sched_state, PS_QUEUED, memory_order_release);
            if (profiled) sysprof_proc(p, true, false);
            enqueue(p);
        }
    }
}

/* Runs p for a slice, accounting call_time when p is in a traced function and sampling
   its waits in receive when asked (profiler/sample.h). */
static RunResult run_slice(Process *p)
{
    if (p->ct_entry) ct_sched_in(p);
    if (atomic_load_explicit(&p->sample_pending_since, memory_order_relaxed)) sample_wait_end(p);
    RunResult r = interp_run(p);
    if (p->ct_entry) ct_sched_out(p);
    if (r == RUN_WAIT && atomic_load_explicit(&sample_waiting, memory_order_relaxed)) sample_wait_begin(p);
    return r;
}

static void *scheduler_main(void *arg)
{
    Scheduler *self = arg;
    self_index = self->id;
    prof_slot_claim(self->id);
    msacc_register(MSACC_T_SCHEDULER, self->id + 1, MSACC_OTHER);
    TpThread *tp = tp_register_managed();
    trace_msg_defer_here();
    Process *p;
    while ((p = next_process(self, tp)) != NULL) {
        p->home = self->id;
        atomic_store_explicit(&p->sched_state, PS_RUNNING, memory_order_release);
        pthread_mutex_lock(&p->status_lock);
        bool timed = sstat_wall_time_on();
        uint64_t t0 = timed ? sstat_now_ns() : 0, reds0 = p->reductions;
        if (TRACE_UNLIKELY(trace_flags_of(p) & TRACE_SCHED_FLAGS)) trace_sched_in(p);
        /* a suspended process handles its signals (an exit signal still kills it), then waits */
        const BeamInstr *in_pc = p->i;
        uint64_t mon_t0 = sysmon_slice_begin();
        msacc_set(MSACC_EMULATOR);
        bool killed = signal_handle_pending(p);
        /* system tasks run where the process's state is saved: before the slice (a process
           whose slices all end in a dirty call has no other chance) and after it (but not
           while a RUN_DIRTY process's state is the dirty pool's) */
        if (p->systasks) code_systasks_run(p, killed);
        RunResult r = killed ? RUN_EXITED : suspend_is_suspended(p) ? RUN_WAIT : run_slice(p);
        if (r != RUN_EXITED) sysmon_slice_end(p, mon_t0, in_pc);
        if (p->systasks && r != RUN_DIRTY) code_systasks_run(p, r == RUN_EXITED);
        uint64_t p_reds = p->reductions - reds0;
        sstat_slice(self->id, p_reds);
        self->reds_since_poll += p_reds;
        if (timed) sstat_busy(self->id, sstat_now_ns() - t0);
        if (r == RUN_EXITED) {
            finish(p); /* under the lock: inspectors never see it half gone */
        } else {
            p->has_run = true;
            if (TRACE_UNLIKELY(trace_flags_of(p) & TRACE_SCHED_FLAGS)) trace_sched_out(p);
        }
        pthread_mutex_unlock(&p->status_lock);
        trace_msg_flush(); /* before the process can run elsewhere: its port trace keeps its order */
        msacc_set(MSACC_OTHER);
        self->slice_reds = p_reds;
        if (r != RUN_EXITED) after_slice(p, r);
        tp_progress(tp); /* a scheduling point: no process data is held here */
    }
    tp_unregister_managed(tp);
    msacc_unregister();
    return NULL;
}

int sched_start(int n)
{
    scheds = calloc((size_t)n, sizeof *scheds);
    if (!scheds) return -1;
    num_scheds = n;
    for (int i = 0; i < n; i++) {
        scheds[i].id = i;
        pthread_mutex_init(&scheds[i].lock, NULL);
        pthread_cond_init(&scheds[i].wakeup, NULL);
    }
    for (int i = 0; i < n; i++)
        if (pthread_create(&scheds[i].thread, NULL, scheduler_main, &scheds[i]) != 0) return -1;
    return 0;
}

void sched_stop(void)
{
    atomic_store(&stopping, true);
    for (int i = 0; i < num_scheds; i++) {
        pthread_mutex_lock(&scheds[i].lock);
        pthread_cond_signal(&scheds[i].wakeup);
        pthread_mutex_unlock(&scheds[i].lock);
    }
    port_poll_interrupt();
    for (int i = 0; i < num_scheds; i++) pthread_join(scheds[i].thread, NULL);
}
