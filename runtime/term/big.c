/*
 * big.c - integer terms to and from machine integers and GMP's mpz.
 *
 * A bignum is a header (HDR_POS_BIG / HDR_NEG_BIG, arity = limb count)
 * followed by the magnitude's limbs, least significant first, exactly as
 * GMP stores them, so an mpz can be viewed in place (mpz_roinit_n) or
 * copied out with one memcpy. Every constructor here normalises: a value in
 * the small range always comes back as a small integer.
 */
#include "runtime/term/big.h"

#include "runtime/proc/heap.h"

_Static_assert(sizeof(mp_limb_t) == sizeof(Term), "erbium needs 64-bit GMP limbs");
_Static_assert(GMP_NAIL_BITS == 0, "erbium needs GMP without nail bits");

/* Magnitude bound of a negative small: |MIN_SMALL| is one more than MAX_SMALL. */
#define SMALL_NEG_MAGNITUDE ((uint64_t)MAX_SMALL + 1)

static Term big_write_limb(Term *hp, uint64_t magnitude, bool negative)
{
    hp[0] = make_header(1, negative ? HDR_NEG_BIG : HDR_POS_BIG);
    hp[1] = (Term)magnitude;
    return make_boxed(hp);
}

Term int_from_i64(Process *p, int64_t v)
{
    if (small_fits((intptr_t)v)) return make_small((intptr_t)v);
    uint64_t magnitude = v < 0 ? -(uint64_t)v : (uint64_t)v;
    return big_write_limb(heap_alloc(p, big_words(1)), magnitude, v < 0);
}

Term int_from_u64(Process *p, uint64_t v)
{
    if (v <= (uint64_t)MAX_SMALL) return make_small((intptr_t)v);
    return big_write_limb(heap_alloc(p, big_words(1)), v, false);
}

void int_to_mpz(Term t, mpz_t out)
{
    if (is_small(t)) {
        mpz_set_si(out, (long)small_val(t));
        return;
    }
    mpz_t view;
    mp_size_t n = (mp_size_t)big_limbs(t);
    mpz_set(out, mpz_roinit_n(view, big_digits(t), big_is_negative(t) ? -n : n));
}

/* The small integer equal to v, or THE_NON_VALUE when v is outside the small range. */
static Term mpz_as_small(const mpz_t v)
{
    if (mpz_size(v) > 1) return THE_NON_VALUE;
    uint64_t magnitude = mpz_getlimbn(v, 0);
    if (mpz_sgn(v) >= 0) {
        return magnitude <= (uint64_t)MAX_SMALL ? make_small((intptr_t)magnitude) : THE_NON_VALUE;
    }
    return magnitude <= SMALL_NEG_MAGNITUDE ? make_small(-(intptr_t)(magnitude - 1) - 1)
                                            : THE_NON_VALUE;
}

/* Writes v (outside the small range) as a bignum at hp (big_words(mpz_size(v)) words). */
static Term big_write_mpz(Term *hp, const mpz_t v)
{
    size_t n = mpz_size(v);
    hp[0] = make_header(n, mpz_sgn(v) < 0 ? HDR_NEG_BIG : HDR_POS_BIG);
    memcpy(hp + 1, mpz_limbs_read(v), n * sizeof(mp_limb_t));
    return make_boxed(hp);
}

Term int_from_mpz(Process *p, const mpz_t v)
{
    Term t = mpz_as_small(v);
    if (is_value(t)) return t;
    return big_write_mpz(heap_alloc(p, big_words(mpz_size(v))), v);
}

Term int_from_mpz_alloc(const mpz_t v, TermAlloc a)
{
    Term t = mpz_as_small(v);
    if (is_value(t)) return t;
    Term *hp = a.alloc(a.ctx, big_words(mpz_size(v)));
    return hp ? big_write_mpz(hp, v) : THE_NON_VALUE;
}
