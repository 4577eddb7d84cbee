/* ptime.c - per-slot call_time hash tables (see ptime.h). */
#include "profiler/ptime.h"

#include "profiler/prof_slot.h"
#include "sched/tp.h"

#include <stdlib.h>

#define START_CAPACITY 32u

struct PTimeTable {
    uint32_t mask; /* capacity - 1 (a power of two) */
    uint32_t used; /* owner only */
    PTimeItem items[];
};

static PTimeTable *table_new(uint32_t capacity)
{
    PTimeTable *tab = calloc(1, sizeof *tab + capacity * sizeof(PTimeItem));
    if (!tab) abort();
    tab->mask = capacity - 1;
    return tab;
}

PTime *ptime_new(void)
{
    int slots = prof_slot_count();
    PTime *t = calloc(1, sizeof *t + (size_t)slots * sizeof t->table[0]);
    if (!t) abort();
    t->slots = slots;
    return t;
}

void ptime_free(PTime *t)
{
    if (!t) return;
    for (int s = 0; s < t->slots; s++) free(atomic_load_explicit(&t->table[s], memory_order_relaxed));
    free(t);
}

static uint32_t pid_hash(Term pid) { return (uint32_t)(((pid >> 4) * 0x9E3779B97F4A7C15ull) >> 32); }

/* The item for pid, or the free item where it belongs. */
static PTimeItem *probe(PTimeTable *tab, Term pid)
{
    for (uint32_t i = pid_hash(pid) & tab->mask;; i = (i + 1) & tab->mask) {
        Term key = atomic_load_explicit(&tab->items[i].pid, memory_order_relaxed);
        if (key == pid || key == 0) return &tab->items[i];
    }
}

static void free_table(void *tab) { free(tab); }

/* A table twice as large with the same items; the old one goes once readers are done. */
static PTimeTable *grow(PTime *t, int slot, PTimeTable *old)
{
    PTimeTable *tab = table_new((old->mask + 1) * 2);
    for (uint32_t i = 0; i <= old->mask; i++) {
        PTimeItem *from = &old->items[i];
        Term pid = atomic_load_explicit(&from->pid, memory_order_relaxed);
        if (!pid) continue;
        PTimeItem *to = probe(tab, pid);
        atomic_store_explicit(&to->calls, atomic_load_explicit(&from->calls, memory_order_relaxed),
                              memory_order_relaxed);
        atomic_store_explicit(&to->ticks, atomic_load_explicit(&from->ticks, memory_order_relaxed),
                              memory_order_relaxed);
        atomic_store_explicit(&to->pid, pid, memory_order_relaxed);
    }
    tab->used = old->used;
    atomic_store_explicit(&t->table[slot], tab, memory_order_release);
    tp_defer(free_table, old);
    return tab;
}

PTimeItem *ptime_item(PTime *t, int slot, Term pid)
{
    PTimeTable *tab = atomic_load_explicit(&t->table[slot], memory_order_relaxed);
    if (!tab) {
        tab = table_new(START_CAPACITY);
        atomic_store_explicit(&t->table[slot], tab, memory_order_release);
    }
    PTimeItem *it = probe(tab, pid);
    if (atomic_load_explicit(&it->pid, memory_order_relaxed) == pid) return it;
    if ((tab->used + 1) * 10 > (tab->mask + 1) * 7) {
        tab = grow(t, slot, tab);
        it = probe(tab, pid);
    }
    tab->used++;
    atomic_store_explicit(&it->pid, pid, memory_order_release);
    return it;
}

void ptime_foreach(const PTime *t, PTimeVisit *fn, void *ctx)
{
    for (int s = 0; s < t->slots; s++) {
        PTimeTable *tab = atomic_load_explicit(&t->table[s], memory_order_acquire);
        if (!tab) continue;
        for (uint32_t i = 0; i <= tab->mask; i++) {
            const PTimeItem *it = &tab->items[i];
            Term pid = atomic_load_explicit(&it->pid, memory_order_acquire);
            if (!pid) continue;
            fn(s, pid, atomic_load_explicit(&it->calls, memory_order_relaxed),
               atomic_load_explicit(&it->ticks, memory_order_relaxed), ctx);
        }
    }
}
