/* sched_stats.c - scheduler statistics (see sched_stats.h). */
#include "sched/sched_stats.h"

#include <stdatomic.h>
#include <time.h>

typedef struct Slot {
    _Atomic uint64_t reductions, switches, busy_ns;
    char pad[64 - 3 * sizeof(uint64_t)]; /* one cache line each: written by one thread */
} Slot;

static Slot slots[SSTAT_MAX_SLOTS];
static atomic_bool wall_on;
static _Atomic uint64_t wall_since;

uint64_t sstat_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void sstat_slice(int slot, uint64_t reductions)
{
    if (slot < 0 || slot >= SSTAT_MAX_SLOTS) return;
    Slot *s = &slots[slot];
    atomic_store_explicit(&s->reductions, atomic_load_explicit(&s->reductions, memory_order_relaxed) + reductions,
                          memory_order_relaxed);
    atomic_store_explicit(&s->switches, atomic_load_explicit(&s->switches, memory_order_relaxed) + 1,
                          memory_order_relaxed);
}

bool sstat_wall_time_on(void) { return atomic_load_explicit(&wall_on, memory_order_relaxed); }

void sstat_busy(int slot, uint64_t ns)
{
    if (slot < 0 || slot >= SSTAT_MAX_SLOTS) return;
    atomic_fetch_add_explicit(&slots[slot].busy_ns, ns, memory_order_relaxed);
}

bool sstat_set_wall_time(bool on)
{
    bool old = atomic_load(&wall_on);
    if (on && !old) {
        for (int i = 0; i < SSTAT_MAX_SLOTS; i++) atomic_store_explicit(&slots[i].busy_ns, 0, memory_order_relaxed);
        atomic_store(&wall_since, sstat_now_ns());
    }
    atomic_store(&wall_on, on);
    return old;
}

bool sstat_wall_time(int slot, uint64_t *busy, uint64_t *total)
{
    if (!atomic_load(&wall_on) || slot < 0 || slot >= SSTAT_MAX_SLOTS) return false;
    *busy = atomic_load_explicit(&slots[slot].busy_ns, memory_order_relaxed);
    *total = sstat_now_ns() - atomic_load(&wall_since);
    if (*busy > *total) *busy = *total;
    return true;
}

static uint64_t sum(size_t offset)
{
    uint64_t n = 0;
    for (int i = 0; i < SSTAT_MAX_SLOTS; i++)
        n += atomic_load_explicit((_Atomic uint64_t *)((char *)&slots[i] + offset), memory_order_relaxed);
    return n;
}

uint64_t sstat_total_reductions(void) { return sum(offsetof(Slot, reductions)); }
uint64_t sstat_total_switches(void) { return sum(offsetof(Slot, switches)); }
