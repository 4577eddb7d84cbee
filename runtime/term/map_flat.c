/*
 * map_flat.c - flat maps (layout in map.h): at most MAP_FLAT_MAX keys,
 * sorted in the exact order. Lookups scan for an immediate key (at most 32
 * word compares) and binary-search for any other.
 */
#include "runtime/term/map_internal.h"

#include <stdlib.h>

/* Index of key among n sorted keys, or -(insertion point) - 1. */
static ptrdiff_t search(const Term *keys, size_t n, Term key)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = keys[mid] == key ? 0 : term_compare_exact(keys[mid], key);
        if (c == 0) return (ptrdiff_t)mid;
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return -(ptrdiff_t)lo - 1;
}

ptrdiff_t flat_find(Term map, Term key)
{
    size_t n = map_size(map);
    const Term *keys = flat_keys(map);
    if (is_immed(key)) {
        /* An immediate is exactly equal only to the same word. */
        for (size_t i = 0; i < n; i++)
            if (keys[i] == key) return (ptrdiff_t)i;
        return -1;
    }
    ptrdiff_t i = search(keys, n, key);
    return i >= 0 ? i : -1;
}

Term flat_from_sorted(TermAlloc a, const Term *keys, const Term *values, size_t n)
{
    Term *kt = map_alloc(a, 1 + n);
    Term *hp = kt ? map_alloc(a, 3 + n) : NULL;
    if (!hp) return THE_NON_VALUE;
    kt[0] = make_tuple_header(n);
    memcpy(kt + 1, keys, n * sizeof(Term));
    hp[0] = make_header(2 + n, HDR_MAP);
    hp[1] = n;
    hp[2] = make_boxed(kt);
    memcpy(hp + 3, values, n * sizeof(Term));
    return make_boxed(hp);
}

Term flat_remove_at(Process *p, Term map, size_t i)
{
    size_t n = map_size(map);
    Term *kt = heap_alloc(p, n);
    Term *hp = heap_alloc(p, 2 + n);
    const Term *keys = flat_keys(map), *values = flat_values(map);
    kt[0] = make_tuple_header(n - 1);
    memcpy(kt + 1, keys, i * sizeof(Term));
    memcpy(kt + 1 + i, keys + i + 1, (n - 1 - i) * sizeof(Term));
    hp[0] = make_header(1 + n, HDR_MAP);
    hp[1] = n - 1;
    hp[2] = make_boxed(kt);
    memcpy(hp + 3, values, i * sizeof(Term));
    memcpy(hp + 3 + i, values + i + 1, (n - 1 - i) * sizeof(Term));
    return make_boxed(hp);
}

/* ---- updates ---- */

typedef struct Pair {
    Term key, value;
    size_t order; /* position in the input, so the later of equal keys wins */
} Pair;

static int cmp_pairs(const void *a, const void *b)
{
    const Pair *x = a, *y = b;
    int c = term_compare_exact(x->key, y->key);
    if (c) return c;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* Sorts pairs by key and keeps the last of equal keys; returns the count kept. */
static size_t sort_unique(Pair *pairs, size_t n)
{
    qsort(pairs, n, sizeof *pairs, cmp_pairs);
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        if (kept && term_compare_exact(pairs[kept - 1].key, pairs[i].key) == 0) kept--;
        pairs[kept++] = pairs[i];
    }
    return kept;
}

static Pair *pairs_alloc(size_t n) { return map_malloc(n * sizeof(Pair)); }

/* A map (flat or not, by size) of the sorted distinct pairs. */
static Term from_sorted_pairs(TermAlloc a, const Pair *pairs, size_t n)
{
    Term *kv = map_malloc(2 * n * sizeof(Term));
    for (size_t i = 0; i < n; i++) {
        kv[i] = pairs[i].key;
        kv[n + i] = pairs[i].value;
    }
    Term m = map_from_sorted(a, kv, kv + n, n);
    free(kv);
    return m;
}

Term flat_from_pairs(TermAlloc a, const Term *keys, const Term *values, size_t n)
{
    Pair *pairs = pairs_alloc(n);
    for (size_t i = 0; i < n; i++) pairs[i] = (Pair){keys[i], values[i], i};
    size_t kept = sort_unique(pairs, n);
    Term m = from_sorted_pairs(a, pairs, kept);
    free(pairs);
    return m;
}

/* A map with the same keys and some values replaced: the keys tuple is shared. */
static Term replace_values(Process *p, Term map, const Pair *pairs, size_t n, Term *missing)
{
    size_t size = map_size(map);
    const Term *keys = flat_keys(map);
    Term *hp = heap_alloc(p, 3 + size);
    memcpy(hp, boxed_val(map), (3 + size) * sizeof(Term));
    for (size_t i = 0; i < n; i++) {
        ptrdiff_t at = search(keys, size, pairs[i].key);
        if (at < 0) {
            *missing = pairs[i].key;
            return THE_NON_VALUE;
        }
        hp[3 + at] = pairs[i].value;
    }
    return make_boxed(hp);
}

/* Merges the sorted new pairs into the map's sorted keys (new values win). */
static Term merge(Process *p, Term map, const Pair *pairs, size_t n)
{
    size_t size = map_size(map);
    const Term *keys = flat_keys(map), *values = flat_values(map);
    Pair *out = pairs_alloc(size + n);
    size_t a = 0, b = 0, k = 0;
    while (a < size || b < n) {
        int c = a == size ? 1 : b == n ? -1 : term_compare_exact(keys[a], pairs[b].key);
        out[k++] = c < 0 ? (Pair){keys[a], values[a], 0} : pairs[b];
        if (c <= 0) a++;
        if (c >= 0) b++;
    }
    Term m = from_sorted_pairs(map_heap_alloc(p), out, k);
    free(out);
    return m;
}

Term flat_update(Process *p, Term map, const Term *kv, size_t n, bool exact, Term *missing)
{
    Pair small[16];
    Pair *pairs = n <= 16 ? small : pairs_alloc(n);
    for (size_t i = 0; i < n; i++) pairs[i] = (Pair){kv[2 * i], kv[2 * i + 1], i};
    size_t kept = sort_unique(pairs, n);
    bool all_present = true;
    for (size_t i = 0; i < kept && all_present && !exact; i++)
        all_present = search(flat_keys(map), map_size(map), pairs[i].key) >= 0;
    Term result = all_present ? replace_values(p, map, pairs, kept, missing) : merge(p, map, pairs, kept);
    if (pairs != small) free(pairs);
    return result;
}

Term flat_merge(Process *p, Term a, Term b)
{
    size_t nb = map_size(b);
    Pair *pairs = pairs_alloc(nb);
    const Term *keys = flat_keys(b), *values = flat_values(b);
    for (size_t i = 0; i < nb; i++) pairs[i] = (Pair){keys[i], values[i], i};
    Term m = merge(p, a, pairs, nb);
    free(pairs);
    return m;
}
