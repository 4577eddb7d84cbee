/*
 * map.c - the map interface (map.h): each operation picks the flat
 * (map_flat.c) or the hash (map_hamt.c) implementation and keeps the rule
 * that a map is flat exactly when it has at most MAP_FLAT_MAX keys.
 */
#include "runtime/term/map_internal.h"

#include <stdio.h>
#include <stdlib.h>

static Term *heap_alloc_ctx(void *p, size_t words) { return heap_alloc(p, words); }

TermAlloc map_heap_alloc(Process *p) { return (TermAlloc){heap_alloc_ctx, p}; }

void *map_malloc(size_t bytes)
{
    void *m = malloc(bytes ? bytes : 1);
    if (!m) {
        fprintf(stderr, "erbium: out of memory building a map\n");
        abort();
    }
    return m;
}

Term map_get(Term map, Term key)
{
    if (!map_is_flat(map)) return hamt_get(map, key);
    ptrdiff_t i = flat_find(map, key);
    return i >= 0 ? flat_values(map)[i] : THE_NON_VALUE;
}

Term map_update(Process *p, Term map, const Term *kv, size_t n, bool exact, Term *missing)
{
    if (map_is_flat(map)) return flat_update(p, map, kv, n, exact, missing);
    for (size_t i = 0; i < n; i++) {
        Term r = hamt_put(p, map, kv[2 * i], kv[2 * i + 1], exact);
        if (!is_value(r)) {
            *missing = kv[2 * i];
            return THE_NON_VALUE;
        }
        map = r;
    }
    return map;
}

Term map_remove(Process *p, Term map, Term key, Term *value)
{
    Term ignored;
    if (!value) value = &ignored;
    if (!map_is_flat(map)) return hamt_remove(p, map, key, value);
    ptrdiff_t i = flat_find(map, key);
    if (i < 0) {
        *value = THE_NON_VALUE;
        return map;
    }
    *value = flat_values(map)[i];
    return flat_remove_at(p, map, (size_t)i);
}

typedef struct Inserter {
    Process *p;
    Term map;
    bool overwrite;
} Inserter;

static void insert_pair(void *ctx, Term key, Term value)
{
    Inserter *in = ctx;
    Term unused;
    if (!in->overwrite && is_value(map_get(in->map, key))) return;
    in->map = map_update(in->p, in->map, (const Term[]){key, value}, 1, false, &unused);
}

/* Two flat maps merge their sorted keys; otherwise the smaller map's pairs go into the larger. */
Term map_merge(Process *p, Term a, Term b)
{
    if (map_is_flat(a) && map_is_flat(b)) return flat_merge(p, a, b);
    bool into_a = map_size(b) <= map_size(a);
    Inserter in = {p, into_a ? a : b, into_a};
    map_foreach(into_a ? b : a, false, insert_pair, &in);
    return in.map;
}

Term map_from_pairs(Process *p, const Term *keys, const Term *values, size_t n)
{
    TermAlloc a = map_heap_alloc(p);
    if (n <= MAP_FLAT_MAX) return flat_from_pairs(a, keys, values, n);
    return hamt_from_pairs(a, keys, values, n);
}

Term map_from_sorted(TermAlloc a, const Term *keys, const Term *values, size_t n)
{
    if (n <= MAP_FLAT_MAX) return flat_from_sorted(a, keys, values, n);
    return hamt_from_pairs(a, keys, values, n);
}

void map_foreach(Term map, bool list_order, MapVisitor fn, void *ctx)
{
    if (!map_is_flat(map)) {
        hamt_foreach(map, list_order, fn, ctx);
        return;
    }
    const Term *keys = flat_keys(map), *values = flat_values(map);
    for (size_t i = 0, n = map_size(map); i < n; i++) fn(ctx, keys[i], values[i]);
}

void map_pair_at(Term map, size_t i, Term *key, Term *value)
{
    if (map_is_flat(map)) {
        *key = flat_keys(map)[i];
        *value = flat_values(map)[i];
        return;
    }
    const Term *leaf = hamt_leaf_at(map, i);
    *key = CAR(leaf);
    *value = CDR(leaf);
}

/* ---- sorted pairs (for comparing hash maps) ---- */

typedef struct KV {
    Term key, value;
} KV;

typedef struct Collect {
    KV *v;
    size_t n;
} Collect;

static void collect_pair(void *ctx, Term key, Term value)
{
    Collect *c = ctx;
    c->v[c->n++] = (KV){key, value};
}

static int cmp_kv(const void *a, const void *b)
{
    return term_compare_exact(((const KV *)a)->key, ((const KV *)b)->key);
}

void map_sorted_pairs(Term map, Term *keys, Term *values)
{
    size_t n = map_size(map);
    if (map_is_flat(map)) {
        memcpy(keys, flat_keys(map), n * sizeof(Term));
        memcpy(values, flat_values(map), n * sizeof(Term));
        return;
    }
    Collect c = {map_malloc(n * sizeof(KV)), 0};
    hamt_foreach(map, false, collect_pair, &c);
    qsort(c.v, n, sizeof(KV), cmp_kv);
    for (size_t i = 0; i < n; i++) {
        keys[i] = c.v[i].key;
        values[i] = c.v[i].value;
    }
    free(c.v);
}
