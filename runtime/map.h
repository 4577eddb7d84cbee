/*
 * map.h - maps. For now every map is flat: a header (HDR_MAP, arity
 * 2 + n), the raw count n, a tuple of the n keys sorted in the exact term
 * order (term_compare_exact), then the n values in the same order. Lookups
 * are binary searches; an update that only replaces values shares the
 * keys tuple with the original.
 */
#ifndef ERBIUM_MAP_H
#define ERBIUM_MAP_H

#include "runtime/process.h"

static inline size_t map_size(Term map) { return (size_t)boxed_val(map)[1]; }
static inline Term map_keys(Term map) { return boxed_val(map)[2]; }
static inline Term *map_values(Term map) { return boxed_val(map) + 3; }

/* The value under key, or THE_NON_VALUE. */
Term map_get(Term map, Term key);

/*
 * map with the n key/value pairs kv[0], kv[1], ... added or replaced (a
 * later pair wins over an earlier one with the same key). With `exact`,
 * every key must already be present: otherwise returns THE_NON_VALUE and
 * sets *missing to the first absent key. Allocates with heap_alloc.
 */
Term map_update(Process *p, Term map, const Term *kv, size_t n, bool exact, Term *missing);

#endif
