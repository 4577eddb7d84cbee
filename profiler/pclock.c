/* pclock.c - tick calibration (see pclock.h). */
#include "profiler/pclock.h"

#if defined(__x86_64__)
#include <cpuid.h>
#endif

bool pclock_uses_tsc;

static uint64_t base_ticks, base_ns;

/* A conversion needs this much time since the base to be exact to ~1e-5. */
#define MIN_CALIBRATION_NS 2000000u

static bool tsc_is_invariant(void)
{
#if defined(__x86_64__)
    unsigned a, b, c, d;
    if (!__get_cpuid(0x80000000u, &a, &b, &c, &d) || a < 0x80000007u) return false;
    __cpuid(0x80000007u, a, b, c, d);
    return (d >> 8) & 1u; /* invariant TSC */
#else
    return false;
#endif
}

void pclock_init(void)
{
    pclock_uses_tsc = tsc_is_invariant();
    base_ns = pclock_mono_ns();
    base_ticks = pclock_ticks();
}

double pclock_ns_per_tick(void)
{
    if (!pclock_uses_tsc) return 1.0;
    uint64_t now_ns, now_ticks;
    do { /* right after start-up, wait until the rate can be measured well */
        now_ns = pclock_mono_ns();
        now_ticks = pclock_ticks();
    } while (now_ns - base_ns < MIN_CALIBRATION_NS);
    return (double)(now_ns - base_ns) / (double)(now_ticks - base_ticks);
}
