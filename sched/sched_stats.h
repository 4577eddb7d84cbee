/*
 * sched_stats.h - what erlang:statistics/1 reports about the schedulers
 * (prefix sstat_): reductions, context switches, run queue lengths, and
 * scheduler wall time when system_flag(scheduler_wall_time, true) asks
 * for it. Each scheduler and dirty thread writes only its own slot
 * (relaxed atomics); readers sum the slots.
 */
#ifndef ERBIUM_SCHED_STATS_H
#define ERBIUM_SCHED_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Slots: normal schedulers first, then dirty CPU threads, then dirty I/O threads. */
#define SSTAT_MAX_SLOTS 1024

/* Called by a scheduler after a slice of `reductions` reductions. */
void sstat_slice(int slot, uint64_t reductions);
/* Whether wall time is being measured; a thread adds its busy time with sstat_busy. */
bool sstat_wall_time_on(void);
void sstat_busy(int slot, uint64_t ns);
/* Monotonic nanoseconds (the clock busy times are measured with). */
uint64_t sstat_now_ns(void);

/* system_flag(scheduler_wall_time, On): the old setting. Turning it on restarts the counts. */
bool sstat_set_wall_time(bool on);
/* Busy and total nanoseconds of a slot since wall time was turned on (false if it is off). */
bool sstat_wall_time(int slot, uint64_t *busy, uint64_t *total);

uint64_t sstat_total_reductions(void);
uint64_t sstat_total_switches(void);

#endif
