/*
 * ptime.h - call_time storage for one function: per-slot hash tables of
 * {pid, calls, ticks}.
 *
 * Each profiling slot (prof_slot.h: a scheduler or a dirty thread) has its
 * own open-addressing table keyed by pid (linear probing), written only by
 * the thread owning the slot, so recording takes no lock. A process that
 * migrates has items in several tables; readers sum them.
 *
 * Readers run concurrently with the owner. Items are never moved within a
 * table; a full table is replaced by one twice as large (published with a
 * release store) and the old one is freed through thread progress
 * (tp_defer). So a reader must be a managed thread between two progress
 * points, or an unmanaged thread inside tp_delay()/tp_continue(). Values
 * read may be a moment old.
 */
#ifndef ERBIUM_PTIME_H
#define ERBIUM_PTIME_H

#include "runtime/term/term.h"

#include <stdatomic.h>
#include <stdint.h>

typedef struct PTimeItem {
    _Atomic Term pid; /* 0 while the item is free */
    _Atomic uint64_t calls;
    _Atomic uint64_t ticks;
} PTimeItem;

typedef struct PTimeTable PTimeTable;

typedef struct PTime {
    int slots;
    _Atomic(PTimeTable *) table[]; /* per slot; NULL until its owner first records */
} PTime;

/* Empty tables for every slot; aborts when out of memory. */
PTime *ptime_new(void);
/* Frees t and its tables; no thread may use it any more. */
void ptime_free(PTime *t);

/* The item of `pid` in `slot`'s table, added if missing. Only the slot's owner calls it. */
PTimeItem *ptime_item(PTime *t, int slot, Term pid);

/* Adds to an item of the caller's own slot (plain load and store: one writer). */
static inline void ptime_add(PTimeItem *it, uint64_t calls, uint64_t ticks)
{
    atomic_store_explicit(&it->calls, atomic_load_explicit(&it->calls, memory_order_relaxed) + calls,
                          memory_order_relaxed);
    atomic_store_explicit(&it->ticks, atomic_load_explicit(&it->ticks, memory_order_relaxed) + ticks,
                          memory_order_relaxed);
}

/* Calls fn for every item of every slot (see the reader rules above). */
typedef void PTimeVisit(int slot, Term pid, uint64_t calls, uint64_t ticks, void *ctx);
void ptime_foreach(const PTime *t, PTimeVisit *fn, void *ctx);

#endif
