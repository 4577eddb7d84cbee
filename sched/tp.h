/*
 * tp.h - thread progress: knowing when every scheduler has moved on.
 *
 * Lock-free readers (code lookup, breakpoints, tables) never take a lock or
 * touch a shared counter. A writer that unlinks or changes shared data
 * instead waits until every managed thread (the normal schedulers) has
 * passed a progress point, then frees or finishes the change. Managed
 * threads report progress at each scheduling point with tp_progress(); a
 * thread that sleeps (tp_sleep() .. tp_wake()) counts as having progressed.
 * Threads that are not managed (dirty schedulers, the main thread, timers)
 * take no part and are not waited for; tp_delay() lets them hold progress
 * back around a short read. tp.c explains the algorithm.
 *
 * Rules for managed threads:
 *  - register once with tp_register_managed(), unregister before exiting;
 *  - call tp_progress() often (each scheduling point): a thread that stops
 *    calling it without tp_sleep() stalls every waiter and every blocker;
 *  - hold no reference to progress-protected data across a progress point:
 *    tp_progress(), tp_sleep(), tp_wake(), tp_wait(), tp_block();
 *  - between tp_sleep() and tp_wake() run no code that reads such data.
 *
 * Guarantees (v = tp_later(), called by any thread):
 *  - Once tp_has_reached(v) is true (or tp_wait(v) returned), every managed
 *    thread has, since tp_later() began, either executed a progress point
 *    (which includes a full memory barrier) or been quiescent (asleep,
 *    parked, waiting, not registered); whatever it runs afterwards starts
 *    after a full barrier executed after tp_later() began. Hence:
 *  - data the caller of tp_later() unlinked before the call is referenced by
 *    no managed thread any more and may be freed;
 *  - what the caller wrote before tp_later() happens-before (C11 sense)
 *    whatever a managed thread runs after its progress point that reached
 *    v, plain variables included; and what managed threads did before
 *    that point happens-before the tp_has_reached()/tp_wait() that saw v.
 *  - Values are ordered: reaching v means reaching every smaller value.
 *
 * Blocking: tp_block() returns when every other managed thread is parked
 * in a tp function (or asleep: a thread calling tp_wake() while blocked
 * parks before it returns). Until the matching tp_unblock() no other
 * managed thread runs any code outside the tp functions, except what an
 * asleep thread runs before it calls tp_wake(). Blocks nest: the
 * owner may call tp_block() again, and only the last tp_unblock() releases.
 * Only one thread owns a block at a time: a second blocker waits (a managed
 * one counting as parked meanwhile) until the first has fully unblocked.
 * Everything parked threads did before parking happens-before tp_block()
 * returns; the owner's work happens-before they resume. Progress values
 * keep advancing during a block (parked threads are quiescent), so the
 * owner may call tp_wait(). Unmanaged threads are not stopped.
 */
#ifndef ERBIUM_TP_H
#define ERBIUM_TP_H

#include <stdbool.h>
#include <stdint.h>

/* At most this many managed threads are registered at once. */
#define TP_MAX_MANAGED 256

/* A progress value; compare only through tp_has_reached(). */
typedef uint64_t TpValue;

/* A managed thread's handle; use it only on that thread. */
typedef struct TpThread TpThread;

/* Hands back tp_delay()'s hold to tp_continue(). */
typedef unsigned TpDelay;

/*
 * Makes the calling thread managed. It is active on return (it parks first
 * if a block is in force). Returns the thread's handle (the same one if it
 * was already registered), or NULL if TP_MAX_MANAGED threads are.
 */
TpThread *tp_register_managed(void);
/* The thread stops being managed; call it at a progress point, before exit. */
void tp_unregister_managed(TpThread *t);

/*
 * A progress point. Fast when nothing is asked of this thread: a few loads,
 * plus a full barrier and a store when the global value moved. Otherwise it
 * also helps advance the global value, runs deferred functions that are
 * due, and parks while another thread blocks.
 */
void tp_progress(TpThread *t);
/* The thread goes quiescent (about to sleep). It first runs the deferred
   functions that are due, and those that its going quiescent makes due. */
void tp_sleep(TpThread *t);
/* The thread is active again; parks first if a block is in force. */
void tp_wake(TpThread *t);

/* A value that is reached once every managed thread has progressed past this call. */
TpValue tp_later(void);
/* Whether v has been reached. Never blocks; may advance the global value. */
bool tp_has_reached(TpValue v);
/*
 * Waits (sleeping on a condition variable, not spinning) until v is reached,
 * then runs deferred functions that are due. Any thread; a managed caller
 * counts as asleep while it waits and must be at a progress point.
 */
void tp_wait(TpValue v);

/* Stops every other managed thread (see above). Any thread; a managed caller
   counts as parked until it owns the block and must be at a progress point. */
void tp_block(void);
/* Undoes one tp_block() of the calling thread, which must own the block. */
void tp_unblock(void);

/*
 * For an unmanaged thread: between tp_delay() returning and tp_continue(),
 * the global value advances at most one step, so no value from a
 * tp_later() call that began after tp_delay() returned is reached, and no
 * function passed to tp_defer() after tp_delay() returned runs. So data the
 * thread finds through a shared pointer after tp_delay() stays valid until
 * tp_continue() when writers unlink it and then free it through tp_defer()
 * or tp_wait(tp_later()). What the thread did before tp_continue() happens-
 * before such a free. Keep the section short: it delays every waiter. Never
 * call tp_wait() or tp_block() inside it (that would wait for itself).
 */
TpDelay tp_delay(void);
void tp_continue(TpDelay d);

/*
 * Calls fn(arg) once, after every managed thread has progressed past this
 * call (the guarantees of tp_later() hold for fn). fn runs on an active
 * managed thread inside tp_progress(), tp_sleep(), tp_wake() or
 * tp_unregister_managed(), or in a thread returning from tp_wait(); never
 * with a tp lock held, never before this returns. fn may call tp_defer(),
 * tp_later() and tp_has_reached(), but not tp_wait() or tp_block(). If
 * every managed thread sleeps and nobody calls tp_wait(), fn runs when one
 * wakes. Aborts if out of memory.
 */
void tp_defer(void (*fn)(void *), void *arg);

#endif
