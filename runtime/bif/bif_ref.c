/* bif_ref.c - references and unique integers: VM-wide counters. */
#include "runtime/bif/bif.h"

#include "runtime/term/big.h"
#include "runtime/proc/heap.h"

#include <stdatomic.h>

static atomic_uint_fast64_t ref_counter;
static atomic_uint_fast64_t unique_counter;

Term bif_make_ref_0(Process *p, const Term *args)
{
    uint64_t n = atomic_fetch_add_explicit(&ref_counter, 1, memory_order_relaxed);
    Term *hp = heap_alloc(p, 1 + REF_WORDS);
    hp[0] = make_header(REF_WORDS, HDR_REF);
    hp[1] = (Term)n;
    hp[2] = (Term)pid_number(p->pid);
    return make_boxed(hp);
}

/* Strictly increasing and positive: satisfies every option combination. */
static Term next_unique(Process *p)
{
    uint64_t n = atomic_fetch_add_explicit(&unique_counter, 1, memory_order_relaxed) + 1;
    return int_from_u64(p, n);
}

Term bif_unique_integer_0(Process *p, const Term *args) { return next_unique(p); }

Term bif_unique_integer_1(Process *p, const Term *args)
{
    Term opts = args[0];
    for (; is_list(opts); opts = list_tail(opts)) {
        Term o = list_head(opts);
        if (o != atom_from_cstr("positive") && o != atom_from_cstr("monotonic")) return bif_error(p, AM_badarg);
    }
    if (!is_nil(opts)) return bif_error(p, AM_badarg);
    return next_unique(p);
}
