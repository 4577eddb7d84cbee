/* map.c - flat maps (see map.h). */
#include "runtime/map.h"

#include "runtime/heap.h"
#include "runtime/term_cmp.h"

#include <stdlib.h>

/* Index of key in the sorted keys, or -(insertion point) - 1. */
static ptrdiff_t find_key(const Term *keys, size_t n, Term key)
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

Term map_get(Term map, Term key)
{
    ptrdiff_t i = find_key(tuple_elems(map_keys(map)), map_size(map), key);
    return i >= 0 ? map_values(map)[i] : THE_NON_VALUE;
}

typedef struct Pair {
    Term key, value;
    size_t order; /* position in the instruction, so the later of equal keys wins */
} Pair;

static int cmp_pairs(const void *a, const void *b)
{
    const Pair *x = a, *y = b;
    int c = term_compare_exact(x->key, y->key);
    if (c) return c;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* Sorts the new pairs and drops all but the last of equal keys; returns the count kept. */
static size_t sort_pairs(Pair *pairs, const Term *kv, size_t n)
{
    for (size_t i = 0; i < n; i++) pairs[i] = (Pair){kv[2 * i], kv[2 * i + 1], i};
    qsort(pairs, n, sizeof *pairs, cmp_pairs);
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        if (kept && term_compare_exact(pairs[kept - 1].key, pairs[i].key) == 0) kept--;
        pairs[kept++] = pairs[i];
    }
    return kept;
}

/* A map with the same keys and some values replaced: the keys tuple is shared. */
static Term replace_values(Process *p, Term map, const Pair *pairs, size_t n, Term *missing)
{
    size_t size = map_size(map);
    const Term *keys = tuple_elems(map_keys(map));
    Term *hp = heap_alloc(p, 3 + size);
    memcpy(hp, boxed_val(map), (3 + size) * sizeof(Term));
    for (size_t i = 0; i < n; i++) {
        ptrdiff_t at = find_key(keys, size, pairs[i].key);
        if (at < 0) {
            *missing = pairs[i].key;
            return THE_NON_VALUE;
        }
        hp[3 + at] = pairs[i].value;
    }
    return make_boxed(hp);
}

/* Merges the sorted new pairs into the map's sorted keys. */
static Term merge(Process *p, Term map, const Pair *pairs, size_t n)
{
    size_t size = map_size(map), total = size;
    const Term *keys = tuple_elems(map_keys(map));
    const Term *values = map_values(map);
    for (size_t i = 0; i < n; i++)
        if (find_key(keys, size, pairs[i].key) < 0) total++;
    Term *kt = heap_alloc(p, 1 + total);
    Term *hp = heap_alloc(p, 3 + total);
    kt[0] = make_tuple_header(total);
    hp[0] = make_header(2 + total, HDR_MAP);
    hp[1] = total;
    hp[2] = make_boxed(kt);
    size_t a = 0, b = 0, out = 0;
    while (a < size || b < n) {
        int c = a == size ? 1 : b == n ? -1 : term_compare_exact(keys[a], pairs[b].key);
        Term k = c <= 0 ? keys[a] : pairs[b].key;
        Term v = c < 0 ? values[a] : pairs[b].value;
        if (c <= 0) a++;
        if (c >= 0) b++;
        kt[1 + out] = k;
        hp[3 + out] = v;
        out++;
    }
    return make_boxed(hp);
}

Term map_update(Process *p, Term map, const Term *kv, size_t n, bool exact, Term *missing)
{
    Pair small[16];
    Pair *pairs = n <= 16 ? small : malloc(n * sizeof *pairs);
    if (!pairs) abort();
    size_t kept = sort_pairs(pairs, kv, n);
    Term result;
    if (exact) {
        result = replace_values(p, map, pairs, kept, missing);
    } else {
        bool all_present = true;
        for (size_t i = 0; i < kept && all_present; i++)
            all_present = find_key(tuple_elems(map_keys(map)), map_size(map), pairs[i].key) >= 0;
        result = all_present ? replace_values(p, map, pairs, kept, missing) : merge(p, map, pairs, kept);
    }
    if (pairs != small) free(pairs);
    return result;
}
