/*
 * tp.c - thread progress (the contract is in tp.h).
 *
 * One global value G only grows. A managed thread confirms G = g by a full
 * barrier after reading g, then storing g in its slot (a cache line of its
 * own, written only by its owner). G may step from g to g+1 once every slot
 * holds g or IDLE (quiescent) and no unmanaged thread delays the step; any
 * thread may take the step with a compare-and-swap, there is no leader.
 * tp_later() returns G+2 for the G it reads: threads may have confirmed G
 * before the call, but G+1 only exists after it, so every confirmation of
 * G+1 is a progress point after the call, and the step to G+2 needs them
 * all.
 *
 * Nobody steps unless asked. 'wanted' is the largest value tp_later() has
 * handed out; while it is above G, tp_progress() takes its slow path,
 * where the thread confirms and steps as far as the others allow (with the
 * others asleep, one thread reaches 'wanted' at once). When nobody asks,
 * G stands still and tp_progress() is four loads and no store.
 *
 * Memory order. Every write of G is a read-modify-write (tp_later() adds
 * 0), so all of G's history is one release sequence: an acquire load of G
 * that sees a value above what tp_later() read synchronizes with that
 * tp_later() (its caller's writes -> the managed thread). Slots are stored
 * with release and read with acquire before the stepping CAS (acq_rel), so
 * what a thread did before confirming happens-before whatever follows an
 * acquire load of the G it allowed (the managed thread -> the freer).
 * The full barriers guard store-then-load pairs against store buffering:
 *  - a thread leaving IDLE stores BUSY, barrier, loads G; a stepper loads
 *    G, barrier, loads the slots. Either the thread sees the step that
 *    followed tp_later() (and confirms it later) or the stepper sees BUSY;
 *  - a blocker stores its identity, barrier, loads the slots; a thread
 *    leaving IDLE stores BUSY, barrier, loads the identity: one of the two
 *    sees the other.
 *
 * Delay. Two counters, chosen by the parity of G. tp_delay() increments
 * the one of G's current parity and checks (after a barrier) that the
 * parity did not change meanwhile; a step to parity p needs counter p to
 * be zero. So after tp_delay() has returned, at most one step (to the
 * other parity) gets through. OTP uses the same two-counter idea: a single
 * counter could be held above zero forever by overlapping delayers.
 *
 * Blocking. Managed threads poll 'blocker', the owner's identity (the
 * address of a thread-local), so "someone else blocks" needs no lock.
 * Parked, sleeping and waiting threads are IDLE in their slot; leaving
 * IDLE always goes through tp_rejoin(), which parks while blocked.
 */
#include "sched/tp.h"

#include <assert.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#define TP_LINE 64
/* Slot values besides a confirmed G (G never gets near them). */
#define TP_IDLE UINT64_MAX       /* asleep, parked, waiting or unused */
#define TP_BUSY (UINT64_MAX - 1) /* active, has not confirmed yet */
#define TP_NO_OP UINT64_MAX      /* defer_next when nothing is deferred */

struct TpThread {
    _Alignas(TP_LINE) _Atomic uint64_t value;
    uint64_t seen; /* the owner's copy of value */
    bool in_use;   /* under tp.lock */
};

typedef struct TpOp {
    struct TpOp *next;
    void (*fn)(void *);
    void *arg;
    TpValue target;
} TpOp;

static struct {
    /* Read at every progress point; written rarely. */
    _Alignas(TP_LINE) _Atomic uint64_t global;
    _Atomic uint64_t wanted;
    _Atomic uint64_t defer_next;   /* target of the first deferred op */
    _Atomic(const void *) blocker; /* owner of the block, or NULL */
    _Atomic unsigned nslots;       /* slots handed out so far */
    unsigned depth;                /* block nesting; the owner's */
    /* Written by unmanaged threads. */
    _Alignas(TP_LINE) _Atomic unsigned delayers[2];
    /* Threads asleep in tp_wait(); read after each step. */
    _Alignas(TP_LINE) _Atomic unsigned nwaiters;
    pthread_mutex_t lock;
    pthread_cond_t block_cv; /* a slot went IDLE, or the block was released */
    pthread_cond_t park_cv;  /* the block was released */
    pthread_cond_t wait_cv;  /* G stepped */
    /* Deferred ops, sorted by target. */
    pthread_mutex_t defer_lock;
    TpOp *defer_head, **defer_tail;
} tp = {
    .defer_next = TP_NO_OP,
    .lock = PTHREAD_MUTEX_INITIALIZER,
    .block_cv = PTHREAD_COND_INITIALIZER,
    .park_cv = PTHREAD_COND_INITIALIZER,
    .wait_cv = PTHREAD_COND_INITIALIZER,
    .defer_lock = PTHREAD_MUTEX_INITIALIZER,
    .defer_tail = &tp.defer_head,
};

static TpThread tp_slots[TP_MAX_MANAGED];
static _Thread_local TpThread *tp_self;
static _Thread_local char tp_me; /* its address names the thread */

/*
 * ThreadSanitizer does not model fences (it still executes them, and GCC
 * warns): the happens-before edges the contract promises come from the
 * release/acquire pairs above, which it does check.
 */
#ifdef __SANITIZE_THREAD__
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wtsan"
#endif
static void tp_barrier(void)
{
    atomic_thread_fence(memory_order_seq_cst);
}
#ifdef __SANITIZE_THREAD__
#pragma GCC diagnostic pop
#endif

static uint64_t tp_global(void)
{
    return atomic_load_explicit(&tp.global, memory_order_acquire);
}

static void tp_confirm(TpThread *t, uint64_t g)
{
    assert(t->seen != TP_IDLE); /* an idle thread must come back through tp_wake() */
    tp_barrier();
    atomic_store_explicit(&t->value, g, memory_order_release);
    t->seen = g;
}

/* Raises 'wanted' to at least v. */
static void tp_want(uint64_t v)
{
    uint64_t w = atomic_load_explicit(&tp.wanted, memory_order_relaxed);
    while (w < v &&
           !atomic_compare_exchange_weak_explicit(&tp.wanted, &w, v, memory_order_relaxed,
                                                  memory_order_relaxed)) {
    }
}

/* Whether the step from g to g+1 is allowed now. */
static bool tp_step_allowed(uint64_t g)
{
    tp_barrier();
    if (atomic_load_explicit(&tp.delayers[(g + 1) & 1], memory_order_acquire)) return false;
    unsigned n = atomic_load_explicit(&tp.nslots, memory_order_acquire);
    for (unsigned i = 0; i < n; i++) {
        uint64_t s = atomic_load_explicit(&tp_slots[i].value, memory_order_acquire);
        if (s != g && s != TP_IDLE) return false;
    }
    return true;
}

static void tp_notify_waiters(void)
{
    /* seq_cst against tp_wait(), which counts itself in before loading G */
    if (!atomic_load_explicit(&tp.nwaiters, memory_order_seq_cst)) return;
    pthread_mutex_lock(&tp.lock);
    pthread_cond_broadcast(&tp.wait_cv);
    pthread_mutex_unlock(&tp.lock);
}

/*
 * Steps G towards max(wanted, goal) as far as allowed. t is NULL or the
 * calling managed thread, active at a progress point: it confirms each new
 * value at once so as not to hold up the next step itself.
 */
static void tp_advance(TpThread *t, uint64_t goal)
{
    bool stepped = false;
    for (;;) {
        uint64_t g = tp_global();
        if (t && t->seen != g) tp_confirm(t, g);
        uint64_t w = atomic_load_explicit(&tp.wanted, memory_order_relaxed);
        if (g >= w && g >= goal) break;
        if (!tp_step_allowed(g)) break;
        /* failure means another thread stepped: look again */
        if (atomic_compare_exchange_strong_explicit(&tp.global, &g, g + 1, memory_order_seq_cst,
                                                    memory_order_acquire))
            stepped = true;
    }
    if (stepped) tp_notify_waiters();
}

/* Whether a deferred op has reached its target. */
static bool tp_due(void)
{
    return atomic_load_explicit(&tp.defer_next, memory_order_relaxed) <= tp_global();
}

/* Runs the deferred ops whose target has been reached. */
static void tp_run_due(void)
{
    if (!tp_due()) return;
    uint64_t g = tp_global();
    pthread_mutex_lock(&tp.defer_lock);
    TpOp *due = tp.defer_head, *last = NULL;
    for (TpOp *op = due; op && op->target <= g; op = op->next) last = op;
    if (last) {
        tp.defer_head = last->next;
        last->next = NULL;
        if (!tp.defer_head) tp.defer_tail = &tp.defer_head;
        atomic_store_explicit(&tp.defer_next, tp.defer_head ? tp.defer_head->target : TP_NO_OP,
                              memory_order_relaxed);
    }
    pthread_mutex_unlock(&tp.defer_lock);
    if (!last) return;
    while (due) {
        TpOp *next = due->next;
        due->fn(due->arg);
        free(due);
        due = next;
    }
}

static bool tp_blocked_for_me(void)
{
    const void *b = atomic_load_explicit(&tp.blocker, memory_order_acquire);
    return b && b != &tp_me;
}

/* t becomes quiescent; it may have been the last one a step waited for. */
static void tp_go_idle(TpThread *t)
{
    atomic_store_explicit(&t->value, TP_IDLE, memory_order_release);
    t->seen = TP_IDLE;
    tp_barrier();
    if (atomic_load_explicit(&tp.blocker, memory_order_relaxed)) {
        pthread_mutex_lock(&tp.lock);
        pthread_cond_broadcast(&tp.block_cv);
        pthread_mutex_unlock(&tp.lock);
    }
    tp_advance(NULL, 0);
}

static void tp_park(TpThread *t)
{
    tp_go_idle(t);
    pthread_mutex_lock(&tp.lock);
    while (tp_blocked_for_me()) pthread_cond_wait(&tp.park_cv, &tp.lock);
    pthread_mutex_unlock(&tp.lock);
}

/* t leaves IDLE: it parks while another thread blocks, then confirms G. */
static void tp_rejoin(TpThread *t)
{
    for (;;) {
        atomic_store_explicit(&t->value, TP_BUSY, memory_order_relaxed);
        t->seen = TP_BUSY;
        tp_barrier();
        if (!tp_blocked_for_me()) break;
        tp_park(t);
    }
    tp_confirm(t, tp_global());
}

TpThread *tp_register_managed(void)
{
    if (tp_self) return tp_self;
    pthread_mutex_lock(&tp.lock);
    unsigned n = atomic_load_explicit(&tp.nslots, memory_order_relaxed);
    TpThread *t = NULL;
    for (unsigned i = 0; i < n && !t; i++)
        if (!tp_slots[i].in_use) t = &tp_slots[i];
    if (!t && n < TP_MAX_MANAGED) {
        t = &tp_slots[n];
        atomic_store_explicit(&t->value, TP_IDLE, memory_order_relaxed);
        atomic_store_explicit(&tp.nslots, n + 1, memory_order_release);
    }
    if (t) t->in_use = true;
    pthread_mutex_unlock(&tp.lock);
    if (!t) return NULL;
    tp_self = t;
    tp_rejoin(t);
    return t;
}

void tp_unregister_managed(TpThread *t)
{
    assert(t == tp_self);
    assert(atomic_load_explicit(&tp.blocker, memory_order_relaxed) != &tp_me);
    tp_sleep(t);
    pthread_mutex_lock(&tp.lock);
    t->in_use = false;
    pthread_mutex_unlock(&tp.lock);
    tp_self = NULL;
}

static void __attribute__((cold, noinline)) tp_progress_slow(TpThread *t)
{
    if (tp_blocked_for_me()) {
        tp_park(t);
        tp_rejoin(t);
    }
    tp_advance(t, 0);
    tp_run_due();
}

void tp_progress(TpThread *t)
{
    uint64_t g = tp_global();
    if (g != t->seen) tp_confirm(t, g);
    if (atomic_load_explicit(&tp.wanted, memory_order_relaxed) > g ||
        atomic_load_explicit(&tp.defer_next, memory_order_relaxed) <= g ||
        atomic_load_explicit(&tp.blocker, memory_order_relaxed))
        tp_progress_slow(t);
}

void tp_sleep(TpThread *t)
{
    tp_run_due(); /* while still active */
    tp_go_idle(t);
    /* With everyone else asleep, going quiescent lets the last steps
       through: run what that made due now rather than at the next wake.
       Deferred functions only run on active threads. */
    while (tp_due()) {
        tp_rejoin(t);
        tp_run_due();
        tp_go_idle(t);
    }
}

void tp_wake(TpThread *t)
{
    tp_rejoin(t);
    tp_progress(t);
}

TpValue tp_later(void)
{
    tp_barrier();
    TpValue v = atomic_fetch_add_explicit(&tp.global, 0, memory_order_seq_cst) + 2;
    tp_want(v);
    return v;
}

bool tp_has_reached(TpValue v)
{
    if (tp_global() >= v) return true;
    tp_advance(NULL, v);
    return tp_global() >= v;
}

void tp_wait(TpValue v)
{
    TpThread *self = tp_self;
    if (self) tp_go_idle(self);
    tp_want(v);
    while (!tp_has_reached(v)) {
        pthread_mutex_lock(&tp.lock);
        atomic_fetch_add_explicit(&tp.nwaiters, 1, memory_order_seq_cst);
        uint64_t g = atomic_load_explicit(&tp.global, memory_order_seq_cst);
        /* Sleep only if someone else must act first; they step and notify. */
        if (g < v && !tp_step_allowed(g)) pthread_cond_wait(&tp.wait_cv, &tp.lock);
        atomic_fetch_sub_explicit(&tp.nwaiters, 1, memory_order_relaxed);
        pthread_mutex_unlock(&tp.lock);
    }
    if (self) tp_rejoin(self);
    tp_run_due();
}

/* Whether every managed thread is IDLE (a managed blocker is, meanwhile). */
static bool tp_all_parked(void)
{
    unsigned n = atomic_load_explicit(&tp.nslots, memory_order_acquire);
    for (unsigned i = 0; i < n; i++)
        if (atomic_load_explicit(&tp_slots[i].value, memory_order_acquire) != TP_IDLE)
            return false;
    return true;
}

void tp_block(void)
{
    if (atomic_load_explicit(&tp.blocker, memory_order_relaxed) == &tp_me) {
        tp.depth++;
        return;
    }
    TpThread *self = tp_self;
    if (self) tp_go_idle(self); /* parked while it waits for its turn */
    pthread_mutex_lock(&tp.lock);
    while (atomic_load_explicit(&tp.blocker, memory_order_relaxed))
        pthread_cond_wait(&tp.block_cv, &tp.lock);
    atomic_store_explicit(&tp.blocker, &tp_me, memory_order_relaxed);
    tp.depth = 1;
    tp_barrier();
    while (!tp_all_parked()) pthread_cond_wait(&tp.block_cv, &tp.lock);
    pthread_mutex_unlock(&tp.lock);
    if (self) tp_rejoin(self);
}

void tp_unblock(void)
{
    assert(atomic_load_explicit(&tp.blocker, memory_order_relaxed) == &tp_me);
    if (--tp.depth) return;
    pthread_mutex_lock(&tp.lock);
    atomic_store_explicit(&tp.blocker, NULL, memory_order_release);
    pthread_cond_broadcast(&tp.park_cv);
    pthread_cond_broadcast(&tp.block_cv);
    pthread_mutex_unlock(&tp.lock);
}

TpDelay tp_delay(void)
{
    for (;;) {
        TpDelay d = atomic_load_explicit(&tp.global, memory_order_relaxed) & 1;
        atomic_fetch_add_explicit(&tp.delayers[d], 1, memory_order_seq_cst);
        tp_barrier();
        /* A step to the other parity may have slipped between the load and
           the increment; then this counter would hold the wrong step. */
        bool same = (atomic_load_explicit(&tp.global, memory_order_seq_cst) & 1) == d;
        tp_barrier();
        if (same) return d;
        tp_continue(d);
    }
}

void tp_continue(TpDelay d)
{
    atomic_fetch_sub_explicit(&tp.delayers[d], 1, memory_order_release);
    /* A step may have been refused because of this hold, and everyone
       else may be asleep: take it here. */
    tp_advance(NULL, 0);
}

void tp_defer(void (*fn)(void *), void *arg)
{
    TpOp *op = malloc(sizeof *op);
    if (!op) abort();
    op->next = NULL;
    op->fn = fn;
    op->arg = arg;
    pthread_mutex_lock(&tp.defer_lock);
    op->target = tp_later(); /* under the lock, so the queue stays sorted */
    *tp.defer_tail = op;
    tp.defer_tail = &op->next;
    if (tp.defer_head == op)
        atomic_store_explicit(&tp.defer_next, op->target, memory_order_relaxed);
    pthread_mutex_unlock(&tp.defer_lock);
}
