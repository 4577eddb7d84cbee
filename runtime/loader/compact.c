/*
 * compact.c - the compact operand encoding (see compact.h).
 *
 * Tags 0-6 share one value encoding chosen by bits 3-4 of the first byte:
 * a 4-bit value in the byte itself, an 11-bit value spread over two bytes,
 * or n = 2..8 following bytes; the "large" form stores n - 9 as a nested
 * `u` operand. Multi-byte values are signed big-endian, so that negative
 * `i` constants and bignums need no separate form.
 */
#include "runtime/loader/compact.h"

void compact_init(CompactCursor *c, const uint8_t *data, size_t len)
{
    c->p = data;
    c->end = data + len;
    c->error = NULL;
}

static int fail(CompactCursor *c, const char *why)
{
    c->error = why;
    return -1;
}

/* Sign-extends the big-endian bytes if they fit an int64; sets v->fits. */
static void value_from_bytes(CompactValue *v)
{
    const uint8_t *b = v->bytes;
    size_t n = v->nbytes;
    uint8_t fill = (b[0] & 0x80) ? 0xFF : 0x00;
    v->fits = true;
    for (size_t i = 0; i + 8 < n; i++)
        if (b[i] != fill) v->fits = false;
    /* The top kept byte must agree with the dropped ones on the sign. */
    if (n > 8 && ((b[n - 8] ^ fill) & 0x80)) v->fits = false;
    uint64_t u = fill == 0xFF ? ~(uint64_t)0 : 0;
    for (size_t i = n > 8 ? n - 8 : 0; i < n; i++) u = (u << 8) | b[i];
    v->val = v->fits ? (int64_t)u : 0;
}

/* Length in bytes of the n-byte forms; reads the nested length of the large form. */
static int multi_byte_length(CompactCursor *c, uint8_t b, size_t *n)
{
    if ((b >> 5) < 7) {
        *n = (size_t)(b >> 5) + 2;
        return 0;
    }
    if (compact_at_end(c)) return fail(c, "truncated operand");
    uint8_t nb = *c->p;
    if ((nb & 7) != CT_U) return fail(c, "large operand length is not a u operand");
    if ((nb & 0x18) == 0x18 && (nb >> 5) == 7) return fail(c, "nested large operand length");
    CompactValue len;
    if (compact_read(c, &len) < 0) return -1;
    if (!len.fits || len.val < 0 || (uint64_t)len.val > compact_left(c))
        return fail(c, "large operand length out of range");
    *n = (size_t)len.val + 9;
    return 0;
}

static int read_value(CompactCursor *c, uint8_t b, CompactValue *v)
{
    v->fits = true;
    v->bytes = NULL;
    v->nbytes = 0;
    if (!(b & 0x08)) {
        v->val = b >> 4;
        return 0;
    }
    if (!(b & 0x10)) {
        if (compact_at_end(c)) return fail(c, "truncated operand");
        v->val = ((int64_t)(b & 0xE0) << 3) | *c->p++;
        return 0;
    }
    size_t n;
    if (multi_byte_length(c, b, &n) < 0) return -1;
    if (compact_left(c) < n) return fail(c, "truncated operand");
    v->bytes = c->p;
    v->nbytes = n;
    c->p += n;
    value_from_bytes(v);
    return 0;
}

int compact_read(CompactCursor *c, CompactValue *v)
{
    if (compact_at_end(c)) return fail(c, "truncated operand");
    uint8_t b = *c->p++;
    v->tag = b & 7;
    if (v->tag != CT_Z) return read_value(c, b, v);
    if (b & 0x08) return fail(c, "invalid extended operand");
    v->fits = true;
    v->val = b >> 4;
    v->bytes = NULL;
    v->nbytes = 0;
    return 0;
}

int compact_read_u32(CompactCursor *c, uint32_t *out)
{
    CompactValue v;
    if (compact_read(c, &v) < 0) return -1;
    if (v.tag != CT_U) return fail(c, "expected a u operand");
    if (!v.fits || v.val < 0 || v.val > UINT32_MAX) return fail(c, "u operand out of range");
    *out = (uint32_t)v.val;
    return 0;
}
