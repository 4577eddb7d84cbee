/*
 * atomics.c - the atomics module's BIFs and erts_internal:atomics_new/2 (atomics.h).
 *
 * An array is a Magic holding a word of flags (the arity, and whether the
 * values are signed) and the atomics. Values are kept as their 64 bits;
 * only reading them back and the range checks depend on the sign, so add
 * wraps the same way for both kinds.
 */
#include "runtime/atomics/atomics.h"

#include "runtime/proc/heap.h"
#include "runtime/term/big.h"
#include "runtime/term/magic.h"
#include "runtime/term/map.h"

#include <stdatomic.h>

/* erts_internal:atomics_new/2's option bit, as atomics.erl encodes it. */
#define OPT_SIGNED 1u

typedef struct AtomicsArr {
    uint64_t arity : 63;
    uint64_t is_signed : 1;
    _Atomic uint64_t v[];
} AtomicsArr;

static const MagicType atomics_type = {"atomics", NULL};

/* ---- shared with counters.c ---- */

Term atomics_error(Process *p, Term reason)
{
    Term key = AM_module, value = AM_erl_erts_errors;
    p->ferror_info = heap_tuple2(p, AM_error_info, map_from_pairs(p, &key, &value, 1));
    return bif_error(p, reason);
}

bool atomics_word(Term t, uint64_t *bits, bool *negative)
{
    if (is_small(t)) {
        *bits = (uint64_t)small_val(t);
        *negative = small_val(t) < 0;
        return true;
    }
    if (!is_big(t) || big_limbs(t) != 1 || sizeof(mp_limb_t) != 8) return false;
    uint64_t mag = big_digits(t)[0];
    *negative = big_is_negative(t);
    if (*negative && mag > (uint64_t)1 << 63) return false;
    *bits = *negative ? (uint64_t)0 - mag : mag;
    return true;
}

bool atomics_arity(Process *p, Term t, size_t max, size_t *out)
{
    bool positive = (is_small(t) && small_val(t) > 0) || (is_big(t) && !big_is_negative(t));
    if (!positive) return atomics_error(p, AM_badarg), false;
    if (!is_small(t) || (size_t)small_val(t) > max) return atomics_error(p, AM_system_limit), false;
    *out = (size_t)small_val(t);
    return true;
}

/* ---- the arrays ---- */

static Term atomics_badarg(Process *p) { return atomics_error(p, AM_badarg); }

/* The array Ref names and the 0-based index Ix; NULL when either is bad. */
static AtomicsArr *arr_at(Term ref, Term ix, size_t *i)
{
    Magic *m = magic_of(ref, &atomics_type);
    if (!m) return NULL;
    AtomicsArr *a = magic_data(m);
    return atomics_index(ix, a->arity, i) ? a : NULL;
}

/* t as a value the array can hold; false when it is out of the array's range. */
static bool value_of(const AtomicsArr *a, Term t, uint64_t *bits)
{
    bool neg;
    if (!atomics_word(t, bits, &neg)) return false;
    return a->is_signed ? neg || *bits <= (uint64_t)INT64_MAX : !neg;
}

static Term value_term(Process *p, const AtomicsArr *a, uint64_t bits)
{
    return a->is_signed ? int_from_i64(p, (int64_t)bits) : int_from_u64(p, bits);
}

Term bif_erts_internal_atomics_new_2(Process *p, const Term *args)
{
    if (!is_small(args[1]) || small_val(args[1]) < 0) return atomics_badarg(p);
    size_t arity;
    size_t max = (SIZE_MAX / 2 - sizeof(Magic) - sizeof(AtomicsArr)) / sizeof(uint64_t);
    if (!atomics_arity(p, args[0], max, &arity)) return THE_NON_VALUE;
    Magic *m = magic_new(&atomics_type, sizeof(AtomicsArr) + arity * sizeof(uint64_t));
    if (!m) return atomics_error(p, AM_system_limit);
    AtomicsArr *a = magic_data(m);
    a->arity = arity;
    a->is_signed = (small_val(args[1]) & OPT_SIGNED) != 0;
    return magic_ref_new(p, m);
}

Term bif_atomics_put_3(Process *p, const Term *args)
{
    size_t i;
    uint64_t v;
    AtomicsArr *a = arr_at(args[0], args[1], &i);
    if (!a || !value_of(a, args[2], &v)) return atomics_badarg(p);
    atomic_store(&a->v[i], v);
    return AM_ok;
}

Term bif_atomics_get_2(Process *p, const Term *args)
{
    size_t i;
    AtomicsArr *a = arr_at(args[0], args[1], &i);
    if (!a) return atomics_badarg(p);
    return value_term(p, a, atomic_load(&a->v[i]));
}

/* The increment of add and add_get: any integer in [-2^63, 2^64 - 1], for either kind of array. */
static AtomicsArr *add_args(const Term *args, size_t *i, uint64_t *incr)
{
    bool neg;
    AtomicsArr *a = arr_at(args[0], args[1], i);
    return a && atomics_word(args[2], incr, &neg) ? a : NULL;
}

Term bif_atomics_add_3(Process *p, const Term *args)
{
    size_t i;
    uint64_t incr;
    AtomicsArr *a = add_args(args, &i, &incr);
    if (!a) return atomics_badarg(p);
    atomic_fetch_add(&a->v[i], incr);
    return AM_ok;
}

Term bif_atomics_add_get_3(Process *p, const Term *args)
{
    size_t i;
    uint64_t incr;
    AtomicsArr *a = add_args(args, &i, &incr);
    if (!a) return atomics_badarg(p);
    return value_term(p, a, atomic_fetch_add(&a->v[i], incr) + incr);
}

Term bif_atomics_exchange_3(Process *p, const Term *args)
{
    size_t i;
    uint64_t v;
    AtomicsArr *a = arr_at(args[0], args[1], &i);
    if (!a || !value_of(a, args[2], &v)) return atomics_badarg(p);
    return value_term(p, a, atomic_exchange(&a->v[i], v));
}

/* ok when Desired was written, else the value found. */
Term bif_atomics_compare_exchange_4(Process *p, const Term *args)
{
    size_t i;
    uint64_t expected, desired;
    AtomicsArr *a = arr_at(args[0], args[1], &i);
    if (!a || !value_of(a, args[2], &expected) || !value_of(a, args[3], &desired)) return atomics_badarg(p);
    if (atomic_compare_exchange_strong(&a->v[i], &expected, desired)) return AM_ok;
    return value_term(p, a, expected);
}

/* #{size, max, min, memory}; memory is what the array's allocation takes. */
Term bif_atomics_info_1(Process *p, const Term *args)
{
    Magic *m = magic_of(args[0], &atomics_type);
    if (!m) return atomics_badarg(p);
    const AtomicsArr *a = magic_data(m);
    Term keys[4] = {AM_max, AM_memory, AM_min, AM_size};
    Term values[4] = {
        a->is_signed ? int_from_i64(p, INT64_MAX) : int_from_u64(p, UINT64_MAX),
        int_from_u64(p, m->bytes),
        a->is_signed ? int_from_i64(p, INT64_MIN) : make_small(0),
        int_from_u64(p, a->arity),
    };
    return map_from_pairs(p, keys, values, 4);
}
