/*
 * bif_math.c - the math module's functions that OTP implements in C (the
 * rest, like math:pi/0, comes from OTP's math.beam). As in OTP, a
 * non-number argument is badarg; a result that is not a finite float
 * (a domain error, an overflow) or an integer too large for a double is
 * badarith.
 */
#include "runtime/term/arith.h"
#include "runtime/bif/bif.h"
#include "runtime/proc/heap.h"

#include <math.h>

/* The float result, or badarith when it is not finite. */
static Term float_result(Process *p, double r)
{
    if (!isfinite(r)) return bif_error(p, AM_badarith);
    return make_float(heap_alloc(p, FLOAT_WORDS), r);
}

/* Reads a number argument; on failure the exception is set and false returned. */
static bool arg(Process *p, Term t, double *out)
{
    if (!is_number(t)) {
        bif_error(p, AM_badarg);
        return false;
    }
    if (!arith_to_double(t, out)) {
        bif_error(p, AM_badarith);
        return false;
    }
    return true;
}

static Term apply1(Process *p, const Term *args, double (*fn)(double))
{
    double x;
    return arg(p, args[0], &x) ? float_result(p, fn(x)) : THE_NON_VALUE;
}

static Term apply2(Process *p, const Term *args, double (*fn)(double, double))
{
    double x, y;
    return arg(p, args[0], &x) && arg(p, args[1], &y) ? float_result(p, fn(x, y)) : THE_NON_VALUE;
}

#define MATH1(name)                                                                                \
    Term bif_math_##name##_1(Process *p, const Term *args) { return apply1(p, args, name); }
#define MATH2(name)                                                                                \
    Term bif_math_##name##_2(Process *p, const Term *args) { return apply2(p, args, name); }

MATH1(sin)
MATH1(cos)
MATH1(tan)
MATH1(asin)
MATH1(acos)
MATH1(atan)
MATH1(sinh)
MATH1(cosh)
MATH1(tanh)
MATH1(asinh)
MATH1(acosh)
MATH1(atanh)
MATH1(exp)
MATH1(log)
MATH1(log2)
MATH1(log10)
MATH1(sqrt)
MATH1(erf)
MATH1(erfc)
MATH1(floor)
MATH1(ceil)
MATH2(atan2)
MATH2(pow)
MATH2(fmod)
