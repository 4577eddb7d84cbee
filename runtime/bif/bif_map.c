/*
 * bif_map.c - the map BIFs: erlang:map_size/1, map_get/2, is_map_key/2
 * and the maps functions OTP 25 implements in C (get/2, find/2, put/3,
 * update/3, remove/2, take/2, is_key/2, keys/1, values/1, from_list/1,
 * from_keys/2, merge/2). The rest of maps (to_list, fold, iterators...) is
 * OTP's own maps.beam over erts_internal:map_next/3 (bif_map_next.c).
 *
 * Errors as in OTP 25: a map argument that is not a map gives
 * {badmap, Term}; a missing key for get/update {badkey, Key}; a malformed
 * list badarg.
 */
#include "runtime/bif/bif.h"
#include "runtime/proc/heap.h"
#include "runtime/term/map.h"

#include <stdio.h>
#include <stdlib.h>

static Term badmap(Process *p, Term t)
{
    Term *hp = heap_alloc(p, 3);
    hp[0] = make_tuple_header(2);
    hp[1] = AM_badmap;
    hp[2] = t;
    return bif_error(p, make_boxed(hp));
}

static Term badkey(Process *p, Term key)
{
    Term *hp = heap_alloc(p, 3);
    hp[0] = make_tuple_header(2);
    hp[1] = AM_badkey;
    hp[2] = key;
    return bif_error(p, make_boxed(hp));
}

/* ---- lookups ---- */

Term bif_map_size_1(Process *p, const Term *args)
{
    if (!is_map(args[0])) return badmap(p, args[0]);
    return make_small((intptr_t)map_size(args[0]));
}

/* maps:get/2 and erlang:map_get/2 */
Term bif_maps_get_2(Process *p, const Term *args)
{
    Term key = args[0], map = args[1];
    if (!is_map(map)) return badmap(p, map);
    Term v = map_get(map, key);
    return is_value(v) ? v : badkey(p, key);
}

/* maps:is_key/2 and erlang:is_map_key/2 */
Term bif_maps_is_key_2(Process *p, const Term *args)
{
    if (!is_map(args[1])) return badmap(p, args[1]);
    return is_value(map_get(args[1], args[0])) ? AM_true : AM_false;
}

Term bif_maps_find_2(Process *p, const Term *args)
{
    Term key = args[0], map = args[1];
    if (!is_map(map)) return badmap(p, map);
    Term v = map_get(map, key);
    return is_value(v) ? heap_tuple2(p, AM_ok, v) : AM_error;
}

/* ---- updates ---- */

Term bif_maps_put_3(Process *p, const Term *args)
{
    Term kv[2] = {args[0], args[1]}, map = args[2], missing;
    if (!is_map(map)) return badmap(p, map);
    return map_update(p, map, kv, 1, false, &missing);
}

Term bif_maps_update_3(Process *p, const Term *args)
{
    Term kv[2] = {args[0], args[1]}, map = args[2], missing;
    if (!is_map(map)) return badmap(p, map);
    Term r = map_update(p, map, kv, 1, true, &missing);
    return is_value(r) ? r : badkey(p, missing);
}

Term bif_maps_remove_2(Process *p, const Term *args)
{
    if (!is_map(args[1])) return badmap(p, args[1]);
    return map_remove(p, args[1], args[0], NULL);
}

Term bif_maps_take_2(Process *p, const Term *args)
{
    Term map = args[1], value;
    if (!is_map(map)) return badmap(p, map);
    Term rest = map_remove(p, map, args[0], &value);
    return is_value(value) ? heap_tuple2(p, value, rest) : AM_error;
}

Term bif_maps_merge_2(Process *p, const Term *args)
{
    if (!is_map(args[0])) return badmap(p, args[0]);
    if (!is_map(args[1])) return badmap(p, args[1]);
    return map_merge(p, args[0], args[1]);
}

/* ---- lists ---- */

/* Cons cells filled front to back as the pairs come in list order. */
typedef struct ListFill {
    Term *hp;
    bool values; /* the values, else the keys */
} ListFill;

static void fill_item(void *ctx, Term key, Term value)
{
    ListFill *f = ctx;
    f->hp[0] = f->values ? value : key;
    f->hp[1] = make_list(f->hp + 2);
    f->hp += 2;
}

static Term map_list(Process *p, Term map, bool values)
{
    size_t n = map_size(map);
    if (n == 0) return NIL;
    Term *hp = heap_alloc(p, 2 * n);
    ListFill f = {hp, values};
    map_foreach(map, true, fill_item, &f);
    f.hp[-1] = NIL; /* the last cell's tail */
    return make_list(hp);
}

Term bif_maps_keys_1(Process *p, const Term *args)
{
    if (!is_map(args[0])) return badmap(p, args[0]);
    return map_list(p, args[0], false);
}

Term bif_maps_values_1(Process *p, const Term *args)
{
    if (!is_map(args[0])) return badmap(p, args[0]);
    return map_list(p, args[0], true);
}

/* ---- building ---- */

/* Length of a proper list, or -1. */
static ptrdiff_t list_length(Term list)
{
    ptrdiff_t n = 0;
    for (; is_list(list); list = list_tail(list)) n++;
    return is_nil(list) ? n : -1;
}

/* Keys and values in one buffer: keys at kv[0..n), values at kv[n..2n). */
static Term *pair_buffer(size_t n)
{
    Term *kv = malloc((2 * n + 1) * sizeof(Term));
    if (!kv) {
        fprintf(stderr, "erbium: out of memory building a map\n");
        abort();
    }
    return kv;
}

Term bif_maps_from_list_1(Process *p, const Term *args)
{
    ptrdiff_t n = list_length(args[0]);
    if (n < 0) return bif_error(p, AM_badarg);
    Term *kv = pair_buffer((size_t)n);
    size_t i = 0;
    for (Term l = args[0]; is_list(l); l = list_tail(l), i++) {
        Term t = list_head(l);
        if (!is_tuple(t) || tuple_arity(t) != 2) {
            free(kv);
            return bif_error(p, AM_badarg);
        }
        kv[i] = tuple_elems(t)[0];
        kv[n + i] = tuple_elems(t)[1];
    }
    Term m = map_from_pairs(p, kv, kv + n, (size_t)n);
    free(kv);
    return m;
}

Term bif_maps_from_keys_2(Process *p, const Term *args)
{
    ptrdiff_t n = list_length(args[0]);
    if (n < 0) return bif_error(p, AM_badarg);
    Term *kv = pair_buffer((size_t)n);
    size_t i = 0;
    for (Term l = args[0]; is_list(l); l = list_tail(l), i++) {
        kv[i] = list_head(l);
        kv[n + i] = args[1];
    }
    Term m = map_from_pairs(p, kv, kv + n, (size_t)n);
    free(kv);
    return m;
}
