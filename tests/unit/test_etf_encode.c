/*
 * test_etf_encode.c - term_to_binary's encoder (runtime/etf/etf.h): the bytes
 * OTP 25 writes for each kind of term and option (every expected blob was
 * printed by erl), the compression rule, the terms the VM makes itself
 * (pids, references, local funs), and the walk's independence from the C
 * stack. Besides, the encoder was compared with erl on 20000 random terms
 * under each option.
 */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "runtime/term/atom.h"
#include "runtime/term/binary.h"
#include "runtime/etf/etf.h"
#include "runtime/loader/export.h"
#include "runtime/term/literal.h"
#include "runtime/loader/module.h"

static LiteralArea *area;

static void setup(void)
{
    atom_init();
    export_init();
    area = literal_area_new();
}

static void teardown(void) { literal_area_free(area); }

TestSuite(etf_encode, .init = setup, .fini = teardown);

static const EtfEncodeOptions v1 = {.minor_version = 1};
static const EtfEncodeOptions v0 = {.minor_version = 0};
static const EtfEncodeOptions v2 = {.minor_version = 2};

#define BYTES(...) (const uint8_t[]){__VA_ARGS__}, sizeof((const uint8_t[]){__VA_ARGS__})

static Term decode(const uint8_t *bytes, size_t len)
{
    char err[128];
    Term t = etf_binary_to_term(bytes, len, literal_allocator(area), NULL, err, sizeof err);
    cr_assert_neq(t, THE_NON_VALUE, "decoding failed: %s", err);
    return t;
}

/* The encoding of t (freed by the caller). */
static uint8_t *encode(Term t, const EtfEncodeOptions *o, size_t *len)
{
    uint8_t *buf = etf_encode(t, o, len);
    cr_assert_not_null(buf);
    return buf;
}

static void expect_bytes(const uint8_t *got, size_t got_len, const uint8_t *want, size_t want_len)
{
    cr_assert_eq(got_len, want_len, "length %zu, OTP %zu", got_len, want_len);
    for (size_t i = 0; i < want_len; i++)
        cr_assert_eq(got[i], want[i], "byte %zu is %u, OTP %u", i, got[i], want[i]);
}

static void expect_encoding(Term t, const EtfEncodeOptions *o, const uint8_t *want, size_t want_len)
{
    size_t len;
    uint8_t *buf = encode(t, o, &len);
    expect_bytes(buf, len, want, want_len);
    free(buf);
}

/* Decodes OTP's own term_to_binary output and checks that it comes back byte for byte. */
static void round_trip(const uint8_t *bytes, size_t len, const EtfEncodeOptions *o)
{
    expect_encoding(decode(bytes, len), o, bytes, len);
}

#define SAME(...) round_trip(BYTES(__VA_ARGS__), &v1)

/* ---- numbers ---- */

Test(etf_encode, integers)
{
    expect_encoding(make_small(0), &v1, BYTES(131, 97, 0));
    expect_encoding(make_small(255), &v1, BYTES(131, 97, 255));
    expect_encoding(make_small(256), &v1, BYTES(131, 98, 0, 0, 1, 0));
    expect_encoding(make_small(-1), &v1, BYTES(131, 98, 255, 255, 255, 255));
    expect_encoding(make_small(INT32_MIN), &v1, BYTES(131, 98, 128, 0, 0, 0));
    expect_encoding(make_small(INT32_MAX), &v1, BYTES(131, 98, 127, 255, 255, 255));
    expect_encoding(make_small((intptr_t)1 << 31), &v1, BYTES(131, 110, 4, 0, 0, 0, 0, 128));
    expect_encoding(make_small(-((intptr_t)1 << 31) - 1), &v1, BYTES(131, 110, 4, 1, 1, 0, 0, 128));
    expect_encoding(make_small(MAX_SMALL), &v1, BYTES(131, 110, 8, 0, 255, 255, 255, 255, 255, 255, 255, 7));
    expect_encoding(make_small(MIN_SMALL), &v1, BYTES(131, 110, 8, 1, 0, 0, 0, 0, 0, 0, 0, 8));
}

Test(etf_encode, bignums)
{
    SAME(131, 110, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1);                  /* 1 bsl 64 */
    SAME(131, 110, 9, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1);                  /* -(1 bsl 64) */
    SAME(131, 110, 8, 1, 255, 255, 255, 255, 255, 255, 255, 255);     /* -(1 bsl 64) + 1 */
    /* 1 bsl 2047: 256 bytes, so LARGE_BIG */
    uint8_t big[1 + 1 + 4 + 1 + 256] = {131, 111, 0, 0, 1, 0, 0};
    big[sizeof big - 1] = 128;
    round_trip(big, sizeof big, &v1);
}

Test(etf_encode, floats)
{
    Term *hp = literal_alloc(area, 2 * FLOAT_WORDS);
    Term f = make_float(hp, 1.5), z = make_float(hp + FLOAT_WORDS, -0.0);
    expect_encoding(f, &v1, BYTES(131, 70, 63, 248, 0, 0, 0, 0, 0, 0));
    expect_encoding(z, &v1, BYTES(131, 70, 128, 0, 0, 0, 0, 0, 0, 0));
    /* {minor_version, 0}: "%.20e" in 31 bytes */
    expect_encoding(f, &v0, BYTES(131, 99, '1', '.', '5', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0',
                                  '0', '0', '0', '0', '0', '0', '0', 'e', '+', '0', '0', 0, 0, 0, 0, 0));
    expect_encoding(z, &v0, BYTES(131, 99, '-', '0', '.', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0',
                                  '0', '0', '0', '0', '0', '0', '0', '0', 'e', '+', '0', '0', 0, 0, 0, 0));
}

/* ---- atoms ---- */

Test(etf_encode, atoms)
{
    Term hello = atom_from_cstr("hello");
    expect_encoding(hello, &v1, BYTES(131, 100, 0, 5, 'h', 'e', 'l', 'l', 'o'));
    expect_encoding(hello, &v0, BYTES(131, 100, 0, 5, 'h', 'e', 'l', 'l', 'o'));
    expect_encoding(hello, &v2, BYTES(131, 119, 5, 'h', 'e', 'l', 'l', 'o'));
    Term e_acute = atom_from_cstr("\xc3\xa9"); /* Latin-1 beyond ASCII: one byte in ATOM_EXT */
    expect_encoding(e_acute, &v1, BYTES(131, 100, 0, 1, 233));
    expect_encoding(e_acute, &v2, BYTES(131, 119, 2, 195, 169));
    Term cu = atom_from_cstr("\xc4\x89u"); /* U+0109: UTF-8 even by default */
    expect_encoding(cu, &v1, BYTES(131, 119, 3, 196, 137, 117));
    expect_encoding(cu, &v0, BYTES(131, 119, 3, 196, 137, 117));
    expect_encoding(atom_from_cstr(""), &v1, BYTES(131, 100, 0, 0));
}

/* 100 x U+1F600 is 400 bytes of UTF-8: ATOM_UTF8 with a 16-bit length. */
Test(etf_encode, long_utf8_atom)
{
    uint8_t blob[4 + 400] = {131, 118, 1, 144};
    for (int i = 0; i < 100; i++) memcpy(blob + 4 + 4 * i, "\xf0\x9f\x98\x80", 4);
    round_trip(blob, sizeof blob, &v1);
    round_trip(blob, sizeof blob, &v2);
}

/* ---- lists and tuples ---- */

Test(etf_encode, lists)
{
    expect_encoding(NIL, &v1, BYTES(131, 106));
    SAME(131, 107, 0, 3, 'a', 'b', 'c');                                  /* "abc" */
    SAME(131, 108, 0, 0, 0, 1, 97, 1, 97, 2);                             /* [1|2] */
    SAME(131, 108, 0, 0, 0, 2, 97, 1, 97, 2, 97, 3);                      /* [1,2|3] */
    SAME(131, 108, 0, 0, 0, 1, 98, 0, 0, 1, 0, 106);                      /* [256] */
    SAME(131, 108, 0, 0, 0, 3, 100, 0, 1, 97, 97, 1, 97, 2, 106);         /* [a,1,2] */
    SAME(131, 108, 0, 0, 0, 4, 97, 1, 97, 2, 97, 3, 100, 0, 1, 97, 106);  /* [1,2,3,a] */
    SAME(131, 108, 0, 0, 0, 1, 107, 0, 1, 1, 106);                        /* [[1]] */
}

/* A list of 65535 bytes is a STRING_EXT, one more is a LIST_EXT of integers. */
Test(etf_encode, string_limit)
{
    for (size_t n = 65535; n <= 65536; n++) {
        Term *cells = literal_alloc(area, 2 * n);
        for (size_t i = 0; i < n; i++) {
            cells[2 * i] = make_small(1);
            cells[2 * i + 1] = i + 1 < n ? make_list(cells + 2 * i + 2) : NIL;
        }
        size_t len;
        uint8_t *buf = encode(make_list(cells), &v1, &len);
        if (n == 65535) {
            cr_assert_eq(len, 1 + 3 + n);
            expect_bytes(buf, 4, BYTES(131, 107, 255, 255));
        } else {
            cr_assert_eq(len, 1 + 5 + 2 * n + 1);
            expect_bytes(buf, 10, BYTES(131, 108, 0, 1, 0, 0, 97, 1, 97, 1));
        }
        free(buf);
    }
}

Test(etf_encode, tuples)
{
    SAME(131, 104, 0);
    SAME(131, 104, 3, 100, 0, 1, 97, 104, 0, 106);  /* {a,{},[]} */
    /* 256 elements: LARGE_TUPLE */
    uint8_t blob[6 + 256 * 2] = {131, 105, 0, 0, 1, 0};
    for (int i = 0; i < 256; i++) blob[6 + 2 * i] = 97, blob[7 + 2 * i] = (uint8_t)i;
    round_trip(blob, sizeof blob, &v1);
}

/* ---- binaries ---- */

Test(etf_encode, binaries)
{
    SAME(131, 109, 0, 0, 0, 0);
    SAME(131, 109, 0, 0, 0, 3, 1, 2, 3);
    SAME(131, 77, 0, 0, 0, 1, 1, 128);        /* <<1:1>> */
    SAME(131, 77, 0, 0, 0, 4, 5, 1, 2, 3, 32); /* <<1,2,3,4:5>> */
    SAME(131, 77, 0, 0, 0, 2, 3, 255, 224);    /* <<255, 7:3>> */
}

/* A sub binary of `bits` bits at bit `offset` of orig (layout in binary.h). */
static Term sub_binary(Term orig, size_t offset, size_t bits)
{
    Term *hp = literal_alloc(area, SUB_BIN_WORDS);
    hp[0] = make_header(SUB_BIN_WORDS - 1, HDR_SUB_BIN);
    hp[1] = bits;
    hp[2] = offset;
    hp[3] = orig;
    return make_boxed(hp);
}

/* A sub binary that starts in the middle of a byte is realigned, and the
   unused low bits of its last byte are written as 0. */
Test(etf_encode, unaligned_sub_binary)
{
    static const uint8_t src[] = {0x0F, 0xFA, 0xFF};
    Term orig = bitstring_new_in(literal_allocator(area), src, 0, 24);
    cr_assert_neq(orig, THE_NON_VALUE);
    /* 12 bits from bit 4: 1111 1111 1010 = <<255, 10:4>> */
    expect_encoding(sub_binary(orig, 4, 12), &v1, BYTES(131, 77, 0, 0, 0, 2, 4, 255, 160));
    /* 17 bits from bit 4: <<255, 16#AF, 1:1>> */
    expect_encoding(sub_binary(orig, 4, 17), &v1, BYTES(131, 77, 0, 0, 0, 3, 1, 255, 175, 128));
    /* 3 bits from bit 5: <<7:3>> */
    expect_encoding(sub_binary(orig, 5, 3), &v1, BYTES(131, 77, 0, 0, 0, 1, 3, 224));
}

/* ---- maps ---- */

Test(etf_encode, maps)
{
    SAME(131, 116, 0, 0, 0, 0);
    /* #{b=>1,a=>2,1=>x}: keys in term order */
    round_trip(BYTES(131, 116, 0, 0, 0, 3, 97, 1, 100, 0, 1, 120, 100, 0, 1, 97, 97, 2, 100, 0, 1, 98, 97, 1), &v1);
    /* #{2 => a, 1.0 => b, 1 => c, 3.0 => d}: integers before floats */
    Term m = decode(BYTES(131, 116, 0, 0, 0, 4, 70, 64, 8, 0, 0, 0, 0, 0, 0, 100, 0, 1, 100, 70, 63, 240, 0, 0, 0, 0, 0,
                          0, 100, 0, 1, 98, 97, 2, 100, 0, 1, 97, 97, 1, 100, 0, 1, 99));
    expect_encoding(m, &v1, BYTES(131, 116, 0, 0, 0, 4, 97, 1, 100, 0, 1, 99, 97, 2, 100, 0, 1, 97, 70, 63, 240, 0, 0, 0,
                                  0, 0, 0, 100, 0, 1, 98, 70, 64, 8, 0, 0, 0, 0, 0, 0, 100, 0, 1, 100));
}

/* ---- funs ---- */

Test(etf_encode, export_fun)
{
    SAME(131, 113, 100, 0, 5, 'l', 'i', 's', 't', 's', 100, 0, 3, 'm', 'a', 'p', 97, 2); /* fun lists:map/2 */
    Term e = decode(BYTES(131, 113, 100, 0, 5, 'l', 'i', 's', 't', 's', 100, 0, 3, 'm', 'a', 'p', 97, 2));
    expect_encoding(e, &v2, BYTES(131, 113, 119, 5, 'l', 'i', 's', 't', 's', 119, 3, 'm', 'a', 'p', 97, 2));
}

/* funvec:mk({7, "ab"}) where mk(N) -> fun(X) -> {X, N} end, made by <0.9.0>:
   OTP's bytes with the FunT entry and module MD5 that fun_info reports. */
Test(etf_encode, local_fun)
{
    static const uint8_t md5[16] = {232, 157, 82, 223, 87, 176, 165, 87, 162, 222, 99, 242, 46, 175, 193, 153};
    FunEntry fe = {.module = atom_from_cstr("funvec"), .function = atom_from_cstr("-mk/1-fun-0-"),
                   .index = 0, .old_uniq = 121957014, .arity = 1, .num_free = 1, .md5 = md5};
    Term *f = literal_alloc(area, 4);
    f[0] = make_header(3, HDR_FUN);
    f[1] = (Term)&fe;
    f[2] = make_pid(9);
    f[3] = decode(BYTES(131, 104, 2, 97, 7, 107, 0, 2, 97, 98)); /* {7, "ab"} */
    expect_encoding(make_boxed(f), &v1,
                    BYTES(131, 112, 0, 0, 0, 83, 1, 232, 157, 82, 223, 87, 176, 165, 87, 162, 222, 99, 242, 46, 175,
                          193, 153, 0, 0, 0, 0, 0, 0, 0, 1, 100, 0, 6, 'f', 'u', 'n', 'v', 'e', 'c', 97, 0, 98, 7,
                          68, 234, 150, 88, 100, 0, 13, 'n', 'o', 'n', 'o', 'd', 'e', '@', 'n', 'o', 'h', 'o', 's',
                          't', 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0, 104, 2, 97, 7, 107, 0, 2, 97, 98));
}

/* ---- identifiers ---- */

Test(etf_encode, identifiers)
{
    /* term_to_binary(self()) in erl -noshell: <0.9.0> */
    expect_encoding(make_pid(9), &v1, BYTES(131, 88, 100, 0, 13, 'n', 'o', 'n', 'o', 'd', 'e', '@', 'n', 'o', 'h', 'o',
                                            's', 't', 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0));
    expect_encoding(make_port(5), &v1, BYTES(131, 89, 100, 0, 13, 'n', 'o', 'n', 'o', 'd', 'e', '@', 'n', 'o', 'h', 'o',
                                             's', 't', 0, 0, 0, 5, 0, 0, 0, 0));
    /* #Ref<0.3.2.1> */
    Term *ref = literal_alloc(area, 1 + REF_WORDS);
    ref[0] = make_header(REF_WORDS, HDR_REF);
    ref[1] = 1 | (Term)2 << 32;
    ref[2] = 3;
    expect_encoding(make_boxed(ref), &v1,
                    BYTES(131, 90, 0, 3, 100, 0, 13, 'n', 'o', 'n', 'o', 'd', 'e', '@', 'n', 'o', 'h', 'o', 's', 't',
                          0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3));
}

/* Identifiers decode back to the same terms. */
Test(etf_encode, identifiers_round_trip)
{
    Term *ref = literal_alloc(area, 1 + REF_WORDS);
    ref[0] = make_header(REF_WORDS, HDR_REF);
    ref[1] = 0x12345678 | (Term)0x9abcdef0 << 32;
    ref[2] = 77;
    Term terms[] = {make_pid(9), make_pid(70000), make_port(5), make_port((uint64_t)1 << 40), make_boxed(ref)};
    for (size_t i = 0; i < sizeof terms / sizeof terms[0]; i++) {
        size_t len;
        uint8_t *buf = encode(terms[i], &v1, &len);
        Term back = decode(buf, len);
        if (is_boxed(back)) {
            cr_assert(is_ref(back));
            cr_assert(boxed_val(back)[1] == ref[1] && boxed_val(back)[2] == ref[2]);
        } else {
            cr_assert_eq(back, terms[i], "identifier %zu came back different", i);
        }
        free(buf);
    }
}

/* ---- compression ---- */

static void expect_compressed(Term t, int level, const uint8_t *want, size_t want_len)
{
    size_t len;
    uint8_t *plain = encode(t, &v1, &len);
    uint8_t *packed = malloc(len);
    size_t n = etf_compress(plain, len, level, packed);
    if (n == 0) expect_bytes(plain, len, want, want_len);
    else expect_bytes(packed, n, want, want_len);
    free(plain);
    free(packed);
}

static Term duplicate(size_t n, Term x)
{
    Term *cells = literal_alloc(area, 2 * n);
    for (size_t i = 0; i < n; i++) {
        cells[2 * i] = x;
        cells[2 * i + 1] = i + 1 < n ? make_list(cells + 2 * i + 2) : NIL;
    }
    return make_list(cells);
}

Test(etf_encode, compression)
{
    Term a = atom_from_cstr("a");
    /* term_to_binary(lists:duplicate(100, a), [compressed]) */
    expect_compressed(duplicate(100, a), 6, BYTES(131, 80, 0, 0, 1, 150, 120, 156, 203, 97, 96, 96, 72, 73, 97, 96, 76,
                                                   28, 197, 131, 7, 103, 1, 0, 48, 70, 78, 147));
    /* [{compressed, 9}] with lists:duplicate(10, a) */
    expect_compressed(duplicate(10, a), 9, BYTES(131, 80, 0, 0, 0, 46, 120, 218, 203, 97, 96, 96, 224, 74, 97, 96, 76,
                                                  36, 6, 103, 1, 0, 188, 22, 8, 157));
    /* too short to gain: left as it is */
    expect_compressed(a, 6, BYTES(131, 100, 0, 1, 97));
    expect_compressed(duplicate(2, a), 6, BYTES(131, 108, 0, 0, 0, 2, 100, 0, 1, 97, 100, 0, 1, 97, 106));
}

/* ---- the walk ---- */

/* A million nested lists and tuples encode without recursion. */
Test(etf_encode, deep_nesting)
{
    size_t n = 1000000;
    Term *cells = literal_alloc(area, 2 * n);
    Term t = NIL;
    for (size_t i = 0; i < n; i++) {
        cells[2 * i] = t;
        cells[2 * i + 1] = NIL;
        t = make_list(cells + 2 * i);
    }
    size_t len;
    uint8_t *buf = encode(t, &v1, &len);
    cr_assert_eq(len, 1 + 5 * n + n + 1); /* LIST_EXT headers, n tails, the innermost [] */
    free(buf);
    Term *tuples = literal_alloc(area, 2 * n);
    Term u = NIL;
    for (size_t i = 0; i < n; i++) {
        tuples[2 * i] = make_tuple_header(1);
        tuples[2 * i + 1] = u;
        u = make_boxed(tuples + 2 * i);
    }
    buf = encode(u, &v1, &len);
    cr_assert_eq(len, 1 + 2 * n + 1);
    free(buf);
}
