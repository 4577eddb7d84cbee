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
#include "runtime/term/arith.h"

#include "runtime/term/arith_impl.h"
#include "runtime/bif/bif.h"

enum bit_op { BIT_AND, BIT_OR, BIT_XOR };

static __int128 bits_i128(__int128 x, __int128 y, enum bit_op op)
{
    return op == BIT_AND ? x & y : op == BIT_OR ? x | y : x ^ y;
}

static void bits_mpz(mpz_ptr r, mpz_srcptr x, mpz_srcptr y, enum bit_op op)
{
    if (op == BIT_AND) mpz_and(r, x, y);
    else if (op == BIT_OR) mpz_ior(r, x, y);
    else mpz_xor(r, x, y);
}

static Term bitwise(Process *p, Term a, Term b, enum bit_op op)
{
    if (!is_integer(a) || !is_integer(b)) return bif_error(p, AM_badarith);
    __int128 x, y;
    if (arith_both_i128(a, b, &x, &y)) return arith_from_i128(p, bits_i128(x, y, op));
    ArithView va, vb;
    mpz_t r;
    mpz_init(r);
    bits_mpz(r, arith_view(&va, a), arith_view(&vb, b), op);
    /*
     * Only bxor can outgrow its operands (the largest bignum bxor -1). OTP 25
     * then fails with badarith, not system_limit.
     */
    if (mpz_size(r) > ARITH_MAX_BIG_LIMBS) {
        mpz_clear(r);
        return bif_error(p, AM_badarith);
    }
    return arith_from_mpz(p, r);
}

/* On two smalls the tag bits (all ones) survive & and |, so the words combine directly. */
Term arith_band(Process *p, Term a, Term b)
{
    return both_small(a, b) ? (a & b) : bitwise(p, a, b, BIT_AND);
}

Term arith_bor(Process *p, Term a, Term b)
{
    return both_small(a, b) ? (a | b) : bitwise(p, a, b, BIT_OR);
}

Term arith_bxor(Process *p, Term a, Term b)
{
    return both_small(a, b) ? ((a ^ b) | TAG_IMMED1_SMALL) : bitwise(p, a, b, BIT_XOR);
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
