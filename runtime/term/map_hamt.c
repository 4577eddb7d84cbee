/*
 * map_hamt.c - hash maps: the hash array mapped trie of map.h.
 *
 * Updates copy the path from the root to the changed slot and share every
 * other node. Inserting a key whose slot holds another key's leaf grows a
 * chain of nodes down to the first depth where the two keys' slots differ;
 * removing a key collapses a node left with a single leaf into that leaf
 * (below the root), so the trie stays canonical: its shape depends only on
 * the set of keys, as OTP's does.
 *
 * Building from many pairs sorts them by their slot path (the hash with
 * its nibbles reversed: a radix sort; deeper rounds for ties) and builds
 * each node from a run of pairs sharing a prefix.
 */
#define _GNU_SOURCE /* qsort_r */
#include "runtime/term/map_internal.h"

#include <stdio.h>
#include <stdlib.h>

/* ---- slots ---- */

/* A key's position on its way down: the hash bits not yet used and the depth. */
typedef struct Cursor {
    Term key;
    uint32_t h;
    unsigned depth;
} Cursor;

static inline void cursor_at(Cursor *c, Term key, unsigned depth)
{
    c->key = key;
    c->depth = depth;
    c->h = (depth < 8 ? map_hash0(key) : map_hash(key, depth / 8)) >> (4 * (depth % 8));
}

static inline unsigned cursor_slot(const Cursor *c) { return c->h & 0xF; }

static __attribute__((cold, noreturn)) void too_deep(void)
{
    fprintf(stderr, "erbium: two distinct map keys hash alike on %d levels\n", MAP_MAX_DEPTH);
    abort();
}

static inline void cursor_down(Cursor *c)
{
    c->depth++;
    if (c->depth == MAP_MAX_DEPTH) too_deep();
    if (c->depth % 8 == 0) c->h = map_hash(c->key, c->depth / 8);
    else c->h >>= 4;
}

/* Bits set in each byte value: no popcount instruction is assumed. */
static const uint8_t byte_bits[256] = {
#define B2(n) n, n + 1, n + 1, n + 2
#define B4(n) B2(n), B2(n + 1), B2(n + 1), B2(n + 2)
#define B6(n) B4(n), B4(n + 1), B4(n + 1), B4(n + 2)
    B6(0), B6(1), B6(1), B6(2)
#undef B6
#undef B4
#undef B2
};

/*
 * Where the child for `slot` is (or would go) among a node's children: the
 * bits below slot's. Nodes near the root are usually full.
 */
static inline unsigned child_pos(unsigned bitmap, unsigned slot)
{
    if (bitmap == 0xFFFF) return slot;
    unsigned below = bitmap & ((1u << slot) - 1);
    return byte_bits[below & 0xFF] + byte_bits[below >> 8];
}

static inline size_t subtree_count(Term child) { return is_list(child) ? 1 : hamt_count(boxed_val(child)); }

/* ---- building nodes ---- */

/* A node's first two words at hp; its children follow. */
static inline Term *node_init(Term *hp, size_t children, size_t count, unsigned bitmap)
{
    hp[0] = make_header(1 + children, HDR_HASHMAP);
    hp[1] = ((Term)count << 16) | bitmap;
    return hp;
}

static Term *node_alloc(TermAlloc a, size_t children, size_t count, unsigned bitmap)
{
    Term *hp = map_alloc(a, 2 + children);
    return hp ? node_init(hp, children, count, bitmap) : NULL;
}

/* Words of a copy of node with a child in `slot`. */
static inline size_t node_with_words(const Term *node, unsigned slot)
{
    return 2 + hamt_children(node) + !(hamt_bitmap(node) & (1u << slot));
}

/* Writes at hp a copy of node with `child` in `slot` (replacing or inserting) and count + delta pairs. */
static Term node_with_at(Term *hp, const Term *node, unsigned slot, Term child, ptrdiff_t delta)
{
    unsigned bitmap = hamt_bitmap(node), bit = 1u << slot, pos = child_pos(bitmap, slot);
    size_t n = hamt_children(node), count = hamt_count(node) + (size_t)delta;
    bool present = bitmap & bit;
    node_init(hp, n + !present, count, bitmap | bit);
    memcpy(hp + 2, node + 2, pos * sizeof(Term));
    hp[2 + pos] = child;
    memcpy(hp + 3 + pos, node + 2 + pos + present, (n - pos - present) * sizeof(Term));
    return make_boxed(hp);
}

static Term node_with(Process *p, const Term *node, unsigned slot, Term child, ptrdiff_t delta)
{
    return node_with_at(heap_alloc(p, node_with_words(node, slot)), node, slot, child, delta);
}

/* A copy of node without the child in `slot`, holding one pair less. */
static Term node_without(Process *p, const Term *node, unsigned slot)
{
    unsigned bitmap = hamt_bitmap(node), pos = child_pos(bitmap, slot);
    size_t n = hamt_children(node);
    Term *hp = node_init(heap_alloc(p, 1 + n), n - 1, hamt_count(node) - 1, bitmap & ~(1u << slot));
    memcpy(hp + 2, node + 2, pos * sizeof(Term));
    memcpy(hp + 2 + pos, node + 3 + pos, (n - 1 - pos) * sizeof(Term));
    return make_boxed(hp);
}

/* ---- lookup ---- */

Term hamt_get(Term map, Term key)
{
    uint32_t h = map_hash0(key);
    const Term *node = boxed_val(map);
    for (unsigned depth = 0;;) {
        unsigned bitmap = hamt_bitmap(node), slot = h & 0xF;
        if (!(bitmap & (1u << slot))) return THE_NON_VALUE;
        Term child = node[2 + child_pos(bitmap, slot)];
        if (is_list(child)) return map_keys_equal(CAR(list_val(child)), key) ? CDR(list_val(child)) : THE_NON_VALUE;
        node = boxed_val(child);
        if (++depth % 8 == 0) h = map_hash(key, depth / 8);
        else h >>= 4;
    }
}

/* ---- insertion ---- */

typedef struct Step {
    const Term *node;
    unsigned slot;
} Step;

/*
 * A new key landing on another key's leaf: single-child nodes while the
 * two keys' slots agree, then a node holding both leaves.
 */
typedef struct Split {
    unsigned shared[MAP_MAX_DEPTH]; /* the common slots, from the top */
    size_t chain;
    unsigned slot_new, slot_old;
} Split;

/* Plans the split below depth c->depth, where the leaf `old` sits. */
static void plan_split(Split *s, Term old, Cursor *c)
{
    Cursor o;
    cursor_at(&o, CAR(list_val(old)), c->depth + 1);
    cursor_down(c);
    s->chain = 0;
    while (cursor_slot(c) == cursor_slot(&o)) {
        s->shared[s->chain++] = cursor_slot(c);
        cursor_down(c);
        cursor_down(&o);
    }
    s->slot_new = cursor_slot(c);
    s->slot_old = cursor_slot(&o);
}

static size_t split_words(const Split *s) { return 4 + 3 * s->chain; }

static Term split_at(Term *hp, const Split *s, Term old, Term fresh)
{
    node_init(hp, 2, 2, (1u << s->slot_new) | (1u << s->slot_old));
    hp[2] = s->slot_new < s->slot_old ? fresh : old;
    hp[3] = s->slot_new < s->slot_old ? old : fresh;
    Term sub = make_boxed(hp);
    hp += 4;
    for (size_t i = s->chain; i-- > 0; hp += 3) {
        node_init(hp, 1, 2, 1u << s->shared[i]);
        hp[2] = sub;
        sub = make_boxed(hp);
    }
    return sub;
}

/* The new path is written into one block: its leaf, any split, then the copied nodes bottom up. */
Term hamt_put(Process *p, Term map, Term key, Term value, bool exact)
{
    Step path[MAP_MAX_DEPTH];
    Split split;
    Cursor c;
    cursor_at(&c, key, 0);
    const Term *node = boxed_val(map);
    size_t d = 0, words = 2;
    Term old = THE_NON_VALUE; /* the other key's leaf in a split */
    ptrdiff_t added = 1;
    for (;; d++) {
        unsigned bitmap = hamt_bitmap(node), slot = cursor_slot(&c);
        path[d] = (Step){node, slot};
        words += node_with_words(node, slot);
        if (!(bitmap & (1u << slot))) {
            if (exact) return THE_NON_VALUE;
            break;
        }
        Term child = node[2 + child_pos(bitmap, slot)];
        if (is_list(child)) {
            const Term *cell = list_val(child);
            if (map_keys_equal(CAR(cell), key)) {
                if (CDR(cell) == value) return map;
                added = 0;
            } else {
                if (exact) return THE_NON_VALUE;
                plan_split(&split, child, &c);
                words += split_words(&split);
                old = child;
            }
            break;
        }
        node = boxed_val(child);
        cursor_down(&c);
    }
    Term *hp = heap_alloc(p, words);
    hp[0] = key;
    hp[1] = value;
    Term sub = make_list(hp);
    hp += 2;
    if (is_value(old)) {
        sub = split_at(hp, &split, old, sub);
        hp += split_words(&split);
    }
    for (;; d--) {
        sub = node_with_at(hp, path[d].node, path[d].slot, sub, added);
        hp += node_with_words(path[d].node, path[d].slot);
        if (d == 0) return sub;
    }
}

/* ---- removal ---- */

typedef struct Skip {
    Term removed; /* the removed pair's key (the very word in its leaf) */
    Term *keys, *values;
    size_t n;
} Skip;

static void keep_other(void *ctx, Term key, Term value)
{
    Skip *s = ctx;
    if (key == s->removed) return;
    s->keys[s->n] = key;
    s->values[s->n] = value;
    s->n++;
}

/* The map's pairs but the one with key `removed`, as a flat map. */
static Term flat_without(Process *p, Term map, Term removed)
{
    size_t n = hamt_count(boxed_val(map));
    Term *kv = map_malloc(2 * n * sizeof(Term));
    Skip s = {removed, kv, kv + n, 0};
    hamt_foreach(map, false, keep_other, &s);
    Term m = flat_from_pairs(map_heap_alloc(p), s.keys, s.values, s.n);
    free(kv);
    return m;
}

Term hamt_remove(Process *p, Term map, Term key, Term *value)
{
    Step path[MAP_MAX_DEPTH];
    Cursor c;
    cursor_at(&c, key, 0);
    const Term *node = boxed_val(map), *cell = NULL;
    size_t d = 0;
    for (;; d++) {
        unsigned bitmap = hamt_bitmap(node), slot = cursor_slot(&c);
        path[d] = (Step){node, slot};
        Term child = bitmap & (1u << slot) ? node[2 + child_pos(bitmap, slot)] : THE_NON_VALUE;
        if (!is_value(child) || (is_list(child) && !map_keys_equal(CAR(list_val(child)), key))) {
            *value = THE_NON_VALUE;
            return map;
        }
        if (is_list(child)) {
            cell = list_val(child);
            break;
        }
        node = boxed_val(child);
        cursor_down(&c);
    }
    *value = CDR(cell);
    if (hamt_count(boxed_val(map)) - 1 <= MAP_FLAT_MAX) return flat_without(p, map, CAR(cell));
    /*
     * res: what takes the removed child's place on the way up, or
     * THE_NON_VALUE for nothing. Below the root, a node left with a single
     * leaf (or with nothing) vanishes and that leaf moves up.
     */
    Term res = THE_NON_VALUE;
    for (;; d--) {
        const Term *n = path[d].node;
        unsigned slot = path[d].slot;
        size_t kids = hamt_children(n);
        bool vanishes = false;
        if (d > 0 && !is_value(res)) {
            Term other = kids == 2 ? n[2 + (child_pos(hamt_bitmap(n), slot) == 0)] : THE_NON_VALUE;
            if (kids == 2 && is_list(other)) res = other;
            vanishes = kids == 1 || (kids == 2 && is_list(other));
        } else if (d > 0) {
            vanishes = kids == 1 && is_list(res);
        }
        if (!vanishes) res = is_value(res) ? node_with(p, n, slot, res, -1) : node_without(p, n, slot);
        if (d == 0) return res;
    }
}

/* ---- building from many pairs ---- */

typedef struct Entry {
    uint32_t order; /* the depth 0-7 slots, first slot in the top nibble */
    uint32_t h;     /* map_hash(key, 0) */
    size_t index;   /* into the input arrays */
} Entry;

typedef struct Builder {
    TermAlloc a;
    const Term *keys;
    Entry *e;
    Term *leaf; /* leaf[i]: the cons cell of input i, if kept */
} Builder;

/* The hash with its nibbles reversed: sorting by it sorts by slot path. */
static inline uint32_t slot_order(uint32_t h)
{
    h = ((h & 0x0F0F0F0Fu) << 4) | ((h >> 4) & 0x0F0F0F0Fu);
    return __builtin_bswap32(h);
}

/* Stable sort by `order`: four passes of 8 bits. */
static void radix_sort(Entry *e, size_t n)
{
    Entry *tmp = map_malloc(n * sizeof(Entry)), *from = e, *to = tmp;
    for (unsigned shift = 0; shift < 32; shift += 8) {
        size_t count[257] = {0};
        for (size_t i = 0; i < n; i++) count[((from[i].order >> shift) & 0xFF) + 1]++;
        for (size_t b = 0; b < 256; b++) count[b + 1] += count[b];
        for (size_t i = 0; i < n; i++) to[count[(from[i].order >> shift) & 0xFF]++] = from[i];
        Entry *t = from;
        from = to;
        to = t;
    }
    free(tmp); /* an even number of passes: the result is back in e */
}

/*
 * Entries with equal depth 0-7 slots (rare): by the deeper rounds' slots,
 * and of equal keys the later input first (the others are dropped).
 */
static int cmp_tied(const void *x, const void *y, void *keys)
{
    const Entry *a = x, *b = y;
    Term ka = ((const Term *)keys)[a->index], kb = ((const Term *)keys)[b->index];
    if (!map_keys_equal(ka, kb)) {
        for (unsigned round = 1; round < MAP_MAX_DEPTH / 8; round++) {
            uint32_t oa = slot_order(map_hash(ka, round)), ob = slot_order(map_hash(kb, round));
            if (oa != ob) return oa < ob ? -1 : 1;
        }
        too_deep();
    }
    return a->index > b->index ? -1 : a->index < b->index;
}

/* Sorts the entries by slot path. */
static void sort_entries(Entry *e, size_t n, const Term *keys)
{
    radix_sort(e, n);
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && e[j].order == e[i].order) j++;
        if (j - i > 1) qsort_r(e + i, j - i, sizeof(Entry), cmp_tied, (void *)keys);
        i = j;
    }
}

static unsigned entry_slot(const Builder *b, const Entry *e, unsigned depth)
{
    if (depth < 8) return (e->h >> (4 * depth)) & 0xF;
    return (map_hash(b->keys[e->index], depth / 8) >> (4 * (depth % 8))) & 0xF;
}

/*
 * The leaves of the kept entries, in one block in input order (as OTP
 * lays them out): looking keys up in the order they came in then walks
 * memory forwards. Returns false if `a` fails.
 */
static bool make_leaves(TermAlloc a, Builder *b, const Term *values, size_t n, size_t kept)
{
    Term *hp = map_alloc(a, 2 * kept);
    if (!hp) return false;
    bool *keep = map_malloc(n * sizeof(bool));
    memset(keep, 0, n * sizeof(bool));
    for (size_t i = 0; i < kept; i++) keep[b->e[i].index] = true;
    for (size_t i = 0; i < n; i++) {
        if (!keep[i]) continue;
        hp[0] = b->keys[i];
        hp[1] = values[i];
        b->leaf[i] = make_list(hp);
        hp += 2;
    }
    free(keep);
    return true;
}

/* The subtree of entries [lo, hi), which share their first `depth` slots. */
static Term build(Builder *b, size_t lo, size_t hi, unsigned depth)
{
    if (hi - lo == 1 && depth > 0) return b->leaf[b->e[lo].index];
    if (depth == MAP_MAX_DEPTH) too_deep();
    Term kids[16];
    unsigned bitmap = 0;
    size_t n = 0;
    for (size_t i = lo; i < hi;) {
        unsigned slot = entry_slot(b, &b->e[i], depth);
        size_t j = i + 1;
        while (j < hi && entry_slot(b, &b->e[j], depth) == slot) j++;
        kids[n] = build(b, i, j, depth + 1);
        if (!is_value(kids[n++])) return THE_NON_VALUE;
        bitmap |= 1u << slot;
        i = j;
    }
    Term *hp = node_alloc(b->a, n, hi - lo, bitmap);
    if (!hp) return THE_NON_VALUE;
    memcpy(hp + 2, kids, n * sizeof(Term));
    return make_boxed(hp);
}

Term hamt_from_pairs(TermAlloc a, const Term *keys, const Term *values, size_t n)
{
    Entry *e = map_malloc(n * sizeof(Entry));
    for (size_t i = 0; i < n; i++) {
        uint32_t h = map_hash0(keys[i]);
        e[i] = (Entry){slot_order(h), h, i};
    }
    sort_entries(e, n, keys);
    /* Equal keys are adjacent, the one to keep first. */
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        if (kept > 0 && e[kept - 1].order == e[i].order && map_keys_equal(keys[e[kept - 1].index], keys[e[i].index]))
            continue;
        e[kept++] = e[i];
    }
    Term m;
    if (kept <= MAP_FLAT_MAX) {
        Term *kv = map_malloc(2 * kept * sizeof(Term));
        for (size_t i = 0; i < kept; i++) {
            kv[i] = keys[e[i].index];
            kv[kept + i] = values[e[i].index];
        }
        m = flat_from_pairs(a, kv, kv + kept, kept);
        free(kv);
    } else {
        Builder b = {a, keys, e, map_malloc(n * sizeof(Term))};
        m = make_leaves(a, &b, values, n, kept) ? build(&b, 0, kept, 0) : THE_NON_VALUE;
        free(b.leaf);
    }
    free(e);
    return m;
}

/* ---- walking ---- */

void hamt_foreach(Term map, bool reverse, MapVisitor fn, void *ctx)
{
    const Term *node[MAP_MAX_DEPTH];
    size_t next[MAP_MAX_DEPTH]; /* how many children of node[d] are still to visit */
    size_t d = 0;
    node[0] = boxed_val(map);
    next[0] = hamt_children(node[0]);
    for (;;) {
        if (next[d] == 0) {
            if (d == 0) return;
            d--;
            continue;
        }
        size_t n = hamt_children(node[d]), left = next[d]--;
        Term child = node[d][2 + (reverse ? left - 1 : n - left)];
        if (is_list(child)) {
            fn(ctx, CAR(list_val(child)), CDR(list_val(child)));
        } else {
            node[++d] = boxed_val(child);
            next[d] = hamt_children(node[d]);
        }
    }
}

const Term *hamt_leaf_at(Term map, size_t i)
{
    const Term *node = boxed_val(map);
    for (;;) {
        const Term *kid = node + 2;
        for (size_t count; (count = subtree_count(*kid)) <= i; kid++) i -= count;
        if (is_list(*kid)) return list_val(*kid);
        node = boxed_val(*kid);
    }
}

/* ---- comparing ---- */

/*
 * Two canonical tries hold the same keys exactly when they have the same
 * shape and equal keys leaf for leaf. Then the maps compare as their values
 * at the smallest key whose values differ.
 */
bool map_compare_values(Term a, Term b, bool exact, int *order)
{
    const Term *na[MAP_MAX_DEPTH], *nb[MAP_MAX_DEPTH];
    size_t next[MAP_MAX_DEPTH], d = 0;
    na[0] = boxed_val(a);
    nb[0] = boxed_val(b);
    next[0] = 0;
    Term first_key = THE_NON_VALUE;
    *order = 0;
    for (;;) {
        if (next[d] == 0 && na[d][1] != nb[d][1]) return false; /* count or bitmap differ */
        if (next[d] == hamt_children(na[d])) {
            if (d == 0) return true;
            d--;
            continue;
        }
        Term ca = na[d][2 + next[d]], cb = nb[d][2 + next[d]];
        next[d]++;
        if (is_list(ca) != is_list(cb)) return false;
        if (!is_list(ca)) {
            d++;
            na[d] = boxed_val(ca);
            nb[d] = boxed_val(cb);
            next[d] = 0;
            continue;
        }
        Term key = CAR(list_val(ca));
        if (!map_keys_equal(key, CAR(list_val(cb)))) return false;
        Term va = CDR(list_val(ca)), vb = CDR(list_val(cb));
        int c = exact ? term_compare_exact(va, vb) : term_compare(va, vb);
        if (c != 0 && (!is_value(first_key) || term_compare_exact(key, first_key) < 0)) {
            first_key = key;
            *order = c;
        }
    }
}
