/*
 * bits.h - bit-level reading and writing of byte buffers, the primitives of
 * binary matching and construction.
 *
 * Bits are numbered from the most significant bit of byte 0: bit offset b
 * is bit 7 - b % 8 of byte b / 8. Nothing here knows about terms; the
 * functions read and write exactly the bits they are told (a write keeps
 * the other bits of the bytes it touches), never a byte outside the range
 * [off / 8, (off + n + 7) / 8).
 *
 * Integers in a bitstring are big-endian (most significant bit first) or
 * little-endian. A little-endian integer of n bits is its n / 8 low bytes,
 * least significant first, followed by the remaining n % 8 high bits (so
 * <<16#ABC:12/little>> is <<16#BC, 16#A:4>>), as in OTP.
 */
#ifndef ERBIUM_BITS_H
#define ERBIUM_BITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Matching and construction flags (the u operand of bs_get_*, see BEAM_FORMAT.md 3.3). */
#define BITS_LITTLE 2u
#define BITS_SIGNED 4u
#define BITS_NATIVE 16u

/* Copies n bits from src at bit offset soff to dst at bit offset doff (no overlap). */
void bits_copy(uint8_t *dst, size_t doff, const uint8_t *src, size_t soff, size_t n);

/* Compares n bits of a (from aoff) and b (from boff): <0, 0, >0 as unsigned numbers. */
int bits_cmp(const uint8_t *a, size_t aoff, const uint8_t *b, size_t boff, size_t n);

/*
 * The n bits (n <= 64) at bit offset off, as a big-endian unsigned number.
 * Whole bytes at a byte offset are read directly; any other field gathers
 * the (at most nine) bytes it touches into a 128-bit accumulator.
 */
static inline uint64_t bits_get_u64(const uint8_t *src, size_t off, unsigned n)
{
    src += off >> 3;
    uint64_t v = 0;
    if (((off | n) & 7) == 0) {
        for (unsigned i = 0; i < n >> 3; i++) v = v << 8 | src[i];
        return v;
    }
    unsigned total = (unsigned)(off & 7) + n, nbytes = (total + 7) >> 3;
    unsigned __int128 acc = 0;
    for (unsigned i = 0; i < nbytes; i++) acc = acc << 8 | src[i];
    v = (uint64_t)(acc >> (nbytes * 8 - total));
    return n == 64 ? v : v & (((uint64_t)1 << n) - 1);
}

/* Writes the low n bits (n <= 64) of v at bit offset off, big-endian, keeping the other bits. */
static inline void bits_put_u64(uint8_t *dst, size_t off, uint64_t v, unsigned n)
{
    dst += off >> 3;
    if (((off | n) & 7) == 0) {
        for (unsigned i = n >> 3; i-- > 0; v >>= 8) dst[i] = (uint8_t)v;
        return;
    }
    unsigned total = (unsigned)(off & 7) + n, nbytes = (total + 7) >> 3, tail = nbytes * 8 - total;
    uint64_t m = n == 64 ? ~(uint64_t)0 : ((uint64_t)1 << n) - 1;
    unsigned __int128 val = (unsigned __int128)(v & m) << tail, mask = (unsigned __int128)m << tail;
    for (unsigned i = nbytes; i-- > 0; val >>= 8, mask >>= 8) {
        uint8_t b = (uint8_t)mask;
        dst[i] = (uint8_t)((dst[i] & ~b) | ((uint8_t)val & b));
    }
}

/*
 * A little-endian n-bit integer (n <= 64) and its big-endian reading, both
 * ways: the value v of <<V:n/little>> is bits_le_swap(bits_get_u64(...), n),
 * and bits_le_unswap(v, n) is what to write big-endian.
 */
uint64_t bits_le_swap(uint64_t raw, unsigned n);
uint64_t bits_le_unswap(uint64_t v, unsigned n);

/*
 * Floats of 16, 32 or 64 bits (IEEE half, single, double) from their bit
 * pattern. False for infinities and NaNs, which bitstring matching rejects.
 */
bool bits_float_decode(uint64_t raw, unsigned n, double *out);
/* The bit pattern of d as an n-bit float, rounded to nearest (overflow gives infinity). */
uint64_t bits_float_encode(double d, unsigned n);

/* A Unicode scalar value: 0..0x10FFFF and not a surrogate. */
static inline bool bits_is_code_point(int64_t c)
{
    return c >= 0 && c <= 0x10FFFF && !(c >= 0xD800 && c <= 0xDFFF);
}

/* Bits code point c takes as UTF-8 / UTF-16 (c must be a code point). */
static inline unsigned bits_utf8_size(uint32_t c)
{
    return c < 0x80 ? 8 : c < 0x800 ? 16 : c < 0x10000 ? 24 : 32;
}
static inline unsigned bits_utf16_size(uint32_t c) { return c < 0x10000 ? 16 : 32; }

/* Writes code point c (valid) as UTF-8/16/32 at bit offset off; returns the bits written. */
unsigned bits_put_utf8(uint8_t *dst, size_t off, uint32_t c);
unsigned bits_put_utf16(uint8_t *dst, size_t off, uint32_t c, bool little);
unsigned bits_put_utf32(uint8_t *dst, size_t off, uint32_t c, bool little);

/*
 * Decodes one code point from the `avail` bits at bit offset off. Returns
 * the bits it takes, or 0 when they do not start with a valid encoding
 * (UTF-8: no overlong forms, surrogates or values above 0x10FFFF; UTF-16:
 * no unpaired surrogates; UTF-32: a code point).
 */
unsigned bits_get_utf8(const uint8_t *src, size_t off, size_t avail, uint32_t *c);
unsigned bits_get_utf16(const uint8_t *src, size_t off, size_t avail, bool little, uint32_t *c);
unsigned bits_get_utf32(const uint8_t *src, size_t off, size_t avail, bool little, uint32_t *c);

#endif
