/*
 * pcount.h - call_count counters that schedulers bump without contention.
 *
 * A PCount array holds one counter per profiling slot (prof_slot.h), each on its
 * own cache line, so schedulers counting calls of the same function never
 * share a line (OTP's single atomic counter per function ping-pongs between
 * cores). The owner of a slot adds with a plain load and store (atomic, so
 * readers see whole values, but no locked instruction). Only threads that
 * own a slot run Erlang code, so only they count. The total is the sum.
 */
#ifndef ERBIUM_PCOUNT_H
#define ERBIUM_PCOUNT_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

/* One slot's counter, alone on its cache line. */
typedef struct PCount {
    _Alignas(64) _Atomic uint64_t n;
} PCount;

/* A zeroed counter for every slot (an array of pcount lines); aborts when out of memory. */
PCount *pcount_new(void);
void pcount_free(PCount *pc);
/* Sum over all slots (each slot's value may be a moment old). */
uint64_t pcount_total(const PCount *pc);
/* Slot `slot`'s own count. */
uint64_t pcount_of_slot(const PCount *pc, int slot);

/* Counts one call by the thread owning `slot`. */
static inline void pcount_add(PCount *pc, size_t slot)
{
    _Atomic uint64_t *mine = &pc[slot].n;
    atomic_store_explicit(mine, atomic_load_explicit(mine, memory_order_relaxed) + 1, memory_order_relaxed);
}

#endif
