/* pcount.c - per-slot call counters (see pcount.h). */
#include "profiler/pcount.h"

#include "profiler/prof_slot.h"

#include <stdlib.h>
#include <string.h>

PCount *pcount_new(void)
{
    size_t bytes = (size_t)prof_slot_count() * sizeof(PCount);
    PCount *pc = aligned_alloc(_Alignof(PCount), bytes);
    if (!pc) abort();
    memset(pc, 0, bytes);
    return pc;
}

void pcount_free(PCount *pc) { free(pc); }

uint64_t pcount_of_slot(const PCount *pc, int slot) { return atomic_load_explicit(&pc[slot].n, memory_order_relaxed); }

uint64_t pcount_total(const PCount *pc)
{
    uint64_t sum = 0;
    for (int s = 0; s < prof_slot_count(); s++) sum += pcount_of_slot(pc, s);
    return sum;
}
