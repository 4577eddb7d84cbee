/*
 * arith_conv.c - numbers between integer and float: the BIFs abs/1,
 * float/1, round/1, trunc/1, floor/1, ceil/1 and the conversions they share
 * with mixed arithmetic.
 *
 * An integer converts to the nearest double, ties to even, as OTP does
 * (float((1 bsl 53) + 3) is 9007199254740996.0; GMP's mpz_get_d would
 * truncate instead). Integers at or beyond 2^1024 after rounding have no
 * double. These BIFs fail with badarg, not badarith, as in OTP; abs/1 of
 * -0.0 returns -0.0 unchanged, also as OTP 25 does.
 */
#include "runtime/term/arith.h"

#include <math.h>

#include "runtime/term/arith_impl.h"
#include "runtime/bif/bif.h"

/*
 * The top 64 bits of a magnitude of `bits` bits (bits > 64), with bit 0 set
 * if any lower bit is set: converting that word to double rounds exactly as
 * rounding the whole number would, since bit 0 lies below the rounding bit.
 */
static uint64_t big_top64_sticky(const mp_limb_t *d, size_t bits)
{
    size_t drop = bits - 64, li = drop / 64;
    unsigned off = (unsigned)(drop % 64);
    uint64_t top = off ? (d[li] >> off) | (d[li + 1] << (64 - off)) : d[li];
    bool sticky = off && (d[li] & ((UINT64_C(1) << off) - 1));
    for (size_t i = 0; i < li && !sticky; i++) sticky = d[i] != 0;
    return top | sticky;
}

static bool big_to_double(Term t, double *out)
{
    const mp_limb_t *d = big_digits(t);
    size_t n = big_limbs(t);
    size_t bits = n * 64 - (size_t)__builtin_clzll(d[n - 1]);
    double r =
        bits <= 64 ? (double)d[0] : ldexp((double)big_top64_sticky(d, bits), (int)(bits - 64));
    if (!isfinite(r)) return false;
    *out = big_is_negative(t) ? -r : r;
    return true;
}

bool arith_to_double(Term t, double *out)
{
    if (is_small(t)) {
        *out = (double)small_val(t);
        return true;
    }
    if (is_float(t)) {
        *out = float_val(t);
        return true;
    }
    return is_big(t) && big_to_double(t, out);
}

Term arith_int_from_double(Process *p, double d)
{
    if (d >= -0x1p59 && d < 0x1p59) return make_small((intptr_t)d);
    mpz_t r;
    mpz_init_set_d(r, d);
    return arith_from_mpz(p, r);
}

/* ---- the BIFs ---- */

Term arith_abs(Process *p, Term a)
{
    if (is_small(a)) {
        intptr_t v = small_val(a);
        return v < 0 ? int_from_i64(p, -v) : a;
    }
    if (is_big(a)) return big_is_negative(a) ? arith_neg(p, a) : a;
    if (is_float(a)) return float_val(a) < 0 ? arith_float_result(p, -float_val(a)) : a;
    return bif_error(p, AM_badarg);
}

Term arith_float(Process *p, Term a)
{
    if (is_float(a)) return a;
    double d;
    if (!is_integer(a) || !arith_to_double(a, &d)) return bif_error(p, AM_badarg);
    return arith_float_result(p, d);
}

/* An integer stays as it is; a float becomes the integer rounding(f). */
static Term to_integer(Process *p, Term a, double (*rounding)(double))
{
    if (is_integer(a)) return a;
    if (!is_float(a)) return bif_error(p, AM_badarg);
    return arith_int_from_double(p, rounding(float_val(a)));
}

Term arith_round(Process *p, Term a) { return to_integer(p, a, round); }
Term arith_trunc(Process *p, Term a) { return to_integer(p, a, trunc); }
Term arith_floor(Process *p, Term a) { return to_integer(p, a, floor); }
Term arith_ceil(Process *p, Term a) { return to_integer(p, a, ceil); }
