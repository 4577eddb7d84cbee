/*
 * ets_lock.h - the reader-writer lock that guards a hash stripe or a tree.
 *
 * A plain table takes a pthread reader-writer lock (preferring writers).
 * A table with read_concurrency takes a big-reader lock instead: each
 * scheduler announces its readers in a counter on a cache line of its own,
 * so readers on different schedulers never write a shared line (a pthread
 * rwlock makes every reader write the lock word, which bounces between the
 * cores). A writer raises a flag and waits until every counter is zero:
 * writes cost more, as OTP's read_concurrency documents.
 */
#ifndef ERBIUM_ETS_LOCK_H
#define ERBIUM_ETS_LOCK_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

/* Reader counters of a big-reader lock: scheduler i counts in slot i mod ETS_READER_SLOTS. */
#define ETS_READER_SLOTS 8

typedef struct EtsReaderSlot {
    _Atomic long n;
} __attribute__((aligned(64))) EtsReaderSlot;

typedef struct EtsReaders {
    EtsReaderSlot slot[ETS_READER_SLOTS];
    _Atomic int writer;     /* a writer holds, or waits for, the lock */
    pthread_mutex_t writers; /* one writer at a time; readers wait on it while one writes */
} EtsReaders;

typedef struct EtsRw {
    pthread_rwlock_t rw;   /* without read_concurrency */
    EtsReaders *readers;   /* with read_concurrency (else NULL) */
} EtsRw;

/* False when out of memory. */
bool ets_rw_init(EtsRw *l, bool read_concurrency);
void ets_rw_destroy(EtsRw *l);
void ets_rw_lock(EtsRw *l, bool write);
/* Takes the write lock if no other writer holds it and readers leave within a short spin;
   else false (a reader may be waiting for a lock the caller holds). */
bool ets_rw_trywrite(EtsRw *l);
/* write: what ets_rw_lock took. Must be called on the thread that locked. */
void ets_rw_unlock(EtsRw *l, bool write);

#endif
