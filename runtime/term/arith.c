/*
 * arith.c - the arithmetic operators + - * / div rem, unary - and +.
 *
 * Each operator tries, in order: both operands small (machine arithmetic;
 * 60-bit values cannot overflow a 64-bit sum, and a product fits 128 bits),
 * both integers within 128 bits (__int128 arithmetic when it does not
 * overflow), both integers (GMP on read-only views of the operands, see
 * arith_impl.h), then both numbers (converted to double: OTP's mixed
 * arithmetic). Anything else is badarith.
 */
#include "runtime/term/arith.h"

#include <math.h>

#include "runtime/term/arith_impl.h"
#include "runtime/bif/bif.h"
#include "runtime/proc/heap.h"

typedef void (*MpzBinOp)(mpz_ptr, mpz_srcptr, mpz_srcptr);

enum float_op { FOP_ADD, FOP_SUB, FOP_MUL, FOP_DIV };

/* ---- result builders shared by arith_*.c ---- */

Term arith_system_limit(Process *p) { return bif_error(p, AM_system_limit); }

Term arith_from_mpz(Process *p, mpz_t r)
{
    Term t = mpz_size(r) > ARITH_MAX_BIG_LIMBS ? arith_system_limit(p) : int_from_mpz(p, r);
    mpz_clear(r);
    return t;
}

Term arith_from_i128(Process *p, __int128 v)
{
    if (v >= MIN_SMALL && v <= MAX_SMALL) return make_small((intptr_t)v);
    unsigned __int128 m = v < 0 ? -(unsigned __int128)v : (unsigned __int128)v;
    uint64_t high = (uint64_t)(m >> 64);
    size_t n = high ? 2 : 1;
    Term *hp = heap_alloc(p, big_words(n));
    hp[0] = make_header(n, v < 0 ? HDR_NEG_BIG : HDR_POS_BIG);
    hp[1] = (Term)(uint64_t)m;
    if (high) hp[2] = (Term)high;
    return make_boxed(hp);
}

Term arith_float_result(Process *p, double r)
{
    if (!isfinite(r)) return bif_error(p, AM_badarith);
    return make_float(heap_alloc(p, FLOAT_WORDS), r);
}

/* ---- the general cases ---- */

static Term int_binop(Process *p, Term a, Term b, MpzBinOp op)
{
    ArithView va, vb;
    mpz_t r;
    mpz_init(r);
    op(r, arith_view(&va, a), arith_view(&vb, b));
    return arith_from_mpz(p, r);
}

/* Mixed or float operands: both must be numbers that convert to double. */
static Term float_binop(Process *p, Term a, Term b, enum float_op op)
{
    double x, y;
    if (!arith_to_double(a, &x) || !arith_to_double(b, &y)) return bif_error(p, AM_badarith);
    switch (op) {
    case FOP_ADD: return arith_float_result(p, x + y);
    case FOP_SUB: return arith_float_result(p, x - y);
    case FOP_MUL: return arith_float_result(p, x * y);
    case FOP_DIV: break;
    }
    if (y == 0.0) return bif_error(p, AM_badarith);
    return arith_float_result(p, x / y);
}

static bool both_integer(Term a, Term b) { return is_integer(a) && is_integer(b); }

/* ---- + - * / ---- */

Term arith_add(Process *p, Term a, Term b)
{
    if (both_small(a, b)) return int_from_i64(p, small_val(a) + small_val(b));
    if (!both_integer(a, b)) return float_binop(p, a, b, FOP_ADD);
    __int128 x, y, r;
    if (arith_both_i128(a, b, &x, &y) && !__builtin_add_overflow(x, y, &r))
        return arith_from_i128(p, r);
    return int_binop(p, a, b, mpz_add);
}

Term arith_sub(Process *p, Term a, Term b)
{
    if (both_small(a, b)) return int_from_i64(p, small_val(a) - small_val(b));
    if (!both_integer(a, b)) return float_binop(p, a, b, FOP_SUB);
    __int128 x, y, r;
    if (arith_both_i128(a, b, &x, &y) && !__builtin_sub_overflow(x, y, &r))
        return arith_from_i128(p, r);
    return int_binop(p, a, b, mpz_sub);
}

Term arith_mul(Process *p, Term a, Term b)
{
    if (both_small(a, b)) return arith_from_i128(p, (__int128)small_val(a) * small_val(b));
    if (!both_integer(a, b)) return float_binop(p, a, b, FOP_MUL);
    __int128 x, y, r;
    if (arith_both_i128(a, b, &x, &y) && !__builtin_mul_overflow(x, y, &r))
        return arith_from_i128(p, r);
    /* A product of m and n limbs has at least m+n-1: refuse before computing it. */
    size_t la = arith_limbs(a), lb = arith_limbs(b);
    if (la && lb && la + lb - 1 > ARITH_MAX_BIG_LIMBS) return arith_system_limit(p);
    return int_binop(p, a, b, mpz_mul);
}

Term arith_fdiv(Process *p, Term a, Term b) { return float_binop(p, a, b, FOP_DIV); }

/* ---- div rem ---- */

static bool is_zero(Term t) { return t == make_small(0); }

Term arith_div(Process *p, Term a, Term b)
{
    if (!both_integer(a, b) || is_zero(b)) return bif_error(p, AM_badarith);
    /* MIN_SMALL div -1 is the one small quotient that needs a bignum. */
    if (both_small(a, b)) return int_from_i64(p, small_val(a) / small_val(b));
    __int128 x, y;
    if (arith_both_i128(a, b, &x, &y)) return arith_from_i128(p, x / y);
    return int_binop(p, a, b, mpz_tdiv_q);
}

Term arith_rem(Process *p, Term a, Term b)
{
    if (!both_integer(a, b) || is_zero(b)) return bif_error(p, AM_badarith);
    if (both_small(a, b)) return make_small(small_val(a) % small_val(b));
    __int128 x, y;
    if (arith_both_i128(a, b, &x, &y)) return arith_from_i128(p, x % y);
    return int_binop(p, a, b, mpz_tdiv_r);
}

/* ---- unary - and + ---- */

Term arith_neg(Process *p, Term a)
{
    if (is_small(a)) return int_from_i64(p, -small_val(a));
    if (is_big(a)) {
        /* A view of a with the sign flipped; -(2^59) comes back small. */
        mpz_t z;
        mp_size_t n = (mp_size_t)big_limbs(a);
        return int_from_mpz(p, mpz_roinit_n(z, big_digits(a), big_is_negative(a) ? n : -n));
    }
    if (is_float(a)) return arith_float_result(p, -float_val(a));
    return bif_error(p, AM_badarith);
}

Term arith_plus(Process *p, Term a)
{
    return is_number(a) ? a : bif_error(p, AM_badarith);
}
