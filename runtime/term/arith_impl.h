/*
 * arith_impl.h - shared by the arith_*.c files only: GMP views of integer
 * terms, and building result terms (from mpz, 128-bit values, doubles).
 *
 * Operands are never copied: a bignum's limbs are viewed in place with
 * mpz_roinit_n, and a small integer is viewed through one limb kept in the
 * ArithView itself (so a view must stay where it was made while in use).
 * Views are read-only; results go to an mpz the caller initialises and
 * arith_from_mpz() clears.
 */
#ifndef ERBIUM_ARITH_IMPL_H
#define ERBIUM_ARITH_IMPL_H

#include "runtime/term/big.h"

typedef struct ArithView {
    mpz_t z;
    mp_limb_t limb;
} ArithView;

/* A read-only mpz equal to the integer term t. */
static inline mpz_srcptr arith_view(ArithView *v, Term t)
{
    if (is_small(t)) {
        intptr_t s = small_val(t);
        v->limb = s < 0 ? -(mp_limb_t)s : (mp_limb_t)s;
        return mpz_roinit_n(v->z, &v->limb, s < 0 ? -1 : s > 0);
    }
    mp_size_t n = (mp_size_t)big_limbs(t);
    return mpz_roinit_n(v->z, big_digits(t), big_is_negative(t) ? -n : n);
}

/*
 * The value of integer term t as a 128-bit integer, if it is within
 * (-2^127, 2^127): every small and the bignums of one or two limbs below
 * that bound. Bignums that small are common (64-bit hashes, nanosecond
 * system time), and machine arithmetic on them avoids GMP altogether.
 */
static inline bool arith_as_i128(Term t, __int128 *out)
{
    if (is_small(t)) {
        *out = small_val(t);
        return true;
    }
    size_t n = big_limbs(t);
    const mp_limb_t *d = big_digits(t);
    if (n > 2 || (n == 2 && d[1] >> 63)) return false;
    unsigned __int128 m = n == 2 ? ((unsigned __int128)d[1] << 64) | d[0] : d[0];
    *out = big_is_negative(t) ? -(__int128)m : (__int128)m;
    return true;
}

/* Both integer terms as 128-bit integers (see arith_as_i128). */
static inline bool arith_both_i128(Term a, Term b, __int128 *x, __int128 *y)
{
    return arith_as_i128(a, x) && arith_as_i128(b, y);
}

/* Limbs of an integer term's magnitude (0 for zero). */
static inline size_t arith_limbs(Term t)
{
    return is_small(t) ? small_val(t) != 0 : big_limbs(t);
}

/*
 * The term for r, then clears r. Raises system_limit when r exceeds
 * ARITH_MAX_BIG_LIMBS.
 */
Term arith_from_mpz(Process *p, mpz_t r);

/* The integer v (small, or a bignum of one or two limbs; any 128-bit value). */
Term arith_from_i128(Process *p, __int128 v);

/* A float term for r, or badarith when r is not finite (inf or NaN). */
Term arith_float_result(Process *p, double r);

/* Raises system_limit (for results that would be too large to compute). */
Term arith_system_limit(Process *p);

#endif
