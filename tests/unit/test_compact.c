/*
 * test_compact.c - the compact operand encoding (runtime/loader/compact.h) on the
 * byte examples of BEAM_FORMAT.md 2.4, taken from real files, plus the
 * bounds checks: a cursor must never read past its end.
 */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "runtime/term/big.h"
#include "runtime/loader/compact.h"
#include "runtime/term/literal.h"

static CompactCursor cursor(const uint8_t *bytes, size_t len)
{
    CompactCursor c;
    compact_init(&c, bytes, len);
    return c;
}

/* Reads one operand from `bytes`, which it must consume exactly. */
static CompactValue read_one(const uint8_t *bytes, size_t len)
{
    CompactCursor c = cursor(bytes, len);
    CompactValue v;
    cr_assert_eq(compact_read(&c, &v), 0, "read failed: %s", c.error);
    cr_assert(compact_at_end(&c), "%zu bytes left", compact_left(&c));
    return v;
}

#define READ(...) read_one((const uint8_t[]){__VA_ARGS__}, sizeof((const uint8_t[]){__VA_ARGS__}))

static void expect(CompactValue v, unsigned tag, int64_t val)
{
    cr_assert_eq(v.tag, tag, "tag %u, expected %u", v.tag, tag);
    cr_assert(v.fits);
    cr_assert_eq(v.val, val, "value %lld, expected %lld", (long long)v.val, (long long)val);
}

Test(compact, one_byte_forms)
{
    expect(READ(0x10), CT_U, 1);          /* label 1 */
    expect(READ(0x12), CT_A, 1);          /* func_info a1 */
    expect(READ(0x22), CT_A, 2);
    expect(READ(0x30), CT_U, 3);
    expect(READ(0x32), CT_A, 3);          /* move a3 x0 */
    expect(READ(0x03), CT_X, 0);
    expect(READ(0x01), CT_I, 0);
    expect(READ(0x11), CT_I, 1);
    expect(READ(0x04), CT_Y, 0);
    expect(READ(0xF5), CT_F, 15);
}

Test(compact, two_byte_forms)
{
    expect(READ(0x0d, 0x30), CT_F, 48);   /* select_val's fail label */
    expect(READ(0x6d, 0xeb), CT_F, 1003); /* call_last target */
    expect(READ(0x09, 0x64), CT_I, 100);
    expect(READ(0xe9, 0xff), CT_I, 2047);
}

Test(compact, multi_byte_forms)
{
    expect(READ(0x19, 0x08, 0x00), CT_I, 2048);
    expect(READ(0x39, 0x01, 0x86, 0xa0), CT_I, 100000);
    expect(READ(0x59, 0x7f, 0xff, 0xff, 0xff), CT_I, 2147483647);
    expect(READ(0x19, 0xff, 0xff), CT_I, -1);
    expect(READ(0x19, 0xff, 0xf0), CT_I, -16);
    expect(READ(0x19, 0xf8, 0x00), CT_I, -2048);
    expect(READ(0x19, 0x80, 0x00), CT_I, -32768);
    expect(READ(0x39, 0xff, 0x7f, 0xff), CT_I, -32769);
    /* 8 bytes: the largest n-byte form without the large length */
    expect(READ(0xd9, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff), CT_I, INT64_MAX);
}

Test(compact, large_form_beyond_int64)
{
    /* 2^64-1: large form, nested u0, so 9 bytes (with a leading 00) */
    CompactValue v = READ(0xf9, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff);
    cr_assert_eq(v.tag, CT_I);
    cr_assert_not(v.fits);
    cr_assert_eq(v.nbytes, 9);

    LiteralArea *area = literal_area_new();
    Term t = big_from_be_twos_complement(v.bytes, v.nbytes, literal_allocator(area));
    cr_assert(is_big(t) && !big_is_negative(t));
    cr_assert_eq(big_limbs(t), 1);
    cr_assert_eq(big_digits(t)[0], UINT64_MAX);
    literal_area_free(area);
}

Test(compact, large_form_bignum)
{
    /* 123456789012345678901234567890: nested u4, so 13 bytes */
    CompactValue v = READ(0xf9, 0x40, 0x01, 0x8e, 0xe9, 0x0f, 0xf6, 0xc3, 0x73, 0xe0, 0xee, 0x4e, 0x3f,
                          0x0a, 0xd2);
    cr_assert_eq(v.nbytes, 13);
    cr_assert_not(v.fits);
    LiteralArea *area = literal_area_new();
    Term t = big_from_be_twos_complement(v.bytes, v.nbytes, literal_allocator(area));
    mpz_t got, want;
    mpz_inits(got, want, NULL);
    mpz_import(got, big_limbs(t), -1, sizeof(mp_limb_t), 0, 0, big_digits(t));
    mpz_set_str(want, "123456789012345678901234567890", 10);
    cr_assert_eq(mpz_cmp(got, want), 0);
    cr_assert_not(big_is_negative(t));
    mpz_clears(got, want, NULL);
    literal_area_free(area);
}

Test(compact, nine_bytes_that_fit)
{
    /* a 9-byte form whose value fits an int64 (sign extension only) */
    CompactValue v = READ(0xf9, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe);
    expect(v, CT_I, -2);
    v = READ(0xf9, 0x00, 0xff, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff);
    cr_assert_not(v.fits, "the dropped byte disagrees with the sign of the rest");
}

Test(compact, extended_heads)
{
    /* z1 list: u4, then i0 f53 i1 f52 (select_val in lists.beam) */
    const uint8_t list[] = {0x17, 0x40, 0x01, 0x0d, 0x35, 0x11, 0x0d, 0x34};
    CompactCursor c = cursor(list, sizeof list);
    CompactValue v;
    cr_assert_eq(compact_read(&c, &v), 0);
    expect(v, CT_Z, CZ_LIST);
    uint32_t n;
    cr_assert_eq(compact_read_u32(&c, &n), 0);
    cr_assert_eq(n, 4);
    static const struct { unsigned tag; int64_t val; } elems[] = {
        {CT_I, 0}, {CT_F, 53}, {CT_I, 1}, {CT_F, 52},
    };
    for (int i = 0; i < 4; i++) {
        cr_assert_eq(compact_read(&c, &v), 0);
        expect(v, elems[i].tag, elems[i].val);
    }
    cr_assert(compact_at_end(&c));

    expect(READ(0x27), CT_Z, CZ_FR);
    expect(READ(0x37), CT_Z, CZ_ALLOC);
    expect(READ(0x47), CT_Z, CZ_LITERAL);
    expect(READ(0x57), CT_Z, CZ_TYPED);
}

Test(compact, typed_register)
{
    /* z5(x2, u1) from gc_bif2 in lists.beam */
    const uint8_t bytes[] = {0x57, 0x23, 0x10};
    CompactCursor c = cursor(bytes, sizeof bytes);
    CompactValue v;
    cr_assert_eq(compact_read(&c, &v), 0);
    expect(v, CT_Z, CZ_TYPED);
    cr_assert_eq(compact_read(&c, &v), 0);
    expect(v, CT_X, 2);
    uint32_t type;
    cr_assert_eq(compact_read_u32(&c, &type), 0);
    cr_assert_eq(type, 1);
    cr_assert(compact_at_end(&c));
}

static void expect_error(const uint8_t *bytes, size_t len)
{
    CompactCursor c = cursor(bytes, len);
    CompactValue v;
    cr_assert_eq(compact_read(&c, &v), -1, "decoded %zu bytes without error", len);
    cr_assert_not_null(c.error);
    cr_assert(c.p <= c.end);
}

#define ERROR(...) expect_error((const uint8_t[]){__VA_ARGS__}, sizeof((const uint8_t[]){__VA_ARGS__}))

Test(compact, bounds)
{
    expect_error(NULL, 0);                           /* nothing at all */
    ERROR(0x09);                                      /* 2-byte form, second byte missing */
    ERROR(0x19, 0xff);                                /* n = 2, one byte */
    ERROR(0xd9, 0x7f, 0xff, 0xff);                    /* n = 8, three bytes */
    ERROR(0xf9);                                      /* large form, no length */
    ERROR(0xf9, 0x40, 0x01, 0x02);                    /* large form, 13 bytes promised */
    ERROR(0xf9, 0x01);                                /* length operand is not u */
    ERROR(0xf9, 0xf8, 0x00);                          /* nested large length */
    ERROR(0xf9, 0x19, 0x7f, 0xff);                    /* length far beyond the input */
    ERROR(0xf9, 0x19, 0xff, 0xff);                    /* negative length */
    ERROR(0x0f);                                      /* z with bit 3 set */
}

Test(compact, every_prefix_of_a_stream_stops_cleanly)
{
    const uint8_t stream[] = {0x3b, 0x03, 0x0d, 0x30, 0x17, 0x40, 0x01, 0x0d, 0x35, 0x11, 0x0d, 0x34,
                              0xf9, 0x40, 0x01, 0x8e, 0xe9, 0x0f, 0xf6, 0xc3, 0x73, 0xe0, 0xee, 0x4e,
                              0x3f, 0x0a, 0xd2, 0x39, 0xff, 0x7f, 0xff};
    for (size_t len = 0; len <= sizeof stream; len++) {
        uint8_t *copy = malloc(len ? len : 1); /* exact size, so ASan sees any overread */
        memcpy(copy, stream, len);
        CompactCursor c = cursor(copy, len);
        CompactValue v;
        int reads = 0;
        while (!compact_at_end(&c) && compact_read(&c, &v) == 0) reads++;
        cr_assert(c.p <= c.end);
        cr_assert(reads <= 13);
        free(copy);
    }
}

Test(compact, read_u32)
{
    const uint8_t ok[] = {0x58, 0x7f, 0xff, 0xff, 0xff};
    CompactCursor c = cursor(ok, sizeof ok);
    uint32_t n;
    cr_assert_eq(compact_read_u32(&c, &n), 0);
    cr_assert_eq(n, 2147483647u);

    const uint8_t not_u[] = {0x11};
    c = cursor(not_u, sizeof not_u);
    cr_assert_eq(compact_read_u32(&c, &n), -1);

    const uint8_t negative[] = {0x18, 0xff, 0xff};
    c = cursor(negative, sizeof negative);
    cr_assert_eq(compact_read_u32(&c, &n), -1);

    const uint8_t too_big[] = {0x78, 0x01, 0x00, 0x00, 0x00, 0x00}; /* n = 5: 2^32 */
    c = cursor(too_big, sizeof too_big);
    cr_assert_eq(compact_read_u32(&c, &n), -1);
}
