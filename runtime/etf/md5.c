/*
 * md5.c - MD5 (RFC 1321), written from the RFC's description.
 *
 * The input is processed in 64-byte blocks of sixteen little-endian 32-bit
 * words. Each block runs four rounds of sixteen steps; round r uses its own
 * boolean function, message-word order and rotation amounts. The final
 * block is padded with 0x80, zeros, and the bit length (little-endian).
 */
#include "runtime/etf/md5.h"

#include <string.h>

/* K[i] = floor(|sin(i + 1)| * 2^32) (RFC 1321, section 3.4). */
static const uint32_t K[64] = {
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee,
    0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
    0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be,
    0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
    0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa,
    0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed,
    0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
    0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c,
    0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
    0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05,
    0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039,
    0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
    0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1,
    0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
};

/* Left-rotation amounts: four per round, used in turn. */
static const uint8_t SHIFT[4][4] = {
    {7, 12, 17, 22}, {5, 9, 14, 20}, {4, 11, 16, 23}, {6, 10, 15, 21},
};

static uint32_t rotl(uint32_t v, unsigned n) { return (v << n) | (v >> (32 - n)); }

static uint32_t load_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void store_le32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}

/* Boolean function and message word for step i (0..63) of a block. */
static uint32_t round_fn(unsigned i, uint32_t b, uint32_t c, uint32_t d, unsigned *word)
{
    switch (i / 16) {
    case 0: *word = i; return (b & c) | (~b & d);
    case 1: *word = (5 * i + 1) % 16; return (b & d) | (c & ~d);
    case 2: *word = (3 * i + 5) % 16; return b ^ c ^ d;
    default: *word = (7 * i) % 16; return c ^ (b | ~d);
    }
}

static void md5_block(uint32_t state[4], const uint8_t *block)
{
    uint32_t x[16];
    for (int i = 0; i < 16; i++) x[i] = load_le32(block + 4 * i);
    uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
    for (unsigned i = 0; i < 64; i++) {
        unsigned word;
        uint32_t f = round_fn(i, b, c, d, &word);
        uint32_t t = d;
        d = c;
        c = b;
        b = b + rotl(a + f + K[i] + x[word], SHIFT[i / 16][i % 4]);
        a = t;
    }
    state[0] += a;
    state[1] += b;
    state[2] += c;
    state[3] += d;
}

void md5_init(Md5 *m)
{
    m->state[0] = 0x67452301;
    m->state[1] = 0xefcdab89;
    m->state[2] = 0x98badcfe;
    m->state[3] = 0x10325476;
    m->length = 0;
    m->used = 0;
}

void md5_update(Md5 *m, const void *data, size_t len)
{
    const uint8_t *p = data;
    m->length += len;
    while (len > 0) {
        size_t take = 64 - m->used < len ? 64 - m->used : len;
        memcpy(m->block + m->used, p, take);
        m->used += take;
        p += take;
        len -= take;
        if (m->used == 64) {
            md5_block(m->state, m->block);
            m->used = 0;
        }
    }
}

void md5_final(Md5 *m, uint8_t digest[16])
{
    uint64_t bits = m->length * 8;
    static const uint8_t pad[64] = {0x80};
    size_t pad_len = m->used < 56 ? 56 - m->used : 120 - m->used;
    md5_update(m, pad, pad_len);
    uint8_t len_le[8];
    for (int i = 0; i < 8; i++) len_le[i] = (uint8_t)(bits >> (8 * i));
    md5_update(m, len_le, 8);
    for (int i = 0; i < 4; i++) store_le32(digest + 4 * i, m->state[i]);
}

void md5_digest(const void *data, size_t len, uint8_t digest[16])
{
    Md5 m;
    md5_init(&m);
    md5_update(&m, data, len);
    md5_final(&m, digest);
}
