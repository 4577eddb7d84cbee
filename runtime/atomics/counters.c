/*
 * counters.c - erts_internal:counters_*: write_concurrency counter arrays (atomics.h).
 *
 * The counters are striped: stripe 0 for threads that are not schedulers
 * (dirty schedulers, the main thread), stripe 1 + i for scheduler i. Each
 * stripe is a run of 64-byte cache lines holding eight counters, so that
 * schedulers adding to the same counter never write the same line. A
 * counter's value is the sum of its stripes, wrapping as 64-bit signed
 * arithmetic does; put writes the value to stripe 0 and clears the others,
 * so, as on OTP, an add racing with a put may be lost.
 */
#include "runtime/atomics/atomics.h"

#include "runtime/term/big.h"
#include "runtime/term/magic.h"
#include "runtime/term/map.h"
#include "sched/sched.h"

#include <stdatomic.h>

#define LINE_BYTES 64
#define PER_LINE (LINE_BYTES / sizeof(uint64_t))

typedef struct CountersArr {
    size_t arity, lines, stripes;
    _Atomic uint64_t *c; /* stripes * lines * PER_LINE counters, aligned to a cache line */
} CountersArr;

static const MagicType counters_type = {"counters", NULL};

static _Atomic uint64_t *slot(const CountersArr *a, size_t stripe, size_t i)
{
    return &a->c[stripe * a->lines * PER_LINE + i];
}

static CountersArr *arr_at(Term ref, Term ix, size_t *i)
{
    Magic *m = magic_of(ref, &counters_type);
    if (!m) return NULL;
    CountersArr *a = magic_data(m);
    return atomics_index(ix, a->arity, i) ? a : NULL;
}

Term bif_erts_internal_counters_new_1(Process *p, const Term *args)
{
    size_t stripes = (size_t)sched_count() + 1, arity;
    size_t max_lines = (SIZE_MAX / 4 - sizeof(Magic) - sizeof(CountersArr) - LINE_BYTES) / LINE_BYTES / stripes;
    if (!atomics_arity(p, args[0], max_lines * PER_LINE, &arity)) return THE_NON_VALUE;
    size_t lines = (arity + PER_LINE - 1) / PER_LINE;
    Magic *m = magic_new(&counters_type, sizeof(CountersArr) + LINE_BYTES + lines * stripes * LINE_BYTES);
    if (!m) return atomics_error(p, AM_system_limit);
    CountersArr *a = magic_data(m);
    uintptr_t after = (uintptr_t)(a + 1);
    a->c = (_Atomic uint64_t *)((after + LINE_BYTES - 1) & ~(uintptr_t)(LINE_BYTES - 1));
    a->arity = arity;
    a->lines = lines;
    a->stripes = stripes;
    return magic_ref_new(p, m);
}

Term bif_erts_internal_counters_get_2(Process *p, const Term *args)
{
    size_t i;
    CountersArr *a = arr_at(args[0], args[1], &i);
    if (!a) return atomics_error(p, AM_badarg);
    uint64_t sum = 0;
    for (size_t s = 0; s < a->stripes; s++) sum += atomic_load_explicit(slot(a, s, i), memory_order_relaxed);
    return int_from_i64(p, (int64_t)sum);
}

Term bif_erts_internal_counters_add_3(Process *p, const Term *args)
{
    size_t i;
    uint64_t incr;
    bool neg;
    CountersArr *a = arr_at(args[0], args[1], &i);
    if (!a || !atomics_word(args[2], &incr, &neg)) return atomics_error(p, AM_badarg);
    size_t stripe = (size_t)(sched_self() + 1);
    atomic_fetch_add_explicit(slot(a, stripe < a->stripes ? stripe : 0, i), incr, memory_order_relaxed);
    return AM_ok;
}

Term bif_erts_internal_counters_put_3(Process *p, const Term *args)
{
    size_t i;
    uint64_t v;
    bool neg;
    CountersArr *a = arr_at(args[0], args[1], &i);
    if (!a || !atomics_word(args[2], &v, &neg) || (!neg && v > (uint64_t)INT64_MAX)) return atomics_error(p, AM_badarg);
    for (size_t s = 1; s < a->stripes; s++) atomic_store_explicit(slot(a, s, i), 0, memory_order_relaxed);
    atomic_store_explicit(slot(a, 0, i), v, memory_order_relaxed);
    return AM_ok;
}

/* #{size, memory}; memory is what the array's allocation takes. */
Term bif_erts_internal_counters_info_1(Process *p, const Term *args)
{
    Magic *m = magic_of(args[0], &counters_type);
    if (!m) return atomics_error(p, AM_badarg);
    const CountersArr *a = magic_data(m);
    Term keys[2] = {AM_memory, AM_size};
    Term values[2] = {int_from_u64(p, m->bytes), int_from_u64(p, a->arity)};
    return map_from_pairs(p, keys, values, 2);
}
