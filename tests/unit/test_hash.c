/*
 * test_hash.c - erlang:phash2 and erlang:phash (runtime/etf/hash.h) against
 * OTP 25: every expected value below was printed by erl for the term whose
 * term_to_binary bytes are given (phash2(T, 1 bsl 32) and
 * phash(T, 1 bsl 32) - 1, the full 32-bit hashes). Besides, hash.c was
 * compared with erl on thousands of random terms of every kind.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>

#include "runtime/term/atom.h"
#include "runtime/term/binary.h"
#include "runtime/etf/etf.h"
#include "runtime/loader/export.h"
#include "runtime/etf/hash.h"
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

TestSuite(hash, .init = setup, .fini = teardown);

static Term decode(const uint8_t *bytes, size_t len)
{
    char err[128];
    Term t = etf_binary_to_term(bytes, len, literal_allocator(area), NULL, err, sizeof err);
    cr_assert_neq(t, THE_NON_VALUE, "decoding failed: %s", err);
    return t;
}

typedef struct Vector {
    const uint8_t *etf;
    size_t len;
    uint32_t phash2, phash;
} Vector;

#define B(...) (const uint8_t[]){__VA_ARGS__}, sizeof((const uint8_t[]){__VA_ARGS__})

static const Vector vectors[] = {
    {B(131,97,0), 3175731469, 0}, /* 0 */
    {B(131,97,1), 539485162, 2788898427}, /* 1 */
    {B(131,98,255,255,255,255), 1117813597, 1680185269}, /* -1 */
    {B(131,97,255), 715823293, 2499495045}, /* 255 */
    {B(131,98,0,0,1,0), 3929335767, 1920229267}, /* 256 */
    {B(131,98,7,255,255,255), 4273352567, 1192343452}, /* 134217727 */
    {B(131,98,8,0,0,0), 2562491755, 2147483672}, /* 134217728 */
    {B(131,98,248,0,0,0), 874979335, 2147489128}, /* -134217728 */
    {B(131,98,247,255,255,255), 1418916782, 3827674397}, /* -134217729 */
    {B(131,98,127,255,255,255), 2137393463, 3339827460}, /* 2147483647 */
    {B(131,98,128,0,0,0), 1672643025, 87680}, /* -2147483648 */
    {B(131,110,6,0,0,0,0,0,0,1), 282329375, 1920229267}, /* 1099511627776 */
    {B(131,110,6,1,0,0,0,0,0,1), 2464100025, 3765867549}, /* -1099511627776 */
    {B(131,110,8,0,255,255,255,255,255,255,255,7), 1638133000, 3114282912}, /* 576460752303423487 */
    {B(131,110,8,0,0,0,0,0,0,0,0,8), 2442888721, 2147483672}, /* 576460752303423488 */
    {B(131,110,8,1,0,0,0,0,0,0,0,8), 2316875190, 2147489128}, /* -576460752303423488 */
    {B(131,110,9,0,0,0,0,0,0,0,0,0,1), 2519041713, 2788898427}, /* 18446744073709551616 */
    {B(131,110,9,1,0,0,0,0,0,0,0,0,1), 2563594619, 1680185269}, /* -18446744073709551616 */
    {B(131,110,13,0,0,0,0,0,0,0,0,0,0,0,0,0,16), 528873168, 1672701872}, /* 1 bsl 100 */
    /* (1 bsl 200) + 12345 */
    {B(131, 110, 26, 0, 57, 48, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1),
     2722349351, 4056881478},
    {B(131,70,0,0,0,0,0,0,0,0), 423528920, 0}, /* 0.0 */
    {B(131,70,128,0,0,0,0,0,0,0), 423528920, 0}, /* -0.0 */
    {B(131,70,63,240,0,0,0,0,0,0), 3029937084, 1072693248}, /* 1.0 */
    {B(131,70,191,248,0,0,0,0,0,0), 1758584130, 3220701184}, /* -1.5 */
    {B(131,70,126,55,228,60,136,0,117,156), 387524106, 4130836896}, /* 1.0e300 */
    {B(131,70,64,9,33,251,84,68,45,24), 764465415, 340593891}, /* 3.141592653589793 */
    {B(131,100,0,1,97), 97, 97}, /* a */
    {B(131,100,0,5,104,101,108,108,111), 7258927, 7258927}, /* hello */
    {B(131,100,0,0), 0, 0}, /* '' */
    {B(131,119,3,196,137,117), 52485, 52485}, /* '\x{109}u' */
    {B(131,100,0,1,233), 233, 233}, /* '\x{E9}' */
    {B(131,119,4,240,159,152,128), 1026304, 1026304}, /* '\x{1F600}' */
    {B(131,100,0,4,116,114,117,101), 506293, 506293}, /* true */
    {B(131,106), 3468870702, 1}, /* [] */
    {B(131,108,0,0,0,1,106,106), 499070068, 2952798236}, /* [[]] */
    {B(131,108,0,0,0,1,100,0,1,97,106), 1634476877, 2953390076}, /* [a] */
    {B(131,107,0,3,97,98,99), 519996486, 3654580165}, /* [97,98,99] */
    {B(131,107,0,4,97,98,99,100), 1752753207, 1938728201}, /* [97,98,99,100] */
    {B(131,107,0,5,97,98,99,100,101), 2487089008, 721934914}, /* [97,98,99,100,101] */
    {B(131,108,0,0,0,3,97,1,97,2,97,3,97,4), 236899641, 1388611538}, /* [1,2,3|4] */
    {B(131,108,0,0,0,1,100,0,1,97,100,0,1,98), 2356411656, 4159696707}, /* [a|b] */
    {B(131,108,0,0,0,2,98,0,0,1,0,97,1,106), 514113909, 3220643891}, /* [256,1] */
    {B(131,108,0,0,0,3,97,1,100,0,1,97,97,2,106), 2452592867, 1818686373}, /* [1,a,2] */
    {B(131,108,0,0,0,5,97,97,97,98,100,0,1,120,97,99,97,100,106), 2674536352, 2073105487}, /* [97,98,x,99,100] */
    {B(131,104,0), 221703996, 0}, /* {} */
    {B(131,104,1,100,0,1,97), 2853905094, 268840044}, /* {a} */
    {B(131,104,3,100,0,1,97,100,0,1,98,100,0,1,99), 113425870, 685556713}, /* {a,b,c} */
    {B(131,104,2,104,0,106), 2314729433, 268439629}, /* {{},[]} */
    {B(131,109,0,0,0,0), 147926629, 0}, /* <<>> */
    {B(131,109,0,0,0,1,1), 881997586, 268436142}, /* <<1>> */
    {B(131,109,0,0,0,12,1,2,3,4,5,6,7,8,9,10,11,12), 1714375065, 792277794}, /* <<1,2,3,4,5,6,7,8,9,10,11,12>> */
    /* <<1,2,3,4,5,6,7,8,9,10,11,12,13>> */
    {B(131, 109, 0, 0, 0, 13, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13), 92101820, 2025222232},
    {B(131,77,0,0,0,1,1,128), 3994547237, 808817678}, /* <<1:1>> */
    {B(131,77,0,0,0,3,5,1,2,24), 946117966, 2282888501}, /* <<1,2,3:5>> */
    {B(131,77,0,0,0,2,3,255,224), 2508458947, 3096541740}, /* <<255,7:3>> */
    {B(131,116,0,0,0,0), 844985373, 1113425984}, /* #{} */
    {B(131,116,0,0,0,1,100,0,1,97,97,1), 1401795262, 1670235873}, /* #{a => 1} */
    /* #{1 => a,1.0 => b} */
    {B(131, 116, 0, 0, 0, 2, 97, 1, 100, 0, 1, 97, 70, 63, 240, 0, 0, 0, 0, 0, 0, 100, 0, 1, 98),
     2632281952, 2900722563},
    {B(131,116,0,0,0,2,104,0,104,0,106,106), 727898247, 996338858}, /* #{{} => {},[] => []} */
    {B(131,113,100,0,5,108,105,115,116,115,100,0,3,109,97,112,97,2), 840287883, 904024395}, /* fun lists:map/2 */
    {B(131,113,100,0,6,101,114,108,97,110,103,100,0,1,43,97,2), 835314699, 4148409906}, /* fun erlang:'+'/2 */
    /* {[a,[98],<<99>>],#{k => [1.5,-3]},{x,{y,{z}}}} */
    {B(131, 104, 3, 108, 0, 0, 0, 3, 100, 0, 1, 97, 107, 0, 1, 98, 109, 0, 0, 0, 1, 99, 106, 116, 0, 0, 0, 1,
       100, 0, 1, 107, 108, 0, 0, 0, 2, 70, 63, 248, 0, 0, 0, 0, 0, 0, 98, 255, 255, 255, 253, 106, 104, 2,
       100, 0, 1, 120, 104, 2, 100, 0, 1, 121, 104, 1, 100, 0, 1, 122), 1493113750, 2747166221},
};

static void check(const char *what, Term t, uint32_t phash2, uint32_t phash)
{
    cr_expect_eq(hash_phash2(t), phash2, "phash2 of %s: %u, OTP %u", what, hash_phash2(t), phash2);
    cr_expect_eq(hash_phash(t), phash, "phash of %s: %u, OTP %u", what, hash_phash(t), phash);
}

Test(hash, otp_values)
{
    for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
        char what[32];
        snprintf(what, sizeof what, "vector %zu", i);
        check(what, decode(vectors[i].etf, vectors[i].len), vectors[i].phash2, vectors[i].phash);
    }
}

/* <<0, 1, ..., 99>>: several 12-byte blocks and a tail for the block hash. */
Test(hash, long_binary)
{
    uint8_t etf[6 + 100] = {131, 109, 0, 0, 0, 100};
    for (int i = 0; i < 100; i++) etf[6 + i] = (uint8_t)i;
    check("<<0..99>>", decode(etf, sizeof etf), 3204411151u, 297156222u);
}

/* maps:from_list([{I, I * I} || I <- lists:seq(1, 40)]): beyond 32 keys OTP
   uses a hash map; the hash must not depend on the representation. */
Test(hash, large_map)
{
    uint8_t etf[6 + 40 * 7], *p = etf;
    *p++ = 131;
    *p++ = 116;
    *p++ = 0, *p++ = 0, *p++ = 0, *p++ = 40;
    for (int i = 1; i <= 40; i++) {
        *p++ = 97, *p++ = (uint8_t)i;
        int sq = i * i;
        if (sq < 256) *p++ = 97, *p++ = (uint8_t)sq;
        else *p++ = 98, *p++ = 0, *p++ = 0, *p++ = (uint8_t)(sq >> 8), *p++ = (uint8_t)sq;
    }
    check("a 40-key map", decode(etf, (size_t)(p - etf)), 708446302u, 976886913u);
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

/* Bitstrings that start in the middle of a byte hash as their bits. */
Test(hash, unaligned_bitstrings)
{
    /* the 15 bytes 0xFF, 0xAF, 1..13 from bit 4 of src, with junk bits around */
    static const uint8_t bytes[15] = {0xFF, 0xAF, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13};
    uint8_t src[16] = {0xA0};
    for (int i = 0; i < 15; i++) {
        src[i] |= bytes[i] >> 4;
        src[i + 1] = (uint8_t)(bytes[i] << 4);
    }
    src[15] |= 0x07;
    Term orig = bitstring_new_in(literal_allocator(area), src, 0, 8 * sizeof src);
    cr_assert_neq(orig, THE_NON_VALUE);
    /* <<255, 10:4>> */
    check("<<255,10:4>>", sub_binary(orig, 4, 12), 1493155884u, 691155196u);
    /* <<255, 16#AF, 1, ..., 13, 0:1>>: more than one 12-byte block */
    check("121 bits", sub_binary(orig, 4, 121), 243816202u, 2157709357u);
}

/* erbium's own pids, ports and references, hashed as OTP hashes <0.N.0>,
   #Port<0.N> and #Ref<0.C.B.A>. */
Test(hash, identifiers)
{
    /* c:pid(0, 4, 0); <0.4.1> hashes the same in OTP: only the number counts */
    check("<0.4.0>", make_pid(4), 1724790673u, 479513924u);
    cr_expect_eq(hash_phash2(make_pid(32767)) & ((1u << 27) - 1), 91982837u);
    cr_expect_eq(hash_phash2(make_pid(5)) & ((1u << 27) - 1), 131498469u);
    check("#Port<0.5>", make_port(5), 2004953508u, 3777324193u);
    /* #Ref<0.3.2.1>: words A | B << 32 and C (bif_ref.c) */
    Term *ref = literal_alloc(area, 1 + REF_WORDS);
    ref[0] = make_header(REF_WORDS, HDR_REF);
    ref[1] = 1 | (Term)2 << 32;
    ref[2] = 3;
    check("#Ref<0.3.2.1>", make_boxed(ref), 118531908u, 2473451757u);
}

/* funvec:mk({7, "ab"}) where mk(N) -> fun(X) -> {X, N} end: the hash uses
   the module, index, old uniq and captured values, not the creator. */
Test(hash, local_fun)
{
    static const uint8_t md5[16] = {232, 157, 82, 223, 87, 176, 165, 87, 162, 222, 99, 242, 46, 175, 193, 153};
    FunEntry fe = {.module = atom_from_cstr("funvec"), .function = atom_from_cstr("-mk/1-fun-0-"),
                   .index = 0, .old_uniq = 121957014, .arity = 1, .num_free = 1, .md5 = md5};
    Term *f = literal_alloc(area, 4);
    f[0] = make_header(3, HDR_FUN);
    f[1] = (Term)&fe;
    f[2] = make_pid(9);
    f[3] = decode(B(131, 104, 2, 97, 7, 107, 0, 2, 97, 98)); /* {7, "ab"} */
    check("a local fun", make_boxed(f), 4219471882u, 160064835u);
}

/* The hash of an atom is a function of its text, not of its index. */
Test(hash, atom_text)
{
    Term a = atom_from_cstr("some_atom_made_late");
    cr_expect_eq(hash_atom(a), hash_atom(atom_from_cstr("some_atom_made_late")));
    cr_expect_eq(hash_atom(atom_from_cstr("")), 0u);
    cr_expect_eq(hash_atom(atom_from_cstr("a")), 97u);
    /* U+00E9 is hashed as its Latin-1 code (the atom is stored as UTF-8) */
    cr_expect_eq(hash_atom(atom_from_cstr("\xc3\xa9")), 233u);
}

/* Deep nesting and long lists are walked without recursion. */
Test(hash, deep_and_long)
{
    size_t n = 1000000;
    Term *cells = literal_alloc(area, 2 * n);
    Term t = NIL;
    for (size_t i = 0; i < n; i++) {
        cells[2 * i] = t; /* [[[...]]] nested n deep */
        cells[2 * i + 1] = NIL;
        t = make_list(cells + 2 * i);
    }
    (void)hash_phash2(t);
    (void)hash_phash(t);
    Term *tuples = literal_alloc(area, 2 * n);
    Term u = NIL;
    for (size_t i = 0; i < n; i++) {
        tuples[2 * i] = make_tuple_header(1);
        tuples[2 * i + 1] = u;
        u = make_boxed(tuples + 2 * i);
    }
    cr_expect_neq(hash_phash2(u), hash_phash2(t));
    cr_expect_neq(hash_phash(u), hash_phash(t));
}

Test(hash, range_argument)
{
    uint64_t r;
    cr_expect(hash_range_arg(make_small(1), &r) && r == 1);
    cr_expect(hash_range_arg(make_small((intptr_t)1 << 32), &r) && r == (uint64_t)1 << 32);
    cr_expect(!hash_range_arg(make_small(0), &r));
    cr_expect(!hash_range_arg(make_small(-1), &r));
    cr_expect(!hash_range_arg(make_small(((intptr_t)1 << 32) + 1), &r));
    cr_expect(!hash_range_arg(AM_ok, &r));
}
