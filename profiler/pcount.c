/* pcount.c - per-slot call counters (see pcount.h). */
#include "profiler/pcount.h"

#include "profiler/prof_slot.h"

#include <stdlib.h>
#include <string.h>

#define LINE_BYTES (PCOUNT_STRIDE * sizeof(uint64_t))

PCount *pcount_new(void)
{
    size_t bytes = (size_t)(prof_slot_count() + 1) * LINE_BYTES;
    PCount *pc = aligned_alloc(LINE_BYTES, bytes);
    if (!pc) abort();
    memset(pc, 0, bytes);
    return pc;
}

void pcount_free(PCount *pc) { free(pc); }

uint64_t pcount_of_slot(const PCount *pc, int slot)
{
    return atomic_load_explicit(&pc->c[pcount_index(slot)], memory_order_relaxed);
}

uint64_t pcount_total(const PCount *pc)
{
    uint64_t sum = atomic_load_explicit(&pc->shared, memory_order_relaxed);
    for (int s = 0; s < prof_slot_count(); s++) sum += pcount_of_slot(pc, s);
    return sum;
}
