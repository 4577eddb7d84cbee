/*
 * pclock.h - the call_time clock: cheap timestamps in ticks.
 *
 * On x86-64 with an invariant TSC (constant rate, running in every power
 * state; CPUID says so) a tick is one TSC cycle read with rdtsc, about
 * 12 ns here against 30 ns for clock_gettime(CLOCK_MONOTONIC). Elsewhere a
 * tick is a nanosecond of CLOCK_MONOTONIC. Ticks are only differenced and
 * summed on the hot path; pclock_to_ns_at converts sums when they are read,
 * with a rate measured against CLOCK_MONOTONIC since pclock_init, so the
 * longer the VM runs the more exact the conversion.
 */
#ifndef ERBIUM_PCLOCK_H
#define ERBIUM_PCLOCK_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#if defined(__x86_64__)
#include <x86intrin.h>
#endif

extern bool pclock_uses_tsc;

/* Fixes the calibration base. Call once at start-up, before any reading. */
void pclock_init(void);

static inline uint64_t pclock_mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Now, in ticks. */
static inline uint64_t pclock_ticks(void)
{
#if defined(__x86_64__)
    if (pclock_uses_tsc) return __rdtsc();
#endif
    return pclock_mono_ns();
}

/* Nanoseconds per tick, measured now (for converting many values). */
double pclock_ns_per_tick(void);
/* Nanoseconds in `ticks` (a difference or a sum of differences). */
static inline uint64_t pclock_to_ns_at(double ns_per_tick, uint64_t ticks)
{
    return (uint64_t)((double)ticks * ns_per_tick + 0.5);
}

#endif
