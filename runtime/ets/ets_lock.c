/* ets_lock.c - plain and big-reader locks for ETS storage (see ets_lock.h). */
#include "runtime/ets/ets_lock.h"

#include "sched/sched.h"

#include <ck_pr.h>
#include <sched.h>
#include <stdlib.h>

bool ets_rw_init(EtsRw *l, bool read_concurrency)
{
    l->readers = NULL;
    if (read_concurrency) {
        EtsReaders *r = aligned_alloc(64, (sizeof(EtsReaders) + 63) / 64 * 64);
        if (!r) return false;
        for (int i = 0; i < ETS_READER_SLOTS; i++) atomic_init(&r->slot[i].n, 0);
        atomic_init(&r->writer, 0);
        pthread_mutex_init(&r->writers, NULL);
        l->readers = r;
    }
    pthread_rwlockattr_t attr;
    pthread_rwlockattr_init(&attr);
    /* a stream of readers must not starve a writer */
    pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
    pthread_rwlock_init(&l->rw, &attr);
    pthread_rwlockattr_destroy(&attr);
    return true;
}

void ets_rw_destroy(EtsRw *l)
{
    pthread_rwlock_destroy(&l->rw);
    if (l->readers) {
        pthread_mutex_destroy(&l->readers->writers);
        free(l->readers);
        l->readers = NULL;
    }
}

/* The calling thread's reader counter: its scheduler's, or the last one for other threads. */
static inline EtsReaderSlot *my_slot(EtsReaders *r)
{
    int s = sched_self();
    return &r->slot[s >= 0 ? s % ETS_READER_SLOTS : ETS_READER_SLOTS - 1];
}

static void read_lock(EtsReaders *r)
{
    EtsReaderSlot *s = my_slot(r);
    for (;;) {
        /* Announce, then look for a writer; a writer raises its flag, then
           looks at the counters (both sequentially consistent), so one of
           the two always sees the other. */
        atomic_fetch_add_explicit(&s->n, 1, memory_order_seq_cst);
        if (!atomic_load_explicit(&r->writer, memory_order_seq_cst)) return;
        atomic_fetch_sub_explicit(&s->n, 1, memory_order_release);
        /* wait out the writer without spinning through its whole write */
        pthread_mutex_lock(&r->writers);
        pthread_mutex_unlock(&r->writers);
    }
}

/* With the writers' mutex held: raise the flag and wait out the readers. */
static void exclude_readers(EtsReaders *r)
{
    atomic_store_explicit(&r->writer, 1, memory_order_seq_cst);
    for (int i = 0; i < ETS_READER_SLOTS; i++) {
        for (unsigned spins = 0; atomic_load_explicit(&r->slot[i].n, memory_order_seq_cst) != 0; spins++) {
            if (spins < 256) ck_pr_stall();
            else sched_yield(); /* a reader may have been preempted inside */
        }
    }
}

static void write_lock(EtsReaders *r)
{
    pthread_mutex_lock(&r->writers);
    exclude_readers(r);
}

/*
 * With the writers' mutex held: raise the flag and give the readers a short while to
 * leave; if one stays, lower it and fail. A try must not wait for readers: one may be
 * a whole-table reader (ets_lock_all) that holds this lock and waits for a lock the
 * trying writer holds (a resize step from a put holding its own stripe).
 */
static bool try_exclude_readers(EtsReaders *r)
{
    atomic_store_explicit(&r->writer, 1, memory_order_seq_cst);
    for (int i = 0; i < ETS_READER_SLOTS; i++) {
        for (unsigned spins = 0; atomic_load_explicit(&r->slot[i].n, memory_order_seq_cst) != 0; spins++) {
            if (spins == 256) {
                atomic_store_explicit(&r->writer, 0, memory_order_seq_cst);
                return false;
            }
            ck_pr_stall();
        }
    }
    return true;
}

bool ets_rw_trywrite(EtsRw *l)
{
    if (!l->readers) return pthread_rwlock_trywrlock(&l->rw) == 0;
    if (pthread_mutex_trylock(&l->readers->writers) != 0) return false;
    if (try_exclude_readers(l->readers)) return true;
    pthread_mutex_unlock(&l->readers->writers);
    return false;
}

void ets_rw_lock(EtsRw *l, bool write)
{
    if (l->readers) {
        if (write) write_lock(l->readers);
        else read_lock(l->readers);
    } else if (write) {
        pthread_rwlock_wrlock(&l->rw);
    } else {
        pthread_rwlock_rdlock(&l->rw);
    }
}

void ets_rw_unlock(EtsRw *l, bool write)
{
    EtsReaders *r = l->readers;
    if (!r) {
        pthread_rwlock_unlock(&l->rw);
    } else if (write) {
        atomic_store_explicit(&r->writer, 0, memory_order_release);
        pthread_mutex_unlock(&r->writers);
    } else {
        atomic_fetch_sub_explicit(&my_slot(r)->n, 1, memory_order_release);
    }
}
