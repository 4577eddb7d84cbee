/*
 * test_etf.c - external term format decoding (runtime/etf/etf.h): the byte
 * examples of BEAM_FORMAT.md 5 (each checked against OTP 25's
 * term_to_binary/binary_to_term), the shapes of the terms built, OTP's
 * edge cases (checked with erl), and malformed input, which must give an
 * error and never read outside the buffer.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <zlib.h>

#include "runtime/term/atom.h"
#include "runtime/term/big.h"
#include "runtime/term/binary.h"
#include "runtime/etf/etf.h"
#include "runtime/loader/export.h"
#include "runtime/term/literal.h"

static LiteralArea *area;
static char err[256];

static void setup(void)
{
    atom_init();
    area = literal_area_new();
    err[0] = '\0';
}

static void teardown(void) { literal_area_free(area); }

TestSuite(etf, .init = setup, .fini = teardown);

/* Decodes a whole blob (version byte included) from an exact-size copy, so
   that ASan catches any read past the end. */
static Term decode_n(const uint8_t *bytes, size_t len, size_t *used)
{
    uint8_t *copy = malloc(len ? len : 1);
    if (len) memcpy(copy, bytes, len);
    Term t = etf_binary_to_term(copy, len, literal_allocator(area), used, err, sizeof err);
    free(copy);
    return t;
}

static Term decode_ok(const uint8_t *bytes, size_t len)
{
    size_t used;
    Term t = decode_n(bytes, len, &used);
    cr_assert_neq(t, THE_NON_VALUE, "decoding failed: %s", err);
    cr_assert_eq(used, len, "used %zu of %zu bytes", used, len);
    return t;
}

static const char *decode_fails(const uint8_t *bytes, size_t len)
{
    err[0] = '\0';
    Term t = decode_n(bytes, len, NULL);
    cr_assert_eq(t, THE_NON_VALUE, "decoding should fail");
    cr_assert_neq(err[0], '\0', "no error message");
    return err;
}

#define BYTES(...) (const uint8_t[]){__VA_ARGS__}, sizeof((const uint8_t[]){__VA_ARGS__})
#define OK(...) decode_ok(BYTES(__VA_ARGS__))
#define FAILS(...) decode_fails(BYTES(__VA_ARGS__))

static void expect_small(Term t, intptr_t v)
{
    cr_assert(is_small(t), "not a small integer");
    cr_assert_eq(small_val(t), v, "%ld, expected %ld", (long)small_val(t), (long)v);
}

static void expect_atom(Term t, const char *text)
{
    cr_assert(is_atom(t), "not an atom");
    cr_assert_eq(atom_len(t), strlen(text));
    cr_assert_eq(memcmp(atom_text(t), text, strlen(text)), 0, "atom '%s', expected '%s'", atom_text(t), text);
}

/* The integer t (small or big) equals the decimal text. */
static void expect_integer(Term t, const char *decimal)
{
    mpz_t got, want;
    mpz_inits(got, want, NULL);
    if (is_small(t)) {
        mpz_set_si(got, small_val(t));
    } else {
        cr_assert(is_big(t), "not an integer");
        cr_assert_neq(big_digits(t)[big_limbs(t) - 1], 0, "leading zero limb");
        mpz_import(got, big_limbs(t), -1, sizeof(mp_limb_t), 0, 0, big_digits(t));
        if (big_is_negative(t)) mpz_neg(got, got);
    }
    mpz_set_str(want, decimal, 10);
    cr_assert_eq(mpz_cmp(got, want), 0, "integer mismatch, expected %s", decimal);
    mpz_clears(got, want, NULL);
}

static const uint8_t *heap_bytes(Term t, size_t *size)
{
    cr_assert(is_boxed_of(t, HDR_HEAP_BIN), "not a heap binary");
    Term *hp = boxed_val(t);
    *size = hp[1];
    cr_assert_eq(header_arity(hp[0]), 1 + (*size + 7) / 8);
    return (const uint8_t *)(hp + 2);
}

/* ---- the examples of BEAM_FORMAT.md 5 ---- */

Test(etf, integers)
{
    expect_small(OK(131, 97, 255), 255);
    expect_small(OK(131, 98, 0xff, 0xff, 0xff, 0xff), -1);
    expect_small(OK(131, 0x6e, 0x04, 0x00, 0x00, 0x00, 0x00, 0x80), 2147483648);
    expect_small(OK(131, 98, 0x80, 0, 0, 0), INT32_MIN);
}

Test(etf, float)
{
    Term t = OK(131, 0x46, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0);
    cr_assert(is_float(t));
    cr_assert_eq(float_val(t), 1.5);
    t = OK(131, 70, 0x80, 0, 0, 0, 0, 0, 0, 0);
    cr_assert(is_float(t) && float_val(t) == 0.0 && signbit(float_val(t)), "-0.0 keeps its sign");
}

Test(etf, improper_list)
{
    Term t = OK(131, 0x6c, 0, 0, 0, 1, 0x61, 0x01, 0x61, 0x02); /* [1|2] */
    cr_assert(is_list(t));
    expect_small(list_head(t), 1);
    expect_small(list_tail(t), 2);
}

Test(etf, string)
{
    Term t = OK(131, 0x6b, 0, 3, 'a', 'b', 'c');
    const char *want = "abc";
    for (int i = 0; i < 3; i++, t = list_tail(t)) {
        cr_assert(is_list(t));
        expect_small(list_head(t), want[i]);
    }
    cr_assert_eq(t, NIL);
    cr_assert_eq(OK(131, 107, 0, 0), NIL, "an empty STRING_EXT is []");
}

Test(etf, list_of_integer_ext)
{
    Term t = OK(131, 0x6c, 0, 0, 0, 1, 0x62, 0, 0, 1, 0, 0x6a); /* [256] */
    expect_small(list_head(t), 256);
    cr_assert_eq(list_tail(t), NIL);
}

Test(etf, list_of_length_zero_is_its_tail)
{
    cr_assert_eq(OK(131, 108, 0, 0, 0, 0, 106), NIL);
    expect_small(OK(131, 108, 0, 0, 0, 0, 97, 1), 1);
}

Test(etf, atoms)
{
    expect_atom(OK(131, 0x64, 0, 5, 'h', 'e', 'l', 'l', 'o'), "hello");
    expect_atom(OK(131, 0x77, 5, 'h', 'e', 'l', 'l', 'o'), "hello");
    expect_atom(OK(131, 0x77, 3, 0xc4, 0x89, 0x75), "\xc4\x89u");  /* 'ĉu' */
    expect_atom(OK(131, 118, 0, 3, 0xc4, 0x89, 0x75), "\xc4\x89u");
    expect_atom(OK(131, 115, 1, 0xc8), "\xc3\x88");                /* Latin-1 byte 200 */
    expect_atom(OK(131, 100, 0, 3, 255, 254, 'a'), "\xc3\xbf\xc3\xbe" "a");
    expect_atom(OK(131, 119, 0), "");
    expect_atom(OK(131, 119, 4, 0xf0, 0x90, 0x80, 0x80), "\xf0\x90\x80\x80"); /* U+10000 */
}

Test(etf, tuples)
{
    Term t = OK(131, 104, 0);
    cr_assert(is_tuple(t) && tuple_arity(t) == 0);
    t = OK(131, 105, 0, 0, 0, 2, 97, 1, 104, 1, 106);
    cr_assert(is_tuple(t) && tuple_arity(t) == 2);
    expect_small(tuple_elems(t)[0], 1);
    Term inner = tuple_elems(t)[1];
    cr_assert(is_tuple(inner) && tuple_arity(inner) == 1);
    cr_assert_eq(tuple_elems(inner)[0], NIL);
}

/* ---- integers ---- */

Test(etf, bignums_normalise)
{
    /* 2^59 - 1 is the largest small; 2^59 needs a bignum */
    expect_small(OK(131, 110, 8, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x07), MAX_SMALL);
    Term t = OK(131, 110, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0x08);
    cr_assert(is_big(t));
    expect_integer(t, "576460752303423488");
    /* -2^59 is still small; -2^59-1 is not */
    expect_small(OK(131, 110, 8, 1, 0, 0, 0, 0, 0, 0, 0, 0x08), MIN_SMALL);
    t = OK(131, 110, 8, 1, 1, 0, 0, 0, 0, 0, 0, 0x08);
    cr_assert(is_big(t) && big_is_negative(t));
    expect_integer(t, "-576460752303423489");
    /* leading zero bytes, zero length, negative zero, any non-zero sign byte */
    expect_small(OK(131, 110, 2, 0, 1, 0), 1);
    expect_small(OK(131, 110, 0, 1), 0);
    expect_small(OK(131, 110, 1, 255, 1), -1);
    expect_small(OK(131, 111, 0, 0, 0, 1, 0, 5), 5);
}

Test(etf, bignum_two_limbs)
{
    Term t = OK(131, 110, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1); /* 2^64 */
    cr_assert_eq(big_limbs(t), 2);
    expect_integer(t, "18446744073709551616");
    t = OK(131, 110, 16, 1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
           0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff); /* -(2^128 - 1) */
    cr_assert(big_is_negative(t) && big_limbs(t) == 2);
    expect_integer(t, "-340282366920938463463374607431768211455");
}

Test(etf, trailing_bytes_are_not_part_of_the_term)
{
    size_t used;
    Term t = decode_n(BYTES(131, 97, 1, 2, 3), &used);
    expect_small(t, 1);
    cr_assert_eq(used, 3);
}

/* ---- floats ---- */

static Term old_float(const char *text, size_t *used)
{
    uint8_t blob[33] = {131, 99};
    memcpy(blob + 2, text, strlen(text));
    return decode_n(blob, sizeof blob, used);
}

Test(etf, old_float_text)
{
    static const struct { const char *text; double value; } good[] = {
        {"1.50000000000000000000e+00", 1.5}, {"1.5", 1.5}, {"+1.5", 1.5}, {"-0.0", -0.0},
        {"1.5E3", 1500.0}, {"01.5", 1.5}, {"1.5e0003", 1500.0}, {"1.5e-400", 0.0},
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        size_t used;
        Term t = old_float(good[i].text, &used);
        cr_assert(t != THE_NON_VALUE && is_float(t), "'%s' should decode: %s", good[i].text, err);
        cr_assert_eq(float_val(t), good[i].value, "'%s'", good[i].text);
        cr_assert_eq(used, 33);
    }
    static const char *bad[] = {"  1.5e3", "1.5e3xyz", "inf", "nan", "1", "1e5", ".5", "-.5", "1.",
                                "1.5e", "1.5e+", "1.5 ", "1e400", "1.8e308", "", "0x10", "1,5"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_assert_eq(old_float(bad[i], NULL), THE_NON_VALUE, "'%s' should be refused", bad[i]);
}

Test(etf, non_finite_new_float)
{
    FAILS(131, 70, 0x7f, 0xf0, 0, 0, 0, 0, 0, 0);    /* +inf */
    FAILS(131, 70, 0xff, 0xf8, 0, 0, 0, 0, 0, 0);    /* NaN */
}

/* ---- atoms ---- */

Test(etf, invalid_atoms)
{
    FAILS(131, 118, 0, 2, 0xc3, 0x28);               /* bad continuation */
    FAILS(131, 118, 0, 2, 0xc0, 0x80);               /* overlong */
    FAILS(131, 119, 3, 0xed, 0xa0, 0x80);            /* surrogate */
    FAILS(131, 119, 4, 0xf4, 0x90, 0x80, 0x80);      /* above U+10FFFF */
    FAILS(131, 119, 2, 0xc4);                        /* truncated */
}

Test(etf, atom_length_limit)
{
    uint8_t blob[4 + 256] = {131, 100, 1, 0};
    memset(blob + 4, 'a', 256);
    decode_fails(blob, sizeof blob);                 /* 256 Latin-1 characters */
    blob[2] = 0;
    blob[3] = 255;
    cr_assert_eq(atom_len(decode_ok(blob, 4 + 255)), 255);

    uint8_t utf8[3 + 255] = {131, 119, 255};
    for (int i = 0; i < 127; i++) memcpy(utf8 + 3 + 2 * i, "\xc4\x89", 2);
    utf8[3 + 254] = 'a';
    cr_assert(is_atom(decode_ok(utf8, sizeof utf8)), "128 characters in 255 bytes");
}

/* ---- binaries ---- */

Test(etf, binary)
{
    size_t n;
    const uint8_t *b = heap_bytes(OK(131, 109, 0, 0, 0, 3, 1, 2, 3), &n);
    cr_assert_eq(n, 3);
    cr_assert_eq(memcmp(b, "\1\2\3", 3), 0);
    cr_assert_eq(memcmp(b + 3, "\0\0\0\0\0", 5), 0, "padding is zeroed");
    heap_bytes(OK(131, 109, 0, 0, 0, 0), &n);
    cr_assert_eq(n, 0);
}

Test(etf, bit_binary)
{
    size_t n;
    const uint8_t *b = heap_bytes(OK(131, 77, 0, 0, 0, 1, 8, 5), &n);
    cr_assert_eq(n, 1);
    cr_assert_eq(b[0], 5);
    heap_bytes(OK(131, 77, 0, 0, 0, 0, 0), &n);
    cr_assert_eq(n, 0);
    cr_assert_eq(bitstring_bits(OK(131, 0x4d, 0, 0, 0, 1, 3, 0x20)), 3, "<<1:3>> is a 3-bit bitstring");
    FAILS(131, 77, 0, 0, 0, 1, 0, 5);                /* 0 bits in a last byte */
    FAILS(131, 77, 0, 0, 0, 1, 9, 5);
    FAILS(131, 77, 0, 0, 0, 0, 8);                   /* bits without bytes */
}

/* ---- maps ---- */

static Term *map_keys(Term m, size_t *n)
{
    cr_assert(is_boxed_of(m, HDR_MAP), "not a flat map");
    Term *hp = boxed_val(m);
    *n = hp[1];
    cr_assert_eq(header_arity(hp[0]), 2 + *n);
    cr_assert(is_tuple(hp[2]) && tuple_arity(hp[2]) == *n);
    return tuple_elems(hp[2]);
}

static Term *map_values(Term m) { return boxed_val(m) + 3; }

Test(etf, map_keys_are_sorted)
{
    /* #{2 => 2, 1 => 3} as written unsorted: decodes as #{1 => 3, 2 => 2} */
    Term m = OK(131, 116, 0, 0, 0, 2, 97, 2, 97, 2, 97, 1, 97, 3);
    size_t n;
    Term *keys = map_keys(m, &n);
    cr_assert_eq(n, 2);
    expect_small(keys[0], 1);
    expect_small(keys[1], 2);
    expect_small(map_values(m)[0], 3);
    expect_small(map_values(m)[1], 2);
}

Test(etf, map_key_order_puts_integers_before_floats)
{
    /* term_to_binary(#{2 => a, 1.0 => b, 1 => c, 3.0 => d}) lists 1, 2, 1.0, 3.0; written reversed here */
    Term m = OK(131, 116, 0, 0, 0, 4,
                70, 0x40, 0x08, 0, 0, 0, 0, 0, 0, 100, 0, 1, 'd',
                70, 0x3f, 0xf0, 0, 0, 0, 0, 0, 0, 100, 0, 1, 'b',
                97, 2, 100, 0, 1, 'a',
                97, 1, 100, 0, 1, 'c');
    size_t n;
    Term *keys = map_keys(m, &n);
    cr_assert_eq(n, 4);
    expect_small(keys[0], 1);
    expect_small(keys[1], 2);
    cr_assert(is_float(keys[2]) && float_val(keys[2]) == 1.0);
    cr_assert(is_float(keys[3]) && float_val(keys[3]) == 3.0);
    expect_atom(map_values(m)[0], "c");
    expect_atom(map_values(m)[2], "b");
}

Test(etf, map_with_1_and_1_0_keeps_both)
{
    Term m = OK(131, 116, 0, 0, 0, 2, 70, 0x3f, 0xf0, 0, 0, 0, 0, 0, 0, 97, 2, 97, 1, 97, 1);
    size_t n;
    Term *keys = map_keys(m, &n);
    cr_assert_eq(n, 2);
    expect_small(keys[0], 1);
    cr_assert(is_float(keys[1]));
}

Test(etf, map_duplicate_key)
{
    cr_assert(strstr(FAILS(131, 116, 0, 0, 0, 2, 97, 1, 97, 2, 97, 1, 97, 3), "duplicate"));
}

Test(etf, nested_and_empty_maps)
{
    Term m = OK(131, 116, 0, 0, 0, 1, 97, 1, 116, 0, 0, 0, 0);
    size_t n;
    map_keys(m, &n);
    cr_assert_eq(n, 1);
    map_keys(map_values(m)[0], &n);
    cr_assert_eq(n, 0);
}

/* ---- export funs ---- */

Test(etf, export_fun)
{
    export_init();
    Term f = OK(131, 113, 119, 1, 'm', 119, 1, 'f', 97, 2);
    cr_assert(is_boxed_of(f, HDR_EXPORT));
    const Export *e = (const Export *)boxed_val(f)[1];
    expect_atom(e->module, "m");
    expect_atom(e->function, "f");
    cr_assert_eq(e->arity, 2);
    /* OTP accepts any integer encoding for the arity */
    f = OK(131, 113, 100, 0, 1, 'm', 100, 0, 1, 'f', 110, 1, 0, 5);
    cr_assert_eq(((const Export *)boxed_val(f)[1])->arity, 5);
    FAILS(131, 113, 106, 119, 1, 'f', 97, 2);                    /* module is [] */
    FAILS(131, 113, 119, 1, 'm', 119, 1, 'f', 98, 255, 255, 255, 255); /* arity -1 */
    FAILS(131, 113, 119, 1, 'm', 119, 1, 'f', 70, 0x3f, 0xf0, 0, 0, 0, 0, 0, 0);
}

/* ---- compressed ---- */

static size_t compressed_blob(const uint8_t *term, size_t len, uint32_t stated, uint8_t *out, size_t cap)
{
    uLongf zlen = cap - 6;
    cr_assert_eq(compress(out + 6, &zlen, term, len), Z_OK);
    out[0] = 131;
    out[1] = 80;
    for (int i = 0; i < 4; i++) out[2 + i] = (uint8_t)(stated >> (24 - 8 * i));
    return 6 + zlen;
}

Test(etf, compressed)
{
    const uint8_t term[] = {104, 2, 97, 5, 107, 0, 3, 'x', 'y', 'z'};
    uint8_t blob[128];
    size_t n = compressed_blob(term, sizeof term, sizeof term, blob, sizeof blob);
    Term t = decode_ok(blob, n);
    cr_assert(is_tuple(t) && tuple_arity(t) == 2);
    expect_small(tuple_elems(t)[0], 5);

    n = compressed_blob(term, sizeof term, sizeof term + 1, blob, sizeof blob);
    decode_fails(blob, n);                                         /* stated size too big */
    n = compressed_blob(term, sizeof term, sizeof term - 1, blob, sizeof blob);
    decode_fails(blob, n);                                         /* too small */
    n = compressed_blob(term, sizeof term, sizeof term, blob, sizeof blob);
    decode_fails(blob, n - 3);                                     /* truncated stream */
}

Test(etf, compressed_term_with_slack_inside)
{
    const uint8_t term[] = {97, 5, 1}; /* OTP ignores bytes after the term in the inflated data */
    uint8_t blob[64];
    size_t n = compressed_blob(term, sizeof term, sizeof term, blob, sizeof blob);
    expect_small(decode_ok(blob, n), 5);
}

Test(etf, compressed_only_at_top_level)
{
    const uint8_t term[] = {97, 5};
    uint8_t blob[64];
    size_t n = compressed_blob(term, sizeof term, sizeof term, blob + 2, sizeof blob - 2);
    blob[0] = 131;
    blob[1] = 104;
    blob[2] = 1; /* a 1-tuple holding the compressed term (overwrites the inner 131) */
    decode_fails(blob, n + 2);
}

/* ---- malformed input ---- */

Test(etf, bad_version_and_unknown_tags)
{
    decode_fails(NULL, 0);
    FAILS(131);
    FAILS(130, 97, 1);
    cr_assert(strstr(FAILS(131, 82, 0), "atom cache"));
    cr_assert(strstr(FAILS(131, 1), "unknown term tag 1"));
    cr_assert(strstr(FAILS(131, 88, 119, 1, 'n', 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0), "pids"));
    cr_assert(strstr(FAILS(131, 90, 0, 1, 119, 1, 'n', 0, 0, 0, 0, 0, 0, 0, 1), "references"));
    cr_assert(strstr(FAILS(131, 112, 0, 0, 0, 0), "local funs"));
}

Test(etf, lying_lengths_fail_without_huge_allocations)
{
    FAILS(131, 108, 0xff, 0xff, 0xff, 0xff, 97, 1);
    FAILS(131, 105, 0xff, 0xff, 0xff, 0xff, 97, 1);
    FAILS(131, 116, 0xff, 0xff, 0xff, 0xff, 97, 1, 97, 1);
    FAILS(131, 109, 0xff, 0xff, 0xff, 0xff, 1);
    FAILS(131, 111, 0xff, 0xff, 0xff, 0xff, 0, 1);
    FAILS(131, 107, 0xff, 0xff, 1);
    FAILS(131, 104, 2, 97, 1);
    FAILS(131, 116, 0, 0, 0, 1, 97, 1);
}

Test(etf, every_truncation_fails_cleanly)
{
    const uint8_t blob[] = {131, 108, 0, 0, 0, 3,
                            104, 3, 100, 0, 2, 'o', 'k', 70, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0, 110, 9, 0,
                            1, 2, 3, 4, 5, 6, 7, 8, 9,
                            116, 0, 0, 0, 1, 119, 1, 'k', 109, 0, 0, 0, 2, 'h', 'i',
                            107, 0, 2, 1, 2,
                            106};
    decode_ok(blob, sizeof blob);
    for (size_t len = 0; len < sizeof blob; len++) decode_fails(blob, len);
}

Test(etf, deep_nesting_uses_no_c_stack)
{
    /* [[[...[]...]]] nested 200000 deep, and as many nested 1-tuples */
    const size_t depth = 200000;
    uint8_t *blob = malloc(1 + depth * 6 + 1);
    size_t n = 0;
    blob[n++] = 131;
    for (size_t i = 0; i < depth; i++) {
        const uint8_t one[] = {108, 0, 0, 0, 1};
        memcpy(blob + n, one, sizeof one);
        n += sizeof one;
    }
    blob[n++] = 106;
    for (size_t i = 0; i < depth; i++) blob[n++] = 106; /* each list's tail */
    Term t = decode_ok(blob, n);
    for (size_t i = 0; i < depth; i++) {
        cr_assert(is_list(t) && list_tail(t) == NIL);
        t = list_head(t);
    }
    cr_assert_eq(t, NIL);

    n = 0;
    blob[n++] = 131;
    for (size_t i = 0; i < depth; i++) {
        blob[n++] = 104;
        blob[n++] = 1;
    }
    blob[n++] = 106;
    t = decode_ok(blob, n);
    for (size_t i = 0; i < depth; i++) t = tuple_elems(t)[0];
    cr_assert_eq(t, NIL);
    free(blob);
}

Test(etf, decode_without_version_byte)
{
    const uint8_t body[] = {104, 1, 97, 7, 0xee};
    size_t used;
    Term t = etf_decode(body, sizeof body, literal_allocator(area), &used, err, sizeof err);
    cr_assert(is_tuple(t));
    expect_small(tuple_elems(t)[0], 7);
    cr_assert_eq(used, 4);
    cr_assert_eq(etf_decode((const uint8_t[]){80, 0, 0, 0, 1}, 5, literal_allocator(area), NULL, err,
                            sizeof err),
                 THE_NON_VALUE, "compressed terms need the version byte wrapper");
}

Test(etf, atom_from_utf8)
{
    expect_atom(etf_atom_from_utf8((const uint8_t *)"ok", 2), "ok");
    cr_assert_eq(etf_atom_from_utf8((const uint8_t *)"\xff", 1), THE_NON_VALUE);
}
