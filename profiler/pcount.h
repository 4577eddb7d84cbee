/*
 * pcount.h - call_count counters that schedulers bump without contention.
 *
 * A PCount holds one counter per profiling slot (prof_slot.h), each on its
 * own cache line, so schedulers counting calls of the same function never
 * share a line (OTP's single atomic counter per function ping-pongs between
 * cores). The owner of a slot adds with a plain load and store (atomic, so
 * readers see whole values, but no locked instruction). Threads without a
 * slot add to a shared counter with an atomic add. The total is the sum.
 */
#ifndef ERBIUM_PCOUNT_H
#define ERBIUM_PCOUNT_H

#include <stdatomic.h>
#include <stdint.h>

/* Words between two slots' counters: one cache line. */
#define PCOUNT_STRIDE 8

typedef struct PCount {
    /* the first cache line: `shared` (threads without a slot); then one line per
       slot, whose last word is the slot's counter */
    _Atomic uint64_t shared;
    _Atomic uint64_t c[];
} PCount;

/* A zeroed counter set for every slot; aborts when out of memory. */
PCount *pcount_new(void);
void pcount_free(PCount *pc);
/* Sum over all slots (each slot's value may be a moment old). */
uint64_t pcount_total(const PCount *pc);
/* Slot `slot`'s own count. */
uint64_t pcount_of_slot(const PCount *pc, int slot);

/* Where `slot`'s counter is in every PCount (an index into c[]), or -1 for
   PROF_NO_SLOT; a hot loop computes it once. */
static inline intptr_t pcount_index(int slot) { return slot < 0 ? -1 : slot * PCOUNT_STRIDE + PCOUNT_STRIDE - 1; }

/* Counts one call by the thread owning the slot whose pcount_index is `index` (>= 0). */
static inline void pcount_add_own(PCount *pc, intptr_t index)
{
    _Atomic uint64_t *mine = &pc->c[index];
    atomic_store_explicit(mine, atomic_load_explicit(mine, memory_order_relaxed) + 1, memory_order_relaxed);
}

/* Counts one call by the thread owning `slot` (or PROF_NO_SLOT). */
static inline void pcount_add(PCount *pc, int slot)
{
    if (slot < 0) atomic_fetch_add_explicit(&pc->shared, 1, memory_order_relaxed);
    else pcount_add_own(pc, pcount_index(slot));
}

#endif
