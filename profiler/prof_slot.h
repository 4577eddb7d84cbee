/*
 * prof_slot.h - which profiling slot the calling thread writes to.
 *
 * Profiling data is written without contention: every scheduler thread and
 * every dirty scheduler thread owns one slot (an index) and is the only
 * writer of that slot's counters and call_time tables. Normal schedulers
 * have slots 0 .. n-1, dirty threads n .. n+d-1. Other threads have no slot
 * (PROF_NO_SLOT).
 */
#ifndef ERBIUM_PROF_SLOT_H
#define ERBIUM_PROF_SLOT_H

#define PROF_NO_SLOT (-1)

extern _Thread_local int prof_slot_current;

/* The calling thread's slot, or PROF_NO_SLOT. */
static inline int prof_slot(void) { return prof_slot_current; }

/* Sets the number of slots; once, before the threads that own them start. */
void prof_slot_configure(int schedulers, int dirty_threads);
/* Called by a thread that owns `slot` when it starts. */
void prof_slot_claim(int slot);
/* Number of slots (normal schedulers + dirty threads); at least 1. */
int prof_slot_count(void);
/* Number of normal scheduler slots (the first ones). */
int prof_slot_schedulers(void);

#endif
