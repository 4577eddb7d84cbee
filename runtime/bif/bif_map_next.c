/*
 * bif_map_next.c - erts_internal:map_next(Path, Map, Acc), the iteration
 * under OTP's maps:next/1, maps:to_list/1 and everything maps.beam builds
 * on them (fold, map, filter, foreach...).
 *
 * A flat map gives all its pairs at once (Path is only checked). A hash
 * map gives a chunk of pairs in iteration order starting at Path, which
 * names a leaf as OTP does: 4 bits per trie depth, the root's child
 * position in the lowest bits, and position 0 wherever the path runs out.
 * With Acc = iterator the chunk is {K1, V1, {K2, V2, ... Tail}} with Tail
 * = none or [NextPath | Map]; with Acc a list it is
 * [{Kn, Vn}, ..., {K1, V1} | Acc], preceded by NextPath and Map when
 * pairs remain, so maps:to_list ends in list order.
 *
 * Chunk size: OTP returns as many pairs as a quarter of the caller's
 * remaining reductions, and at most MAP_FLAT_MAX on a first call (path
 * 0). erbium does not count reductions here, so a chunk is what a full
 * time slice (4000 reductions) would give. Only code that looks inside
 * an iterator term can tell.
 */
#include "runtime/bif/bif.h"
#include "runtime/term/big.h"
#include "runtime/term/map_internal.h"

#include <stdatomic.h>

#define CHUNK_PAIRS 1000

/* The child position Path names at each depth. */
typedef struct Path {
    uint64_t small;         /* a small path's bits */
    const mp_limb_t *limbs; /* or a bignum's (16 positions per limb) */
    size_t nlimbs;
} Path;

static unsigned path_pos(const Path *path, size_t depth)
{
    size_t word = depth / 16, shift = 4 * (depth % 16);
    if (path->limbs) return word < path->nlimbs ? (unsigned)(path->limbs[word] >> shift) & 0xF : 0;
    return word == 0 ? (unsigned)(path->small >> shift) & 0xF : 0;
}

static bool is_iterator_atom(Term t)
{
    return is_atom(t) && atom_len(t) == 8 && memcmp(atom_text(t), "iterator", 8) == 0;
}

static Term none_atom(void)
{
    static _Atomic Term none;
    Term t = atomic_load_explicit(&none, memory_order_relaxed);
    if (t == 0) {
        t = atom_from_cstr("none");
        atomic_store_explicit(&none, t, memory_order_relaxed);
    }
    return t;
}

/* ---- the result under construction ---- */

typedef struct Out {
    Process *p;
    bool iterator;
    Term result; /* a list: what is built so far; an iterator: its first tuple */
    Term *hole;  /* an iterator: where the rest goes */
} Out;

static void emit(Out *o, Term key, Term value)
{
    if (o->iterator) {
        Term *hp = heap_alloc(o->p, 4);
        hp[0] = make_tuple_header(3);
        hp[1] = key;
        hp[2] = value;
        *o->hole = make_boxed(hp);
        o->hole = hp + 3;
        return;
    }
    Term *hp = heap_alloc(o->p, 5);
    hp[0] = make_tuple_header(2);
    hp[1] = key;
    hp[2] = value;
    hp[3] = make_boxed(hp);
    hp[4] = o->result;
    o->result = make_list(hp + 3);
}

/* Ends the result: `path` (or THE_NON_VALUE when no pairs remain) and map. */
static Term finish(Out *o, Term path, Term map)
{
    if (o->iterator) {
        if (!is_value(path)) {
            *o->hole = none_atom();
        } else {
            Term *hp = heap_alloc(o->p, 2);
            hp[0] = path;
            hp[1] = map;
            *o->hole = make_list(hp);
        }
        return o->result;
    }
    if (!is_value(path)) return o->result;
    Term *hp = heap_alloc(o->p, 4);
    hp[0] = path;
    hp[1] = make_list(hp + 2);
    hp[2] = map;
    hp[3] = o->result;
    return make_list(hp);
}

static Term flat_next(Process *p, Term path, Term map, Out *o)
{
    size_t n = map_size(map);
    if (!is_small(path) || ((uint64_t)path >> 4) > n) return bif_error(p, AM_badarg);
    const Term *keys = flat_keys(map), *values = flat_values(map);
    if (o->iterator) {
        for (size_t i = 0; i < n; i++) emit(o, keys[i], values[i]);
    } else {
        for (size_t i = n; i-- > 0;) emit(o, keys[i], values[i]);
    }
    return finish(o, THE_NON_VALUE, map);
}

/* ---- hash maps ---- */

/* A node on the way and its next position still to explore. */
typedef struct Frame {
    const Term *node;
    size_t next;
} Frame;

typedef struct Walk {
    Frame f[MAP_MAX_DEPTH];
    size_t depth;
} Walk;

static void walk_push(Walk *w, const Term *node, size_t next) { w->f[w->depth++] = (Frame){node, next}; }

/* The path naming the frames' next positions (each stored one past it). */
static Term path_term(Process *p, const Walk *w)
{
    uint8_t bytes[MAP_MAX_DEPTH / 2] = {0};
    for (size_t d = 0; d < w->depth; d++) bytes[d / 2] |= (uint8_t)((w->f[d].next - 1) << (4 * (d % 2)));
    return big_from_le_magnitude(bytes, (w->depth + 1) / 2, false, map_heap_alloc(p));
}

/*
 * Goes down the path to its leaf, emitting it, then on in iteration order
 * until `budget` pairs are out. Returns false if the path is not a leaf's.
 */
static bool walk(Walk *w, const Path *path, Term map, Out *o, size_t budget)
{
    const Term *node = boxed_val(map);
    for (size_t d = 0;; d++) {
        size_t pos = path_pos(path, d), n = hamt_children(node);
        if (pos >= n || d == MAP_MAX_DEPTH) return false;
        walk_push(w, node, pos + 1);
        Term child = node[2 + pos];
        if (is_list(child)) {
            emit(o, CAR(list_val(child)), CDR(list_val(child)));
            budget--;
            break;
        }
        node = boxed_val(child);
    }
    while (w->depth > 0) {
        Frame fr = w->f[--w->depth];
        size_t n = hamt_children(fr.node), i = fr.next;
        for (; i < n && budget > 0 && is_list(fr.node[2 + i]); i++, budget--)
            emit(o, CAR(list_val(fr.node[2 + i])), CDR(list_val(fr.node[2 + i])));
        if (budget == 0) {
            /* Leave the stack naming the next leaf: this node's or an ancestor's next child. */
            while (i >= n && w->depth > 0) {
                fr = w->f[--w->depth];
                n = hamt_children(fr.node);
                i = fr.next;
            }
            if (i < n) walk_push(w, fr.node, i + 1);
            break;
        }
        if (i < n) {
            walk_push(w, fr.node, i + 1);
            walk_push(w, boxed_val(fr.node[2 + i]), 0);
        }
    }
    return true;
}

static Term hash_next(Process *p, Term path_t, Term map, Out *o)
{
    Path path = {0, NULL, 0};
    size_t budget = CHUNK_PAIRS;
    if (is_small(path_t)) {
        path.small = (uint64_t)path_t >> 4;
        if (path.small == 0) budget = MAP_FLAT_MAX;
    } else if (is_big(path_t) && !big_is_negative(path_t)) {
        path.limbs = big_digits(path_t);
        path.nlimbs = big_limbs(path_t);
    } else {
        return bif_error(p, AM_badarg);
    }
    Walk w = {.depth = 0};
    if (!walk(&w, &path, map, o, budget)) return bif_error(p, AM_badarg);
    return finish(o, w.depth > 0 ? path_term(p, &w) : THE_NON_VALUE, map);
}

Term bif_erts_internal_map_next_3(Process *p, const Term *args)
{
    Term path = args[0], map = args[1], acc = args[2];
    if (!is_map(map)) return bif_error(p, AM_badarg);
    bool iterator = is_iterator_atom(acc);
    if (!iterator && !is_list(acc) && !is_nil(acc)) return bif_error(p, AM_badarg);
    Out o = {p, iterator, acc, NULL};
    o.hole = &o.result;
    return map_is_flat(map) ? flat_next(p, path, map, &o) : hash_next(p, path, map, &o);
}
