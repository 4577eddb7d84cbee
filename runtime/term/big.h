/*
 * big.h - integers beyond the small range, stored on the heap as a header
 * (HDR_POS_BIG / HDR_NEG_BIG, arity = limb count) followed by the magnitude
 * in GMP limbs, least significant first, with no leading zero limb. A value
 * that fits a small integer is always small: every operation normalises.
 *
 * Arithmetic goes through GMP's mpz on temporary storage and the result is
 * copied to the process heap (heap_alloc), so no operation collects garbage.
 */
#ifndef ERBIUM_BIG_H
#define ERBIUM_BIG_H

#include "runtime/proc/process.h"
#include <gmp.h>

/* Words a bignum with n limbs occupies (header included). */
static inline size_t big_words(size_t limbs) { return 1 + limbs; }
static inline bool big_is_negative(Term t) { return header_subtag(boxed_val(t)[0]) == HDR_NEG_BIG; }
static inline size_t big_limbs(Term t) { return header_arity(boxed_val(t)[0]); }
static inline const mp_limb_t *big_digits(Term t) { return (const mp_limb_t *)(boxed_val(t) + 1); }

/*
 * Builds the integer whose magnitude is the n bytes at `bytes`, little-endian
 * (as ETF's SMALL_BIG) or big-endian two's complement (as compact-term `i`
 * operands), allocating with `a` when a bignum is needed.
 * Returns THE_NON_VALUE if allocation fails.
 */
Term big_from_le_magnitude(const uint8_t *bytes, size_t n, bool negative, TermAlloc a);
Term big_from_be_twos_complement(const uint8_t *bytes, size_t n, TermAlloc a);

/* Integer term from a signed 64-bit value (small or bignum on p's heap). */
Term int_from_i64(Process *p, int64_t v);
Term int_from_u64(Process *p, uint64_t v);

/* Integer term (small or big) <-> mpz. big_from_mpz allocates on p's heap. */
void int_to_mpz(Term t, mpz_t out); /* out must be initialised */
Term int_from_mpz(Process *p, const mpz_t v);
Term int_from_mpz_alloc(const mpz_t v, TermAlloc a);

#endif
