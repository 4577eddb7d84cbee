/*
 * arith_bits.c - the bitwise operators band bor bxor bnot bsl bsr.
 *
 * Integers behave as infinite two's complement bit strings (GMP's mpz_and
 * and friends have the same semantics, so bignums need no special care).
 * A shift by a negative count shifts the other way. Right shifts round
 * toward minus infinity (-7 bsr 1 is -4). A left shift whose result would
 * exceed ARITH_MAX_BIG_LIMBS is system_limit, checked before computing it;
 * a shift count that is itself a bignum can only give 0, -1 or that error.
 */
#include "runtime/arith.h"

#include "runtime/arith_impl.h"
#include "runtime/bif.h"

typedef void (*MpzBinOp)(mpz_ptr, mpz_srcptr, mpz_srcptr);

static Term bitwise(Process *p, Term a, Term b, MpzBinOp op)
{
    if (!is_integer(a) || !is_integer(b)) return bif_error(p, AM_badarith);
    ArithView va, vb;
    mpz_t r;
    mpz_init(r);
    op(r, arith_view(&va, a), arith_view(&vb, b));
    return arith_from_mpz(p, r);
}

/* On two smalls the tag bits (all ones) survive & and |, so the words combine directly. */
Term arith_band(Process *p, Term a, Term b)
{
    return both_small(a, b) ? (a & b) : bitwise(p, a, b, mpz_and);
}

Term arith_bor(Process *p, Term a, Term b)
{
    return both_small(a, b) ? (a | b) : bitwise(p, a, b, mpz_ior);
}

Term arith_bxor(Process *p, Term a, Term b)
{
    return both_small(a, b) ? ((a ^ b) | TAG_IMMED1_SMALL) : bitwise(p, a, b, mpz_xor);
}

Term arith_bnot(Process *p, Term a)
{
    if (is_small(a)) return make_small(~small_val(a));
    if (!is_big(a)) return bif_error(p, AM_badarith);
    ArithView va;
    mpz_t r;
    mpz_init(r);
    mpz_com(r, arith_view(&va, a));
    return arith_from_mpz(p, r);
}

/* ---- shifts ---- */

static int int_sign(Term t)
{
    if (is_small(t)) return (small_val(t) > 0) - (small_val(t) < 0);
    return big_is_negative(t) ? -1 : 1;
}

static Term shift_left(Process *p, Term a, uint64_t n)
{
    if (is_small(a) && n < 64) {
        /* 60 value bits shifted by under 64 fit 128 bits; multiply to avoid shifting a negative. */
        return arith_from_i128(p, (__int128)small_val(a) * ((__int128)1 << n));
    }
    ArithView va;
    mpz_srcptr z = arith_view(&va, a);
    if (mpz_sgn(z) == 0) return a;
    uint64_t bits = mpz_sizeinbase(z, 2) + n;
    if ((bits + 63) / 64 > ARITH_MAX_BIG_LIMBS) return arith_system_limit(p);
    mpz_t r;
    mpz_init(r);
    mpz_mul_2exp(r, z, n);
    return arith_from_mpz(p, r);
}

static Term shift_right(Process *p, Term a, uint64_t n)
{
    if (is_small(a)) {
        intptr_t v = small_val(a);
        return make_small(n >= 63 ? (v < 0 ? -1 : 0) : v >> n);
    }
    ArithView va;
    mpz_t r;
    mpz_init(r);
    mpz_fdiv_q_2exp(r, arith_view(&va, a), n);
    return arith_from_mpz(p, r);
}

/* a shifted left by count (right when count < 0). */
static Term shift(Process *p, Term a, Term count, bool left)
{
    if (!is_integer(a) || !is_integer(count)) return bif_error(p, AM_badarith);
    if (is_big(count)) {
        bool toward_left = left != big_is_negative(count);
        if (!toward_left) return make_small(int_sign(a) < 0 ? -1 : 0);
        return int_sign(a) == 0 ? a : arith_system_limit(p);
    }
    intptr_t n = small_val(count);
    if (!left) n = -n;
    return n >= 0 ? shift_left(p, a, (uint64_t)n) : shift_right(p, a, -(uint64_t)n);
}

Term arith_bsl(Process *p, Term a, Term b) { return shift(p, a, b, true); }
Term arith_bsr(Process *p, Term a, Term b) { return shift(p, a, b, false); }
