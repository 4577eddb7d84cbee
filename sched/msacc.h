/*
 * msacc.h - microstate accounting (prefix msacc_): how each VM thread spends
 * its time, as erlang:statistics(microstate_accounting) reports it.
 *
 * Every thread that takes part (schedulers, dirty threads, the timer thread,
 * the socket poller) registers once and then says which state it enters at
 * the points where its activity really changes (msacc_set). With accounting
 * off a switch costs one relaxed load of a global flag and a relaxed store of
 * the new state into the thread's own record (so accounting switched on later
 * knows what each thread is doing); with it on, a switch also reads the
 * monotonic clock and adds the time spent in the state it leaves, under the
 * record's own spinlock. Readers and the on/off/reset switch take each
 * record's lock briefly: counters are never torn and never raced.
 *
 * Counters are nanoseconds, erbium's perf_counter unit (msacc.erl converts
 * them with erlang:convert_time_unit(_, perf_counter, microsecond)).
 */
#ifndef ERBIUM_MSACC_H
#define ERBIUM_MSACC_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

/* OTP 25's default (non-extended) states, in the order of their names' atoms. */
typedef enum {
    MSACC_AUX,
    MSACC_CHECK_IO,
    MSACC_EMULATOR,
    MSACC_GC,
    MSACC_OTHER,
    MSACC_PORT,
    MSACC_SLEEP,
    MSACC_STATES
} MsaccState;

/* OTP's thread types (no async pool in erbium: thread_pool_size is 0). */
typedef enum {
    MSACC_T_SCHEDULER,
    MSACC_T_DIRTY_CPU,
    MSACC_T_DIRTY_IO,
    MSACC_T_POLL,
    MSACC_T_AUX,
} MsaccType;

/* One thread's record. `state` is written only by its thread; the rest is under `lock`. */
typedef struct Msacc {
    _Atomic int state;        /* a MsaccState */
    atomic_flag lock;
    bool live;                /* in the list (changed under the list's mutex) */
    bool active;              /* counting: accounting was on when last looked at */
    MsaccType type;
    int id;
    uint64_t since;           /* when it entered `state` (while active) */
    uint64_t ns[MSACC_STATES];
} Msacc;

/* The calling thread's record (NULL on threads that did not register). */
extern _Thread_local Msacc *msacc_me;
extern atomic_bool msacc_on;

/* Registers the calling thread as thread `id` of `type`, in state `initial`. */
void msacc_register(MsaccType type, int id, MsaccState initial);
/* Called by a registered thread before it exits: its record leaves the list. */
void msacc_unregister(void);

/* The accounting half of a switch (accounting is on). */
void msacc_switch(Msacc *m, MsaccState s);

/* The calling thread enters state s. */
static inline void msacc_set(MsaccState s)
{
    Msacc *m = msacc_me;
    if (!m) return;
    if (atomic_load_explicit(&msacc_on, memory_order_relaxed)) msacc_switch(m, s);
    else atomic_store_explicit(&m->state, (int)s, memory_order_relaxed);
}

/* msacc_set, returning the state the thread was in (to go back to). */
static inline MsaccState msacc_swap(MsaccState s)
{
    Msacc *m = msacc_me;
    if (!m) return MSACC_OTHER;
    MsaccState old = (MsaccState)atomic_load_explicit(&m->state, memory_order_relaxed);
    msacc_set(s);
    return old;
}

/* system_flag(microstate_accounting, true | false): the old setting. */
bool msacc_enable(bool on);
/* system_flag(microstate_accounting, reset): zeroes every counter; returns whether accounting is on. */
bool msacc_reset(void);

typedef struct MsaccCounts {
    MsaccType type;
    int id;
    uint64_t ns[MSACC_STATES];
} MsaccCounts;

/* Every registered thread's counters, up to now (a malloc'ed array; *n entries). NULL if out of memory. */
MsaccCounts *msacc_collect(int *n);

#endif
