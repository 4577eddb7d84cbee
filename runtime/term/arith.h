/*
 * arith.h - Erlang arithmetic on terms: the operators and the number BIFs.
 *
 * The interpreter inlines only small+small `+`/`-` (and comparisons) and
 * calls these for everything else. Each function returns the result term,
 * or THE_NON_VALUE after bif_error() with OTP's reason:
 *   - badarith for an operand of the wrong type, division by zero, a float
 *     result that is not finite, and a bignum too large for a double in a
 *     mixed integer/float operation;
 *   - system_limit when an integer result would exceed ARITH_MAX_BIG_LIMBS
 *     limbs (OTP's limit: `1 bsl 33554367` is the largest power of two),
 *     except bxor, which then fails with badarith as OTP 25 does;
 *   - badarg for the BIF-style functions (arith_abs ... arith_ceil) on a
 *     non-number, and for arith_float of a bignum beyond the double range.
 * Integer results are always normalised (a value that fits is small).
 * Memory comes from heap_alloc(p, ...): nothing here collects garbage.
 */
#ifndef ERBIUM_ARITH_H
#define ERBIUM_ARITH_H

#include "runtime/proc/process.h"

/* Largest bignum, in 64-bit limbs, that an operation may produce (as OTP). */
#define ARITH_MAX_BIG_LIMBS ((size_t)(1u << 19) - 1)

/* Binary operators: + - * / div rem band bor bxor bsl bsr. */
Term arith_add(Process *p, Term a, Term b);
Term arith_sub(Process *p, Term a, Term b);
Term arith_mul(Process *p, Term a, Term b);
Term arith_fdiv(Process *p, Term a, Term b); /* '/': always a float */
Term arith_div(Process *p, Term a, Term b);  /* truncates toward zero */
Term arith_rem(Process *p, Term a, Term b);  /* sign of the dividend */
Term arith_band(Process *p, Term a, Term b);
Term arith_bor(Process *p, Term a, Term b);
Term arith_bxor(Process *p, Term a, Term b);
Term arith_bsl(Process *p, Term a, Term b); /* a negative count shifts right */
Term arith_bsr(Process *p, Term a, Term b); /* arithmetic (floor) shift */

/*
 * Unary operators: bnot, -, and + as the BIF erlang:'+'/1 (which returns a
 * number unchanged). Note that OTP 25's gc_bif '+'/1 instruction computes
 * A + 0 instead (so +(-0.0) is 0.0 there): use arith_add(p, a, make_small(0))
 * for the instruction. Likewise OTP's fnegate computes 0.0 - F.
 */
Term arith_bnot(Process *p, Term a);
Term arith_neg(Process *p, Term a);
Term arith_plus(Process *p, Term a);

/* The BIFs abs/1, float/1, round/1, trunc/1, floor/1, ceil/1 (errors: badarg). */
Term arith_abs(Process *p, Term a);
Term arith_float(Process *p, Term a);
Term arith_round(Process *p, Term a);
Term arith_trunc(Process *p, Term a);
Term arith_floor(Process *p, Term a);
Term arith_ceil(Process *p, Term a);

/*
 * A number as a double, rounded to nearest as OTP does (also for bignums).
 * False when t is not a number or is an integer beyond the double range;
 * for fconv (which then raises badarith).
 */
bool arith_to_double(Term t, double *out);

/* The integer closest to d, which must be integral and finite (a small or a bignum). */
Term arith_int_from_double(Process *p, double d);

#endif
