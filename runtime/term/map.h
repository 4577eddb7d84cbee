/*
 * map.h - maps, laid out and ordered as in OTP 25.
 *
 * A map of up to MAP_FLAT_MAX keys is flat; a larger one is a hash array
 * mapped trie (HAMT). Every operation keeps that rule (a map that shrinks
 * to MAP_FLAT_MAX keys becomes flat again), because the representation
 * decides the order in which io:format, maps:to_list and friends show the
 * pairs.
 *
 * Flat map (HDR_MAP): hp[0] header (arity 2 + n), hp[1] n (raw), hp[2] a
 * tuple of the n keys sorted in the exact term order (term_compare_exact),
 * hp[3 .. 3 + n) the values in the same order. An update that only
 * replaces values shares the keys tuple with the original.
 *
 * Hash map (HDR_HASHMAP): a tree of nodes; the map term is the root node.
 * A node is hp[0] header (arity 1 + c), hp[1] (raw) the number of pairs
 * under the node << 16 | a 16-bit bitmap of occupied slots, then its c
 * children in slot order. A child is a leaf, the cons cell [Key | Value],
 * or a node (boxed). At depth d a key goes to slot (hash >> 4d) & 15 of
 * map_hash(Key, 0) for d < 8, and of map_hash(Key, d / 8) shifted by
 * 4 (d % 8) deeper down. The trie is canonical, as OTP's: a leaf sits at
 * the shallowest depth where its slot is its own, and a node below the
 * root never has a leaf as its only child. So OTP's maps:next paths are
 * valid here too.
 *
 * Orders. "Iteration order" is depth-first with slots ascending: that of
 * maps:next/iterator, maps:fold and io:format. "List order" is that of
 * maps:to_list, keys, values and term_to_binary: the reverse of iteration
 * order. For flat maps both are key order.
 */
#ifndef ERBIUM_MAP_H
#define ERBIUM_MAP_H

#include "runtime/proc/process.h"

#define MAP_FLAT_MAX 32

static inline bool map_is_flat(Term map) { return header_subtag(boxed_val(map)[0]) == HDR_MAP; }

static inline size_t map_size(Term map)
{
    const Term *hp = boxed_val(map);
    return map_is_flat(map) ? (size_t)hp[1] : (size_t)(hp[1] >> 16);
}

/* The value under key, or THE_NON_VALUE. */
Term map_get(Term map, Term key);

/*
 * map with the n key/value pairs kv[0], kv[1], ... added or replaced (a
 * later pair wins over an earlier one with the same key). With `exact`,
 * every key must already be present: otherwise returns THE_NON_VALUE and
 * sets *missing to the first absent key. Allocates with heap_alloc.
 */
Term map_update(Process *p, Term map, const Term *kv, size_t n, bool exact, Term *missing);

/*
 * map without key. *value (if not NULL) gets the value the key had, or
 * THE_NON_VALUE when it is absent (then map itself is returned).
 */
Term map_remove(Process *p, Term map, Term key, Term *value);

/* maps:merge/2: the pairs of both maps, b's value winning for a common key. */
Term map_merge(Process *p, Term a, Term b);

/* A map of n pairs in any order; for equal keys the later pair wins. */
Term map_from_pairs(Process *p, const Term *keys, const Term *values, size_t n);

/*
 * A map of n pairs whose keys are distinct and sorted in the exact order
 * (as a flat map holds them), built with `a`: flat up to MAP_FLAT_MAX
 * keys, a hash map beyond. For the loader's literals and binary_to_term.
 * THE_NON_VALUE when `a` fails.
 */
Term map_from_sorted(TermAlloc a, const Term *keys, const Term *values, size_t n);

/* Visits every pair, in list order when `list_order`, else in iteration order. */
typedef void (*MapVisitor)(void *ctx, Term key, Term value);
void map_foreach(Term map, bool list_order, MapVisitor fn, void *ctx);

/* The i-th pair in iteration order (i < map_size(map)), in time O(log n). */
void map_pair_at(Term map, size_t i, Term *key, Term *value);

/*
 * For comparing two hash maps of the same size. If they have the same
 * keys, sets *order to how their values compare in key order (with
 * term_compare_exact if `exact`, else term_compare) and returns true;
 * returns false if their keys differ.
 */
bool map_compare_values(Term a, Term b, bool exact, int *order);

/* Copies the pairs into keys[] and values[] sorted by key in the exact order. */
void map_sorted_pairs(Term map, Term *keys, Term *values);

/* OTP 25's hash of a map key for trie depths 8 * round to 8 * round + 7. */
uint32_t map_hash(Term key, unsigned round);

#endif
