/*
 * load_map.c - building a small map from literal keys.
 *
 * `#{k1 => V1, ...}` compiles to put_map_assoc on the empty map. When every
 * key is a constant, the loader sorts the keys once into a literal keys
 * tuple and emits i_new_map_lit: the map is then a header, a count, that
 * shared tuple and the values, written straight onto the heap (no
 * map_update call, no keys copied). OTP does the same, so a map built this
 * way shares its keys tuple with every other map built by the same
 * expression, on both VMs.
 */
#include "runtime/loader/load_internal.h"

#include "runtime/term/map.h"
#include "runtime/term/term_cmp.h"

static bool is_constant(const GenArg *a)
{
    return a->kind == GA_A || a->kind == GA_I || a->kind == GA_NIL || a->kind == GA_LIT;
}

static bool is_empty_map(const GenArg *a)
{
    return a->kind == GA_LIT && is_map(a->term) && map_size(a->term) == 0;
}

/* put_map_assoc Fail Map Dst Live [K V ...]: true if emitted as i_new_map_lit. */
bool load_new_map_lit(Loader *L)
{
    size_t words = load_arg(L, 4)->val, n = words / 2;
    if (!is_empty_map(load_arg(L, 1)) || n == 0 || n > MAP_FLAT_MAX) return false;
    unsigned order[MAP_FLAT_MAX]; /* pair indices, by key */
    for (unsigned i = 0; i < n; i++) {
        const GenArg *key = load_arg(L, 5 + 2 * i);
        if (!is_constant(key)) return false;
        unsigned j = i;
        for (; j > 0; j--) {
            int c = term_compare_exact(load_arg(L, 5 + 2 * order[j - 1])->term, key->term);
            if (c == 0) return false; /* a repeated key: the general update keeps the last */
            if (c < 0) break;
            order[j] = order[j - 1];
        }
        order[j] = i;
    }
    Term *keys = literal_alloc(L->bf->literals, 1 + n);
    if (!keys) return false;
    keys[0] = make_tuple_header(n);
    for (size_t i = 0; i < n; i++) keys[1 + i] = load_arg(L, 5 + 2 * order[i])->term;
    load_emit_op(L, OP_i_new_map_lit);
    load_emit_dst(L, load_arg(L, 2));
    load_emit_u(L, load_arg(L, 3));
    load_emit(L, make_boxed(keys));
    load_emit(L, n);
    for (size_t i = 0; i < n; i++) load_emit_src(L, load_arg(L, 6 + 2 * order[i]));
    return true;
}
