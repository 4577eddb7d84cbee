/* sample_table.c - per-slot tables of sampled stacks (see sample_table.h). */
#include "profiler/sample_table.h"

#include "sched/tp.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

typedef struct SampleEntry {
    _Atomic(SampleStack *) stack; /* NULL while free */
    _Atomic uint64_t count;
} SampleEntry;

typedef struct SampleTable {
    size_t cap, used; /* used: written by the owner only */
    SampleEntry e[];
} SampleTable;

struct SampleSet {
    uint64_t id;
    int slots;
    _Atomic(SampleTable *) table[]; /* per slot; NULL until its owner first records */
};

#define FIRST_CAP 64

static SampleTable *table_new(size_t cap)
{
    SampleTable *t = calloc(1, sizeof *t + cap * sizeof(SampleEntry));
    if (!t) abort();
    t->cap = cap;
    return t;
}

SampleSet *sample_set_new(int slots)
{
    static _Atomic uint64_t last_id;
    SampleSet *s = calloc(1, sizeof *s + (size_t)slots * sizeof(_Atomic(SampleTable *)));
    if (s) {
        s->slots = slots;
        s->id = atomic_fetch_add(&last_id, 1) + 1;
    }
    return s;
}

uint64_t sample_set_id(const SampleSet *s) { return s->id; }

static void free_set(void *arg)
{
    SampleSet *s = arg;
    for (int k = 0; k < s->slots; k++) {
        SampleTable *t = atomic_load_explicit(&s->table[k], memory_order_acquire);
        if (!t) continue;
        for (size_t i = 0; i < t->cap; i++) free(atomic_load_explicit(&t->e[i].stack, memory_order_relaxed));
        free(t);
    }
    free(s);
}

void sample_set_retire(SampleSet *s)
{
    if (s) tp_defer(free_set, s);
}

static bool same_stack(const SampleStack *st, uint64_t hash, Term pid, const SampleFrame *f, size_t n)
{
    return st->hash == hash && st->pid == pid && st->n == n && !memcmp(st->frames, f, n * sizeof *f);
}

/* Where an entry for hash goes in t: its own entry or the free one ending its probe run. */
static SampleEntry *probe(SampleTable *t, uint64_t hash, Term pid, const SampleFrame *f, size_t n)
{
    size_t i = (size_t)(hash >> 7) & (t->cap - 1);
    for (;;) {
        SampleStack *st = atomic_load_explicit(&t->e[i].stack, memory_order_relaxed);
        if (!st || same_stack(st, hash, pid, f, n)) return &t->e[i];
        i = (i + 1) & (t->cap - 1);
    }
}

static void free_table(void *t) { free(t); }

/* Replaces the slot's table by one twice as large; readers may still be in the old one. */
static SampleTable *grow(SampleSet *s, int slot, SampleTable *old)
{
    SampleTable *t = table_new(old->cap * 2);
    for (size_t i = 0; i < old->cap; i++) {
        SampleStack *st = atomic_load_explicit(&old->e[i].stack, memory_order_relaxed);
        if (!st) continue;
        SampleEntry *e = probe(t, st->hash, st->pid, st->frames, st->n);
        atomic_store_explicit(&e->count, atomic_load_explicit(&old->e[i].count, memory_order_relaxed),
                              memory_order_relaxed);
        atomic_store_explicit(&e->stack, st, memory_order_relaxed);
    }
    t->used = old->used;
    atomic_store_explicit(&s->table[slot], t, memory_order_release);
    tp_defer(free_table, old);
    return t;
}

/* The entry of the stack in slot's table, added (with no samples) if missing. */
static SampleEntry *entry_for(SampleSet *s, int slot, Term pid, const SampleFrame *f, size_t n, bool truncated)
{
    SampleTable *t = atomic_load_explicit(&s->table[slot], memory_order_relaxed);
    if (!t) {
        t = table_new(FIRST_CAP);
        atomic_store_explicit(&s->table[slot], t, memory_order_release);
    }
    uint64_t hash = sample_stack_hash(pid, f, n);
    SampleEntry *e = probe(t, hash, pid, f, n);
    if (atomic_load_explicit(&e->stack, memory_order_relaxed)) return e;
    if ((t->used + 1) * 10 > t->cap * 7) {
        t = grow(s, slot, t);
        e = probe(t, hash, pid, f, n);
    }
    SampleStack *st = malloc(sizeof *st + n * sizeof *f);
    if (!st) abort();
    *st = (SampleStack){pid, hash, (uint32_t)n, truncated};
    memcpy(st->frames, f, n * sizeof *f);
    atomic_store_explicit(&e->stack, st, memory_order_release);
    t->used++;
    return e;
}

void sample_set_add(SampleSet *s, int slot, Term pid, const SampleFrame *f, size_t n, bool truncated,
                    uint64_t count)
{
    if (slot < 0 || slot >= s->slots || count == 0) return;
    SampleEntry *e = entry_for(s, slot, pid, f, n, truncated);
    atomic_store_explicit(&e->count, atomic_load_explicit(&e->count, memory_order_relaxed) + count,
                          memory_order_relaxed);
}

const SampleStack *sample_set_intern(SampleSet *s, int slot, Term pid, const SampleFrame *f, size_t n,
                                     bool truncated)
{
    if (slot < 0 || slot >= s->slots) return NULL;
    return atomic_load_explicit(&entry_for(s, slot, pid, f, n, truncated)->stack, memory_order_relaxed);
}

void sample_set_foreach(const SampleSet *s, SampleVisit *fn, void *ctx)
{
    for (int k = 0; k < s->slots; k++) {
        SampleTable *t = atomic_load_explicit(&((SampleSet *)s)->table[k], memory_order_acquire);
        if (!t) continue;
        for (size_t i = 0; i < t->cap; i++) {
            SampleStack *st = atomic_load_explicit(&t->e[i].stack, memory_order_acquire);
            uint64_t count = st ? atomic_load_explicit(&t->e[i].count, memory_order_relaxed) : 0;
            if (count) fn(k, st, count, ctx); /* none yet: a wait or dirty call in progress */
        }
    }
}
