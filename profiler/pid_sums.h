/*
 * pid_sums.h - call_time (or call_memory) data summed per process across the slots' tables
 * (a process that migrated between schedulers has an item in each).
 */
#ifndef ERBIUM_PID_SUMS_H
#define ERBIUM_PID_SUMS_H

#include "profiler/ptime.h"

#include <stddef.h>
#include <stdint.h>

typedef struct PidSum {
    Term pid;       /* 0 in unused entries of the table */
    uint64_t calls;
    uint64_t ticks;
} PidSum;

typedef struct PidSums {
    PidSum *v;      /* open-addressing table; iterate all cap entries, skip pid 0 */
    size_t cap, n;
} PidSums;

void pid_sums_init(PidSums *s);
void pid_sums_free(PidSums *s);
void pid_sums_add(PidSums *s, Term pid, uint64_t calls, uint64_t ticks);
/* The sums of pid, or NULL. */
const PidSum *pid_sums_get(const PidSums *s, Term pid);
/* Adds every item of t (the caller may read t: see ptime.h). */
void pid_sums_add_time(PidSums *s, const PTime *t);

#endif
