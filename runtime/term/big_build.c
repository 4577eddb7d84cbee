/*
 * big_build.c - integers from byte strings (see big.h): ETF's little-endian
 * magnitudes and the compact encoding's big-endian two's complement.
 *
 * Both end in the same place: a little-endian magnitude and a sign. The
 * result is normalised, so a value in the 60-bit small range always comes
 * back as a small integer and a bignum never has a leading zero limb.
 */
#include "runtime/term/big.h"

#include <stdlib.h>

_Static_assert(sizeof(mp_limb_t) == sizeof(Term), "limbs must be one word");

/* The small integer for magnitude v, or THE_NON_VALUE if it does not fit. */
static Term small_from_magnitude(uint64_t v, bool negative)
{
    if (!negative) return v <= (uint64_t)MAX_SMALL ? make_small((intptr_t)v) : THE_NON_VALUE;
    if (v > (uint64_t)MAX_SMALL + 1) return THE_NON_VALUE;
    return make_small(-(intptr_t)(v - 1) - 1);
}

Term big_from_le_magnitude(const uint8_t *bytes, size_t n, bool negative, TermAlloc a)
{
    while (n > 0 && bytes[n - 1] == 0) n--;
    if (n <= 8) {
        uint64_t v = 0;
        for (size_t i = 0; i < n; i++) v |= (uint64_t)bytes[i] << (8 * i);
        Term t = small_from_magnitude(v, negative);
        if (t != THE_NON_VALUE) return t;
    }
    size_t limbs = (n + 7) / 8;
    Term *hp = a.alloc(a.ctx, big_words(limbs));
    if (!hp) return THE_NON_VALUE;
    hp[0] = make_header(limbs, negative ? HDR_NEG_BIG : HDR_POS_BIG);
    for (size_t i = 0; i < limbs; i++) hp[1 + i] = 0;
    for (size_t i = 0; i < n; i++) hp[1 + i / 8] |= (Term)bytes[i] << (8 * (i % 8));
    return make_boxed(hp);
}

/*
 * Writes the magnitude of the big-endian two's-complement number be[0..n)
 * to le[0..n), least significant byte first; returns true if negative.
 * Negation is done byte by byte: invert, then add one with carry.
 */
static bool twos_complement_to_le(const uint8_t *be, size_t n, uint8_t *le)
{
    bool negative = n > 0 && (be[0] & 0x80);
    unsigned carry = 1;
    for (size_t i = 0; i < n; i++) {
        uint8_t b = be[n - 1 - i];
        if (negative) {
            unsigned v = (uint8_t)~b + carry;
            le[i] = (uint8_t)v;
            carry = v >> 8;
        } else {
            le[i] = b;
        }
    }
    return negative;
}

Term big_from_be_twos_complement(const uint8_t *bytes, size_t n, TermAlloc a)
{
    uint8_t local[64] = {0}; /* initialised only to quiet -Wmaybe-uninitialized */
    uint8_t *le = n <= sizeof local ? local : malloc(n);
    if (!le) return THE_NON_VALUE;
    bool negative = twos_complement_to_le(bytes, n, le);
    Term t = big_from_le_magnitude(le, n, negative, a);
    if (le != local) free(le);
    return t;
}
