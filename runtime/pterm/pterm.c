/*
 * pterm.c - the persistent term store (see pterm.h).
 *
 * An open-addressing hash table of pointers to entries, probed linearly.
 * An entry, once published in a slot, stays in that slot for the VM's life
 * and its key never changes; erasing stores THE_NON_VALUE as its value and
 * a later put of the same key reuses the entry. So a reader only ever sees
 * a slot go from NULL to an entry, and an entry's value go from one stored
 * term to another, each through a release store that it reads with acquire:
 * whatever it finds is fully written.
 *
 * When the table gets half full the writer builds one twice the size and
 * publishes it; a reader still probing the old one finds every entry that
 * existed when it started. Old tables are kept (chained from the new one):
 * a reader may be inside one at any time, and their sizes halve, so all of
 * them together are never larger than the current one.
 */
#include "runtime/pterm/pterm.h"

#include "runtime/etf/hash.h"
#include "runtime/proc/heap.h"
#include "runtime/term/literal.h"
#include "runtime/term/term_cmp.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct PtEntry {
    Term key;
    _Atomic Term value;
} PtEntry;

typedef struct PtTable {
    struct PtTable *older; /* kept for readers still probing it */
    size_t capacity;       /* a power of two */
    size_t used;           /* slots holding an entry; written under the lock */
    _Atomic(PtEntry *) slots[];
} PtTable;

#define PT_INITIAL_CAPACITY 64

static _Atomic(PtTable *) current;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static LiteralArea *terms; /* every key and value ever stored; under the lock */

static _Noreturn void out_of_memory(void)
{
    fputs("erbium: out of memory for persistent terms\n", stderr);
    abort();
}

static PtTable *table_new(size_t capacity, PtTable *older)
{
    PtTable *t = calloc(1, sizeof(PtTable) + capacity * sizeof(t->slots[0]));
    if (!t) out_of_memory();
    t->capacity = capacity;
    t->older = older;
    return t;
}

/* The entry for key in t, or NULL; *slot is where the probe stopped. */
static PtEntry *table_find(PtTable *t, Term key, size_t *slot)
{
    size_t mask = t->capacity - 1;
    for (size_t i = hash_phash2(key) & mask;; i = (i + 1) & mask) {
        PtEntry *e = atomic_load_explicit(&t->slots[i], memory_order_acquire);
        if (!e || term_eq_exact(e->key, key)) {
            *slot = i;
            return e;
        }
    }
}

/* A copy of t in the store's own memory (under the lock). */
static Term store_copy(Term t)
{
    if (is_immed(t)) return t;
    if (!terms && !(terms = literal_area_new())) out_of_memory();
    Term *hp = literal_alloc(terms, term_size(t));
    if (!hp) out_of_memory();
    /* A binary handle copied here keeps its reference for good: the store never frees. */
    return term_copy_to(t, hp);
}

/* Publishes a table twice t's size holding t's entries (under the lock). */
static PtTable *table_grow(PtTable *t)
{
    PtTable *bigger = table_new(t->capacity * 2, t);
    for (size_t i = 0; i < t->capacity; i++) {
        PtEntry *e = atomic_load_explicit(&t->slots[i], memory_order_relaxed);
        if (!e) continue;
        size_t slot;
        table_find(bigger, e->key, &slot);
        atomic_store_explicit(&bigger->slots[slot], e, memory_order_relaxed);
        bigger->used++;
    }
    atomic_store_explicit(&current, bigger, memory_order_release);
    return bigger;
}

/* A new entry for key (not in the table) with no value yet (under the lock). */
static PtEntry *entry_add(PtTable *t, Term key)
{
    if (2 * (t->used + 1) > t->capacity) t = table_grow(t);
    size_t slot;
    table_find(t, key, &slot);
    PtEntry *e = malloc(sizeof *e);
    if (!e) out_of_memory();
    e->key = store_copy(key);
    atomic_init(&e->value, THE_NON_VALUE);
    t->used++;
    atomic_store_explicit(&t->slots[slot], e, memory_order_release);
    return e;
}

void pterm_put(Term key, Term value)
{
    pthread_mutex_lock(&lock);
    PtTable *t = atomic_load_explicit(&current, memory_order_relaxed);
    if (!t) {
        t = table_new(PT_INITIAL_CAPACITY, NULL);
        atomic_store_explicit(&current, t, memory_order_release);
    }
    size_t slot;
    PtEntry *e = table_find(t, key, &slot);
    if (!e) e = entry_add(t, key);
    Term old = atomic_load_explicit(&e->value, memory_order_relaxed);
    /* OTP leaves an equal value in place (nothing to copy, nothing to retire) */
    if (old == THE_NON_VALUE || !term_eq_exact(old, value))
        atomic_store_explicit(&e->value, store_copy(value), memory_order_release);
    pthread_mutex_unlock(&lock);
}

Term pterm_get(Term key)
{
    PtTable *t = atomic_load_explicit(&current, memory_order_acquire);
    if (!t) return THE_NON_VALUE;
    size_t slot;
    PtEntry *e = table_find(t, key, &slot);
    return e ? atomic_load_explicit(&e->value, memory_order_acquire) : THE_NON_VALUE;
}

bool pterm_erase(Term key)
{
    pthread_mutex_lock(&lock);
    PtTable *t = atomic_load_explicit(&current, memory_order_relaxed);
    size_t slot;
    PtEntry *e = t ? table_find(t, key, &slot) : NULL;
    bool found = e && atomic_load_explicit(&e->value, memory_order_relaxed) != THE_NON_VALUE;
    if (found) atomic_store_explicit(&e->value, THE_NON_VALUE, memory_order_release);
    pthread_mutex_unlock(&lock);
    return found;
}

Term pterm_all(Process *p)
{
    PtTable *t = atomic_load_explicit(&current, memory_order_acquire);
    Term list = NIL;
    for (size_t i = 0; t && i < t->capacity; i++) {
        PtEntry *e = atomic_load_explicit(&t->slots[i], memory_order_acquire);
        Term v = e ? atomic_load_explicit(&e->value, memory_order_acquire) : THE_NON_VALUE;
        if (v != THE_NON_VALUE) list = heap_cons(p, heap_tuple2(p, e->key, v), list);
    }
    return list;
}

void pterm_info(size_t *count, size_t *bytes)
{
    PtTable *t = atomic_load_explicit(&current, memory_order_acquire);
    size_t n = 0, words = 0;
    for (PtTable *o = t; o; o = o->older) words += (sizeof(PtTable) + o->capacity * sizeof(o->slots[0])) / sizeof(Term);
    for (size_t i = 0; t && i < t->capacity; i++) {
        PtEntry *e = atomic_load_explicit(&t->slots[i], memory_order_acquire);
        if (!e) continue;
        words += sizeof(PtEntry) / sizeof(Term);
        Term v = atomic_load_explicit(&e->value, memory_order_acquire);
        if (v == THE_NON_VALUE) continue;
        n++;
        words += term_size(e->key) + term_size(v);
    }
    *count = n;
    *bytes = words * sizeof(Term);
}
