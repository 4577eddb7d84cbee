/*
 * bits.c - bit-level reading and writing of byte buffers (see bits.h).
 *
 * Reads and writes of up to 64 bits gather the (at most nine) bytes they
 * touch into a 128-bit accumulator, so a field at any bit offset costs one
 * short loop. Whole-buffer copies take memcpy when both sides are byte
 * aligned and otherwise a byte loop that merges two source bytes per
 * destination byte.
 */
#include "runtime/term/bits.h"

#include <math.h>
#include <string.h>

static inline uint64_t low_mask(unsigned n) { return n >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << n) - 1; }

/* Copies n bits to a byte-aligned destination from bit offset s (1..7) of src. */
static void copy_shifted(uint8_t *dst, const uint8_t *src, unsigned s, size_t n)
{
    size_t full = n >> 3;
    for (size_t i = 0; i < full; i++) dst[i] = (uint8_t)((src[i] << s) | (src[i + 1] >> (8 - s)));
    if (n & 7) bits_put_u64(dst + full, 0, bits_get_u64(src + full, s, (unsigned)(n & 7)), (unsigned)(n & 7));
}

void bits_copy(uint8_t *dst, size_t doff, const uint8_t *src, size_t soff, size_t n)
{
    if (n == 0) return;
    dst += doff >> 3;
    src += soff >> 3;
    unsigned d = (unsigned)(doff & 7), s = (unsigned)(soff & 7);
    if (d != 0) { /* fill the destination's first byte, then it is aligned */
        unsigned head = 8 - d;
        if (head > n) head = (unsigned)n;
        bits_put_u64(dst, d, bits_get_u64(src, s, head), head);
        n -= head;
        dst++;
        src += (s + head) >> 3;
        s = (s + head) & 7;
    }
    if (n == 0) return;
    if (s != 0) {
        copy_shifted(dst, src, s, n);
        return;
    }
    memcpy(dst, src, n >> 3);
    if (n & 7) bits_put_u64(dst + (n >> 3), 0, src[n >> 3] >> (8 - (n & 7)), (unsigned)(n & 7));
}

int bits_cmp(const uint8_t *a, size_t aoff, const uint8_t *b, size_t boff, size_t n)
{
    if ((aoff & 7) == 0 && (boff & 7) == 0) {
        int c = memcmp(a + (aoff >> 3), b + (boff >> 3), n >> 3);
        if (c != 0 || (n & 7) == 0) return c;
        size_t done = n & ~(size_t)7;
        aoff += done;
        boff += done;
        n &= 7;
    }
    while (n > 0) {
        unsigned k = n < 64 ? (unsigned)n : 64;
        uint64_t x = bits_get_u64(a, aoff, k), y = bits_get_u64(b, boff, k);
        if (x != y) return x < y ? -1 : 1;
        aoff += k;
        boff += k;
        n -= k;
    }
    return 0;
}

uint64_t bits_le_swap(uint64_t raw, unsigned n)
{
    unsigned full = n >> 3, r = n & 7;
    uint64_t last = raw & low_mask(r);
    if (full == 0) return last;
    uint64_t bytes = __builtin_bswap64(raw >> r) >> (64 - 8 * full);
    return bytes | (r ? last << (8 * full) : 0);
}

uint64_t bits_le_unswap(uint64_t v, unsigned n)
{
    unsigned full = n >> 3, r = n & 7;
    if (full == 0) return v & low_mask(r);
    uint64_t bytes = __builtin_bswap64(v & low_mask(8 * full)) >> (64 - 8 * full);
    uint64_t last = r ? (v >> (8 * full)) & low_mask(r) : 0;
    return bytes << r | last;
}

/* ---- floats ---- */

static double half_to_double(uint16_t h, bool *finite)
{
    unsigned exp = (h >> 10) & 0x1F, mant = h & 0x3FF;
    *finite = exp != 0x1F;
    double v = exp == 0 ? ldexp(mant, -24) : ldexp(1024 + mant, (int)exp - 25);
    return h & 0x8000 ? -v : v;
}

/* Rounds to nearest, ties to even, as the IEEE conversion does. */
static uint16_t half_from_double(double d)
{
    uint16_t sign = signbit(d) ? 0x8000 : 0;
    double a = fabs(d);
    if (a >= 65520.0) return sign | 0x7C00; /* at or past the midpoint to 2^16: infinity */
    if (a < 0x1p-14) return sign | (uint16_t)nearbyint(a * 0x1p24); /* subnormal; 1024 is the least normal */
    int e;
    double m = nearbyint(frexp(a, &e) * 2048.0); /* a = m * 2^(e - 11), m in [1024, 2048] */
    if (m == 2048.0) {
        m = 1024.0;
        e++;
    }
    return sign | (uint16_t)((e - 1 + 15) << 10) | (uint16_t)(m - 1024.0);
}

bool bits_float_decode(uint64_t raw, unsigned n, double *out)
{
    if (n == 64) {
        memcpy(out, &raw, sizeof *out);
        return isfinite(*out);
    }
    if (n == 32) {
        uint32_t w = (uint32_t)raw;
        float f;
        memcpy(&f, &w, sizeof f);
        *out = f;
        return isfinite(f);
    }
    bool finite;
    *out = half_to_double((uint16_t)raw, &finite);
    return finite;
}

uint64_t bits_float_encode(double d, unsigned n)
{
    if (n == 64) {
        uint64_t raw;
        memcpy(&raw, &d, sizeof raw);
        return raw;
    }
    if (n == 32) {
        float f = (float)d;
        uint32_t w;
        memcpy(&w, &f, sizeof w);
        return w;
    }
    return half_from_double(d);
}

/* ---- Unicode ---- */

unsigned bits_put_utf8(uint8_t *dst, size_t off, uint32_t c)
{
    uint64_t v;
    unsigned bits = bits_utf8_size(c);
    switch (bits) {
    case 8: v = c; break;
    case 16: v = (uint64_t)(0xC0 | c >> 6) << 8 | (0x80 | (c & 0x3F)); break;
    case 24:
        v = (uint64_t)(0xE0 | c >> 12) << 16 | (uint64_t)(0x80 | ((c >> 6) & 0x3F)) << 8 | (0x80 | (c & 0x3F));
        break;
    default:
        v = (uint64_t)(0xF0 | c >> 18) << 24 | (uint64_t)(0x80 | ((c >> 12) & 0x3F)) << 16 |
            (uint64_t)(0x80 | ((c >> 6) & 0x3F)) << 8 | (0x80 | (c & 0x3F));
    }
    bits_put_u64(dst, off, v, bits);
    return bits;
}

static inline uint16_t unit16(uint32_t u, bool little)
{
    return little ? __builtin_bswap16((uint16_t)u) : (uint16_t)u;
}

unsigned bits_put_utf16(uint8_t *dst, size_t off, uint32_t c, bool little)
{
    if (c < 0x10000) {
        bits_put_u64(dst, off, unit16(c, little), 16);
        return 16;
    }
    c -= 0x10000;
    bits_put_u64(dst, off, unit16(0xD800 | (c >> 10), little), 16);
    bits_put_u64(dst, off + 16, unit16(0xDC00 | (c & 0x3FF), little), 16);
    return 32;
}

unsigned bits_put_utf32(uint8_t *dst, size_t off, uint32_t c, bool little)
{
    bits_put_u64(dst, off, little ? __builtin_bswap32(c) : c, 32);
    return 32;
}

unsigned bits_get_utf8(const uint8_t *src, size_t off, size_t avail, uint32_t *c)
{
    if (avail < 8) return 0;
    unsigned b0 = (unsigned)bits_get_u64(src, off, 8);
    if (b0 < 0x80) {
        *c = b0;
        return 8;
    }
    unsigned len = b0 >= 0xF0 ? 4 : b0 >= 0xE0 ? 3 : b0 >= 0xC0 ? 2 : 0;
    if (len == 0 || b0 > 0xF4 || avail < 8 * len) return 0;
    uint32_t v = b0 & (0x7F >> len);
    for (unsigned i = 1; i < len; i++) {
        unsigned b = (unsigned)bits_get_u64(src, off + 8 * i, 8);
        if ((b & 0xC0) != 0x80) return 0;
        v = v << 6 | (b & 0x3F);
    }
    static const uint32_t least[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (v < least[len] || !bits_is_code_point(v)) return 0;
    *c = v;
    return 8 * len;
}

unsigned bits_get_utf16(const uint8_t *src, size_t off, size_t avail, bool little, uint32_t *c)
{
    if (avail < 16) return 0;
    uint32_t u = unit16((uint32_t)bits_get_u64(src, off, 16), little);
    if (u < 0xD800 || u > 0xDFFF) {
        *c = u;
        return 16;
    }
    if (u > 0xDBFF || avail < 32) return 0;
    uint32_t w = unit16((uint32_t)bits_get_u64(src, off + 16, 16), little);
    if (w < 0xDC00 || w > 0xDFFF) return 0;
    *c = 0x10000 + ((u & 0x3FF) << 10 | (w & 0x3FF));
    return 32;
}

unsigned bits_get_utf32(const uint8_t *src, size_t off, size_t avail, bool little, uint32_t *c)
{
    if (avail < 32) return 0;
    uint32_t v = (uint32_t)bits_get_u64(src, off, 32);
    if (little) v = __builtin_bswap32(v);
    if (!bits_is_code_point(v)) return 0;
    *c = v;
    return 32;
}
