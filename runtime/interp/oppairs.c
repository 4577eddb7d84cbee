/*
 * oppairs.c - instruction and pair counters of an -DERBIUM_OPPAIRS build
 * (see oppairs.h). Counters are relaxed atomics: several schedulers may run.
 */
#include "runtime/interp/oppairs.h"

#ifdef ERBIUM_OPPAIRS
#include "runtime/interp/interp.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

/* OP_COUNT normal handlers, then OP_COUNT breakpoint handlers, then "other" */
#define SLOTS (2 * OP_COUNT + 1)

static _Atomic uint64_t singles[SLOTS];
static _Atomic uint64_t pairs[SLOTS][SLOTS];
static _Thread_local int prev = -1;

/* Handler address -> slot, by an open-addressed table built on first use. */
#define MAP_SIZE 2048
static const void *map_key[MAP_SIZE];
static int map_slot[MAP_SIZE];
static atomic_bool map_ready;
static atomic_flag map_lock = ATOMIC_FLAG_INIT;

static size_t map_hash(const void *a) { return ((uintptr_t)a >> 4) * 0x9E3779B97F4A7C15u >> 53; }

static void map_put(const void *a, int slot)
{
    size_t h = map_hash(a) & (MAP_SIZE - 1);
    while (map_key[h] && map_key[h] != a) h = (h + 1) & (MAP_SIZE - 1);
    if (!map_key[h]) {
        map_key[h] = a;
        map_slot[h] = slot;
    }
}

static void dump(void);

static void map_build(void)
{
    while (atomic_flag_test_and_set(&map_lock)) {}
    if (!atomic_load(&map_ready)) {
        for (int i = 0; i < OP_COUNT; i++) map_put(op_addr[i], i);
        for (int i = 0; i < OP_COUNT; i++) map_put(op_bp_addr[i], OP_COUNT + i);
        atexit(dump);
        atomic_store(&map_ready, true);
    }
    atomic_flag_clear(&map_lock);
}

static int slot_of(const void *a)
{
    size_t h = map_hash(a) & (MAP_SIZE - 1);
    while (map_key[h]) {
        if (map_key[h] == a) return map_slot[h];
        h = (h + 1) & (MAP_SIZE - 1);
    }
    return 2 * OP_COUNT;
}

void oppairs_note(const void *handler)
{
    if (!atomic_load_explicit(&map_ready, memory_order_acquire)) map_build();
    int s = slot_of(handler);
    atomic_fetch_add_explicit(&singles[s], 1, memory_order_relaxed);
    if (prev >= 0) atomic_fetch_add_explicit(&pairs[prev][s], 1, memory_order_relaxed);
    prev = s;
}

void oppairs_break(void) { prev = -1; }

static const char *const op_names[OP_COUNT] = {
#define OP(name, sig) #name,
#include "runtime/interp/ops.def"
#undef OP
};

static const char *slot_name(int s, char *buf, size_t len)
{
    if (s == 2 * OP_COUNT) return "(other)";
    if (s < OP_COUNT) return op_names[s];
    snprintf(buf, len, "bp:%s", op_names[s - OP_COUNT]);
    return buf;
}

typedef struct Count { uint64_t n; int a, b; } Count;

static int by_count(const void *x, const void *y)
{
    uint64_t a = ((const Count *)x)->n, b = ((const Count *)y)->n;
    return a < b ? 1 : a > b ? -1 : 0;
}

/* Writes "single COUNT OP" and "pair COUNT OP1 OP2" lines, most frequent first. */
static void dump(void)
{
    const char *path = getenv("ERBIUM_OPPAIRS");
    if (!path) return;
    FILE *f = fopen(path, "w");
    if (!f) return;
    Count *c = malloc(sizeof *c * SLOTS * SLOTS);
    if (!c) abort();
    size_t n = 0;
    for (int a = 0; a < SLOTS; a++)
        if (singles[a]) c[n++] = (Count){singles[a], a, -1};
    qsort(c, n, sizeof *c, by_count);
    char b1[128], b2[128];
    for (size_t i = 0; i < n; i++) fprintf(f, "single %llu %s\n", (unsigned long long)c[i].n, slot_name(c[i].a, b1, sizeof b1));
    n = 0;
    for (int a = 0; a < SLOTS; a++)
        for (int b = 0; b < SLOTS; b++)
            if (pairs[a][b]) c[n++] = (Count){pairs[a][b], a, b};
    qsort(c, n, sizeof *c, by_count);
    for (size_t i = 0; i < n && i < 400; i++)
        fprintf(f, "pair %llu %s %s\n", (unsigned long long)c[i].n, slot_name(c[i].a, b1, sizeof b1), slot_name(c[i].b, b2, sizeof b2));
    free(c);
    fclose(f);
}
#endif
