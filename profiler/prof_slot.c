/* prof_slot.c - per-thread profiling slots (see prof_slot.h). */
#include "profiler/prof_slot.h"

#include "profiler/sample.h"

_Thread_local int prof_slot_current = PROF_NO_SLOT;

/* Written before any slot owner starts (thread creation orders it). */
static int num_schedulers = 1;
static int num_slots = 1;

void prof_slot_configure(int schedulers, int dirty_threads)
{
    num_schedulers = schedulers > 0 ? schedulers : 1;
    num_slots = num_schedulers + (dirty_threads > 0 ? dirty_threads : 0);
}

void prof_slot_claim(int slot)
{
    prof_slot_current = slot;
    sample_register_slot(slot);
}
int prof_slot_count(void) { return num_slots; }
int prof_slot_schedulers(void) { return num_schedulers; }
