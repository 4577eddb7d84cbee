/*
 * map_internal.h - what the map modules share: flat maps (map_flat.c),
 * hash maps (map_hamt.c) and the dispatch between them (map.c). Layouts
 * are described in map.h.
 */
#ifndef ERBIUM_MAP_INTERNAL_H
#define ERBIUM_MAP_INTERNAL_H

#include "runtime/term/map.h"

#include "runtime/proc/heap.h"
#include "runtime/term/term_cmp.h"

/*
 * Deepest trie level handled: 16 hash rounds of 32 bits. Two distinct keys
 * share a slot path that long only if their hashes agree on 512 bits.
 */
#define MAP_MAX_DEPTH 128

/* Exact key equality, with the common case inline. */
static inline bool map_keys_equal(Term a, Term b)
{
    if (a == b) return true;
    if (is_immed(a) || is_immed(b)) return false;
    return term_eq_exact(a, b);
}

/* ---- the hash (map_hash.c) ---- */

#define MAP_GOLDEN 0x9e3779b9u        /* OTP's HCONST */
#define MAP_INTERNAL_SALT 3432918353u /* keeps internal hashes apart from phash2 */

/* Bob Jenkins' 96-bit mix of a, b and c. */
static inline void map_mix(uint32_t *ap, uint32_t *bp, uint32_t *cp)
{
    uint32_t a = *ap, b = *bp, c = *cp;
    a -= b; a -= c; a ^= c >> 13;
    b -= c; b -= a; b ^= a << 8;
    c -= a; c -= b; c ^= b >> 13;
    a -= b; a -= c; a ^= c >> 12;
    b -= c; b -= a; b ^= a << 16;
    c -= a; c -= b; c ^= b >> 5;
    a -= b; a -= c; a ^= c >> 3;
    b -= c; b -= a; b ^= a << 10;
    c -= a; c -= b; c ^= b >> 15;
    *ap = a;
    *bp = b;
    *cp = c;
}

/* OTP's make_internal_hash(t, salt). */
uint32_t map_hash_salted(Term t, uint32_t salt);

/* map_hash(key, 0), with immediates (the common keys) inline. */
static inline uint32_t map_hash0(Term key)
{
    if (!is_immed(key)) return map_hash_salted(key, 0);
    uint32_t a = MAP_GOLDEN + (uint32_t)key, b = MAP_GOLDEN + (uint32_t)(key >> 32), h = MAP_INTERNAL_SALT;
    map_mix(&a, &b, &h);
    return h;
}

/* Allocation on a process heap, as a TermAlloc. */
TermAlloc map_heap_alloc(Process *p);

/* Words from `a`, or NULL (only allocators outside process heaps fail). */
static inline Term *map_alloc(TermAlloc a, size_t words) { return a.alloc(a.ctx, words); }

/* malloc for temporary arrays; the VM stops if memory is exhausted. */
void *map_malloc(size_t bytes);

/* ---- flat maps ---- */

static inline Term *flat_keys(Term map) { return tuple_elems(boxed_val(map)[2]); }
static inline Term *flat_values(Term map) { return boxed_val(map) + 3; }

/* Index of key in a flat map, or -1. */
ptrdiff_t flat_find(Term map, Term key);

/* A flat map of n pairs with distinct keys sorted in the exact order. */
Term flat_from_sorted(TermAlloc a, const Term *keys, const Term *values, size_t n);

/*
 * A map of n pairs in any order (the later of equal keys wins): flat, or a
 * hash map if more than MAP_FLAT_MAX distinct keys remain.
 */
Term flat_from_pairs(TermAlloc a, const Term *keys, const Term *values, size_t n);

/* map_update on a flat map (the result may be a hash map). */
Term flat_update(Process *p, Term map, const Term *kv, size_t n, bool exact, Term *missing);

/* maps:merge/2 of two flat maps. */
Term flat_merge(Process *p, Term a, Term b);

/* The flat map without the pair at index i. */
Term flat_remove_at(Process *p, Term map, size_t i);

/* ---- hash maps ---- */

/* The pairs under a node: node[1] >> 16; the bitmap: node[1] & 0xFFFF. */
static inline size_t hamt_count(const Term *node) { return (size_t)(node[1] >> 16); }
static inline unsigned hamt_bitmap(const Term *node) { return (unsigned)(node[1] & 0xFFFF); }
static inline size_t hamt_children(const Term *node) { return header_arity(node[0]) - 1; }

Term hamt_get(Term map, Term key);

/*
 * Adds or replaces one pair. With `exact` an absent key gives
 * THE_NON_VALUE. Returns map itself when the key already has that value.
 */
Term hamt_put(Process *p, Term map, Term key, Term value, bool exact);

/* map_remove on a hash map: may return a flat map. */
Term hamt_remove(Process *p, Term map, Term key, Term *value);

/*
 * A hash map of n pairs (n > MAP_FLAT_MAX after removing duplicates, of
 * which the pair with the highest index wins), or the flat map of those
 * pairs when duplicates leave MAP_FLAT_MAX or fewer.
 */
Term hamt_from_pairs(TermAlloc a, const Term *keys, const Term *values, size_t n);

/* Visits the leaves in iteration order, or reversed (list order). */
void hamt_foreach(Term map, bool reverse, MapVisitor fn, void *ctx);

/* The i-th leaf (a cons cell [K | V]) in iteration order. */
const Term *hamt_leaf_at(Term map, size_t i);

#endif
