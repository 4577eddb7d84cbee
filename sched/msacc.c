/*
 * msacc.c - microstate accounting (see msacc.h).
 *
 * The records live in one static array, so a reader never meets a freed
 * one; a thread that exits marks its record free and the next thread to
 * register reuses it. `list_lock` orders registering, switching accounting
 * on/off, resetting and reading; a thread's own switches never take it.
 */
#include "sched/msacc.h"

#include "sched/sched_stats.h"

#include <ck_pr.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>

#define MSACC_MAX_THREADS 1100 /* schedulers + dirty threads (sched_stats' 1024 slots) + a few */

_Thread_local Msacc *msacc_me;
atomic_bool msacc_on;

static Msacc records[MSACC_MAX_THREADS];
static int nrecords; /* records used so far (live or free), under list_lock */
static pthread_mutex_t list_lock = PTHREAD_MUTEX_INITIALIZER;

static void rec_lock(Msacc *m)
{
    /* held for a few instructions, but its holder may be preempted inside them: after a short
       spin the CPU goes to it rather than to the rest of this time slice (unit_msacc's reader
       took 62 s under load against 5 switching threads on 2 cores) */
    for (unsigned spins = 0; atomic_flag_test_and_set_explicit(&m->lock, memory_order_acquire); spins++) {
        if (spins < 128) ck_pr_stall();
        else sched_yield();
    }
}

static void rec_unlock(Msacc *m) { atomic_flag_clear_explicit(&m->lock, memory_order_release); }

/* Adds the time since m entered its state to that state (lock held, m active). The clock is
   read under the lock: an earlier reading could precede the owner's last switch, and moving
   `since` back would count that stretch twice. */
static void close_interval(Msacc *m)
{
    uint64_t now = sstat_now_ns();
    int s = atomic_load_explicit(&m->state, memory_order_relaxed);
    if (now > m->since) {
        m->ns[s] += now - m->since;
        m->since = now;
    }
}

void msacc_switch(Msacc *m, MsaccState s)
{
    rec_lock(m);
    if (m->active) close_interval(m);
    atomic_store_explicit(&m->state, (int)s, memory_order_relaxed);
    rec_unlock(m);
}

void msacc_register(MsaccType type, int id, MsaccState initial)
{
    pthread_mutex_lock(&list_lock);
    Msacc *m = NULL;
    for (int i = 0; i < nrecords && !m; i++)
        if (!records[i].live) m = &records[i];
    if (!m && nrecords < MSACC_MAX_THREADS) m = &records[nrecords++];
    if (m) {
        rec_lock(m);
        m->live = true;
        m->type = type;
        m->id = id;
        for (int s = 0; s < MSACC_STATES; s++) m->ns[s] = 0;
        atomic_store_explicit(&m->state, (int)initial, memory_order_relaxed);
        m->active = atomic_load(&msacc_on);
        m->since = sstat_now_ns();
        rec_unlock(m);
    }
    pthread_mutex_unlock(&list_lock);
    msacc_me = m;
}

void msacc_unregister(void)
{
    Msacc *m = msacc_me;
    if (!m) return;
    msacc_me = NULL;
    pthread_mutex_lock(&list_lock);
    rec_lock(m);
    m->live = false;
    m->active = false;
    rec_unlock(m);
    pthread_mutex_unlock(&list_lock);
}

/*
 * The flag is raised before the records start counting and lowered after
 * they stop, so a thread that sees it off is never counting: its unlocked
 * state store then only decides where the next interval starts.
 */
bool msacc_enable(bool on)
{
    pthread_mutex_lock(&list_lock);
    bool old = atomic_load(&msacc_on);
    if (on) atomic_store(&msacc_on, true);
    if (on != old) {
        for (int i = 0; i < nrecords; i++) {
            Msacc *m = &records[i];
            rec_lock(m);
            if (m->live && on) {
                m->active = true;
                m->since = sstat_now_ns();
            } else if (m->live && m->active) {
                close_interval(m);
                m->active = false;
            }
            rec_unlock(m);
        }
    }
    if (!on) atomic_store(&msacc_on, false);
    pthread_mutex_unlock(&list_lock);
    return old;
}

bool msacc_reset(void)
{
    pthread_mutex_lock(&list_lock);
    for (int i = 0; i < nrecords; i++) {
        Msacc *m = &records[i];
        rec_lock(m);
        for (int s = 0; s < MSACC_STATES; s++) m->ns[s] = 0;
        m->since = sstat_now_ns();
        rec_unlock(m);
    }
    bool on = atomic_load(&msacc_on);
    pthread_mutex_unlock(&list_lock);
    return on;
}

MsaccCounts *msacc_collect(int *n)
{
    pthread_mutex_lock(&list_lock);
    MsaccCounts *out = malloc(sizeof *out * (size_t)(nrecords ? nrecords : 1));
    int k = 0;
    for (int i = 0; out && i < nrecords; i++) {
        Msacc *m = &records[i];
        rec_lock(m);
        if (m->live) {
            if (m->active) close_interval(m);
            out[k].type = m->type;
            out[k].id = m->id;
            for (int s = 0; s < MSACC_STATES; s++) out[k].ns[s] = m->ns[s];
            k++;
        }
        rec_unlock(m);
    }
    pthread_mutex_unlock(&list_lock);
    *n = k;
    return out;
}
