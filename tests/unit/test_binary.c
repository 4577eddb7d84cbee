/*
 * test_binary.c - bit-level primitives (bits.h), binary objects, the
 * off-heap lists of reference-counted binaries through garbage collection
 * and copying (binary.h, gc.c, term_copy.c), and construction with
 * binary_plan/binary_build, appends in place included.
 *
 * The bit primitives are checked against a one-bit-at-a-time reference
 * model on many random offsets and lengths.
 */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "runtime/term/atom.h"
#include "runtime/term/binary.h"
#include "runtime/term/bits.h"
#include "runtime/proc/heap.h"

/* ---- helpers ---- */

static uint64_t rng_state = 88172645463325252ull;
static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static unsigned get_bit(const uint8_t *d, size_t i) { return (d[i / 8] >> (7 - i % 8)) & 1; }
static void set_bit(uint8_t *d, size_t i, unsigned b)
{
    d[i / 8] = (uint8_t)((d[i / 8] & ~(1u << (7 - i % 8))) | (b << (7 - i % 8)));
}

static void fill_random(uint8_t *d, size_t n)
{
    for (size_t i = 0; i < n; i++) d[i] = (uint8_t)rnd();
}

static Process *proc_new(void)
{
    Process *p = calloc(1, sizeof(Process));
    cr_assert_not_null(p);
    cr_assert_eq(heap_init(p, HEAP_DEFAULT_WORDS), 0);
    p->dictionary = NIL;
    p->group_leader = NIL;
    p->fvalue = p->ftrace = p->fargs = THE_NON_VALUE;
    return p;
}

static void proc_free(Process *p)
{
    heap_destroy(p);
    free(p);
}

/* Collects now, keeping x[0..live). */
static void force_gc(Process *p, Term *x, int live)
{
    uint64_t before = p->gc_count;
    heap_alloc(p, heap_free_words(p));
    cr_assert_eq(heap_gc(p, 1, x, live), 0);
    cr_assert_eq(p->gc_count, before + 1);
}

static size_t list_length(const Process *p)
{
    size_t n = 0;
    for (Term *h = p->off_heap.first; h; h = (Term *)h[3]) n++;
    return n;
}

static Binary *binary_of(Term t)
{
    Term *hp = boxed_val(t);
    if (header_subtag(hp[0]) == HDR_SUB_BIN) hp = boxed_val(hp[3]);
    cr_assert_eq(header_subtag(hp[0]), HDR_REFC_BIN);
    return (Binary *)hp[2];
}

static size_t refc(Binary *b) { return atomic_load(&b->refc); }

static void init(void) { atom_init(); }
TestSuite(bits, .init = init);
TestSuite(binary, .init = init);

/* ---- bits.h ---- */

Test(bits, copy_matches_the_bit_model)
{
    uint8_t src[40], dst[40], want[40];
    for (int round = 0; round < 20000; round++) {
        fill_random(src, sizeof src);
        fill_random(dst, sizeof dst);
        memcpy(want, dst, sizeof dst);
        size_t n = rnd() % 200, soff = rnd() % (320 - n), doff = rnd() % (320 - n);
        for (size_t i = 0; i < n; i++) set_bit(want, doff + i, get_bit(src, soff + i));
        bits_copy(dst, doff, src, soff, n);
        cr_assert_arr_eq(dst, want, sizeof dst, "n=%zu soff=%zu doff=%zu", n, soff, doff);
    }
}

Test(bits, get_and_put_match_the_bit_model)
{
    uint8_t buf[16], want[16];
    for (int round = 0; round < 20000; round++) {
        fill_random(buf, sizeof buf);
        unsigned n = (unsigned)(rnd() % 65);
        size_t off = rnd() % (128 - n + 1);
        uint64_t expect = 0;
        for (unsigned i = 0; i < n; i++) expect = expect << 1 | get_bit(buf, off + i);
        cr_assert_eq(bits_get_u64(buf, off, n), expect);
        uint64_t v = rnd();
        memcpy(want, buf, sizeof buf);
        for (unsigned i = 0; i < n; i++) set_bit(want, off + i, (unsigned)(v >> (n - 1 - i)) & 1);
        bits_put_u64(buf, off, v, n);
        cr_assert_arr_eq(buf, want, sizeof buf);
    }
}

Test(bits, compare_orders_bits)
{
    uint8_t a[8] = {0xAB, 0xCD}, b[8] = {0xAB, 0xCF};
    cr_assert_eq(bits_cmp(a, 0, b, 0, 14), 0);
    cr_assert_lt(bits_cmp(a, 0, b, 0, 15), 0);
    cr_assert_gt(bits_cmp(b, 0, a, 0, 16), 0);
    uint8_t c[8] = {0x55, 0x9B}; /* a shifted right by one bit */
    bits_copy(c, 1, a, 0, 15);
    cr_assert_eq(bits_cmp(c, 1, a, 0, 15), 0);
}

Test(bits, little_endian_fields)
{
    /* <<16#ABC:12/little>> is <<16#BC, 16#A:4>>: read big-endian that is 16#BCA */
    cr_assert_eq(bits_le_unswap(0xABC, 12), 0xBCA);
    cr_assert_eq(bits_le_swap(0xBCA, 12), 0xABC);
    cr_assert_eq(bits_le_unswap(0x0102030405060708ull, 64), 0x0807060504030201ull);
    for (unsigned n = 0; n <= 64; n++) {
        uint64_t v = rnd() & (n == 64 ? ~0ull : (1ull << n) - 1);
        cr_assert_eq(bits_le_swap(bits_le_unswap(v, n), n), v, "n=%u", n);
    }
}

Test(bits, floats)
{
    double d;
    cr_assert(bits_float_decode(0x3C00, 16, &d));
    cr_assert_eq(d, 1.0);
    cr_assert(bits_float_decode(1, 16, &d));
    cr_assert_eq(d, 0x1p-24);
    cr_assert_not(bits_float_decode(0x7C00, 16, &d));
    cr_assert_not(bits_float_decode(0x7FC00000, 32, &d));
    cr_assert_eq(bits_float_encode(65504.0, 16), 0x7BFF);
    cr_assert_eq(bits_float_encode(65519.0, 16), 0x7BFF);
    cr_assert_eq(bits_float_encode(65520.0, 16), 0x7C00); /* ties to even: infinity */
    cr_assert_eq(bits_float_encode(-0.0, 16), 0x8000);
    cr_assert_eq(bits_float_encode(0x1p-25, 16), 0);      /* a tie: to the even 0 */
    cr_assert_eq(bits_float_encode(0x1.8p-24, 16), 2);    /* a tie: to the even 2 */
    cr_assert_eq(bits_float_encode(1.0e300, 32), 0x7F800000);
    cr_assert_eq(bits_float_encode(1.5, 64), 0x3FF8000000000000ull);
    /* every finite half round-trips */
    for (uint32_t h = 0; h < 0x10000; h++) {
        if ((h & 0x7C00) == 0x7C00) continue;
        cr_assert(bits_float_decode(h, 16, &d));
        cr_assert_eq(bits_float_encode(d, 16), h, "half %#x", h);
    }
}

Test(bits, utf)
{
    uint8_t buf[16] = {0};
    uint32_t c;
    static const uint32_t points[] = {0, 0x7F, 0x80, 0x7FF, 0x800, 0xD7FF, 0xE000, 0xFFFF, 0x10000, 0x10FFFF};
    for (size_t i = 0; i < sizeof points / sizeof points[0]; i++) {
        for (size_t off = 0; off < 8; off++) {
            unsigned n = bits_put_utf8(buf, off, points[i]);
            cr_assert_eq(n, bits_utf8_size(points[i]));
            cr_assert_eq(bits_get_utf8(buf, off, n, &c), n);
            cr_assert_eq(c, points[i]);
            cr_assert_eq(bits_get_utf8(buf, off, n - 1, &c), 0); /* truncated */
            for (int little = 0; little < 2; little++) {
                n = bits_put_utf16(buf, off, points[i], little);
                cr_assert_eq(bits_get_utf16(buf, off, n, little, &c), n);
                cr_assert_eq(c, points[i]);
                n = bits_put_utf32(buf, off, points[i], little);
                cr_assert_eq(bits_get_utf32(buf, off, n, little, &c), n);
                cr_assert_eq(c, points[i]);
            }
        }
    }
    static const uint8_t bad8[][4] = {
        {0xC0, 0x80}, {0xED, 0xA0, 0x80}, {0xF4, 0x90, 0x80, 0x80}, {0x80}, {0xE0, 0x9F, 0xBF},
    };
    for (size_t i = 0; i < sizeof bad8 / sizeof bad8[0]; i++)
        cr_assert_eq(bits_get_utf8(bad8[i], 0, 32, &c), 0, "case %zu", i);
    static const uint8_t lone[] = {0xDC, 0x00, 0x00, 0x41};
    cr_assert_eq(bits_get_utf16(lone, 0, 32, false, &c), 0);
    static const uint8_t big32[] = {0x00, 0x11, 0x00, 0x00};
    cr_assert_eq(bits_get_utf32(big32, 0, 32, false, &c), 0);
}

/* ---- objects ---- */

Test(binary, heap_and_refc)
{
    Process *p = proc_new();
    uint8_t *d;
    Term small = binary_new(p, BINARY_HEAP_MAX, &d);
    memset(d, 7, BINARY_HEAP_MAX);
    cr_assert(is_boxed_of(small, HDR_HEAP_BIN));
    Term large = binary_new(p, BINARY_HEAP_MAX + 1, &d);
    memset(d, 9, BINARY_HEAP_MAX + 1);
    cr_assert(is_boxed_of(large, HDR_REFC_BIN));
    cr_assert_eq(list_length(p), 1);
    const uint8_t *bytes;
    size_t n;
    cr_assert(binary_bytes(large, &bytes, &n));
    cr_assert_eq(n, BINARY_HEAP_MAX + 1);
    cr_assert_eq(bytes[BINARY_HEAP_MAX], 9);
    cr_assert(binary_is_binary(small) && binary_is_binary(large));
    cr_assert_not(binary_bytes(make_small(1), &bytes, &n));
    cr_assert_eq(bitstring_bits(large), 8 * (BINARY_HEAP_MAX + 1));
    proc_free(p);
}

Test(binary, sub_binaries_and_odd_offsets)
{
    Process *p = proc_new();
    static const uint8_t src[] = {0x12, 0x34, 0x56, 0x78, 0x9A};
    Term b = binary_from_bytes(p, src, sizeof src);
    Term s = binary_sub(p, b, 8, 24);
    const uint8_t *bytes;
    size_t n;
    cr_assert(is_boxed_of(s, HDR_SUB_BIN));
    cr_assert(binary_bytes(s, &bytes, &n));
    cr_assert_eq(n, 3);
    cr_assert_eq(bytes[0], 0x34);
    cr_assert_eq(binary_sub(p, b, 0, 40), b, "the whole of it is itself");
    /* whole bytes at an odd offset are copied, so their bytes can be read in place */
    Term odd = binary_sub(p, b, 4, 16);
    cr_assert(is_boxed_of(odd, HDR_HEAP_BIN));
    cr_assert(binary_bytes(odd, &bytes, &n));
    cr_assert_eq(bytes[0], 0x23);
    cr_assert_eq(bytes[1], 0x45);
    /* a bitstring stays a sub binary; a sub of a sub refers to the original */
    Term bits = binary_sub(p, b, 4, 13);
    cr_assert(is_boxed_of(bits, HDR_SUB_BIN));
    cr_assert_not(binary_is_binary(bits));
    Term inner = binary_sub(p, bits, 1, 5);
    cr_assert_eq(boxed_val(inner)[3], b);
    cr_assert_eq(boxed_val(inner)[2], 5);
    uint8_t copy[2];
    bitstring_copy(bits, copy);
    cr_assert_eq(copy[0], 0x23);
    cr_assert_eq(copy[1], 0x40); /* 13 bits: 0010 0011 0100 0, then zero padding */
    proc_free(p);
}

Test(binary, compare)
{
    Process *p = proc_new();
    static const uint8_t x[] = {0x80, 0x01}, y[] = {0x80};
    Term a = binary_from_bytes(p, x, 2), b = binary_from_bytes(p, y, 1);
    Term one_bit = binary_sub(p, b, 0, 1); /* <<1:1>> */
    cr_assert_gt(bitstring_compare(a, b), 0);
    cr_assert_lt(bitstring_compare(one_bit, b), 0);
    cr_assert_eq(bitstring_compare(binary_sub(p, a, 0, 8), b), 0);
    proc_free(p);
}

/* ---- reference counts through collections and copies ---- */

Test(binary, gc_releases_dead_handles_and_keeps_live_ones)
{
    Process *p = proc_new();
    Term x[2];
    uint8_t *d;
    x[0] = binary_new(p, 1000, &d);
    memset(d, 1, 1000);
    Binary *live = binary_of(x[0]);
    Term dead = binary_new(p, 2000, &d);
    Binary *gone = binary_of(dead);
    atomic_fetch_add(&gone->refc, 1); /* our own reference, to watch the count */
    atomic_fetch_add(&live->refc, 1);
    x[1] = binary_sub(p, x[0], 8, 80); /* a sub binary keeps its original alive */
    cr_assert_eq(list_length(p), 2);
    force_gc(p, x, 2);
    cr_assert_eq(refc(gone), 1, "the dead handle dropped its reference");
    cr_assert_eq(refc(live), 2);
    cr_assert_eq(list_length(p), 1);
    cr_assert_eq(p->off_heap.first, boxed_val(x[0]), "the list holds the moved handle");
    cr_assert_eq(boxed_val(x[1])[3], x[0]);
    force_gc(p, x, 1); /* now only through x0 */
    cr_assert_eq(refc(live), 2);
    force_gc(p, x, 0);
    cr_assert_eq(refc(live), 1);
    cr_assert_eq(list_length(p), 0);
    cr_assert_eq(p->off_heap.bytes, 0);
    binary_release(gone);
    binary_release(live);
    proc_free(p);
}

/* A list of n small integers, from heap_alloc: ballast that makes the heap worth an old generation. */
static Term ballast(Process *p, int n)
{
    Term l = NIL;
    for (int i = 0; i < n; i++) {
        Term *cell = heap_alloc(p, 2);
        cell[0] = make_small(i);
        cell[1] = l;
        l = make_list(cell);
    }
    return l;
}

Test(binary, handles_in_the_old_generation_wait_for_a_major_collection)
{
    Process *p = proc_new();
    Term x[2];
    uint8_t *d;
    x[0] = ballast(p, 10000);
    x[1] = binary_new(p, 1000, &d);
    Binary *b = binary_of(x[1]);
    atomic_fetch_add(&b->refc, 1);
    force_gc(p, x, 2);
    force_gc(p, x, 2); /* survived two: promoted */
    cr_assert_not_null(p->old_heap);
    cr_assert(boxed_val(x[1]) >= p->old_heap && boxed_val(x[1]) < p->old_htop);
    Term young = binary_new(p, 500, &d); /* a young handle that dies */
    Binary *y = binary_of(young);
    atomic_fetch_add(&y->refc, 1);
    force_gc(p, x, 2);
    cr_assert_eq(refc(y), 1, "the young dead handle is released");
    cr_assert_eq(refc(b), 2, "the old handle keeps its reference");
    cr_assert_eq(list_length(p), 1, "and stays on the list");
    force_gc(p, x, 1); /* x1 dropped: dead, but in the old generation */
    cr_assert_eq(refc(b), 2, "a minor collection does not look at the old generation");
    cr_assert_eq(heap_gc_major(p, 1, x, 1), 0);
    cr_assert_eq(refc(b), 1, "the major one releases it");
    cr_assert_eq(list_length(p), 0);
    binary_release(b);
    binary_release(y);
    proc_free(p);
}

Test(binary, many_handles_across_growing_and_shrinking_heaps)
{
    Process *p = proc_new();
    Term x[1] = {NIL};
    Binary *watch[200];
    for (int i = 0; i < 200; i++) {
        uint8_t *d;
        Term b = binary_new(p, 100 + (size_t)i, &d);
        d[0] = (uint8_t)i;
        watch[i] = binary_of(b);
        atomic_fetch_add(&watch[i]->refc, 1);
        Term *cell = heap_alloc(p, 2);
        cell[0] = b;
        cell[1] = i % 2 ? x[0] : NIL; /* every other one starts the list afresh */
        x[0] = make_list(cell);
        if (i % 7 == 0) force_gc(p, x, 1);
    }
    force_gc(p, x, 1);
    /* the list now holds the last two put: 199 and 198 */
    cr_assert_eq(list_length(p), 2);
    for (int i = 0; i < 198; i++) cr_assert_eq(refc(watch[i]), 1, "binary %d", i);
    cr_assert_eq(refc(watch[198]), 2);
    cr_assert_eq(refc(watch[199]), 2);
    const uint8_t *bytes;
    size_t n;
    cr_assert(binary_bytes(list_head(x[0]), &bytes, &n));
    cr_assert_eq(n, 299);
    cr_assert_eq(bytes[0], 199);
    proc_free(p);
    for (int i = 0; i < 200; i++) {
        cr_assert_eq(refc(watch[i]), 1, "heap_destroy released binary %d", i);
        binary_release(watch[i]);
    }
}

Test(binary, term_copy_takes_references)
{
    Process *a = proc_new(), *b = proc_new();
    uint8_t *d;
    Term bin = binary_new(a, 500, &d);
    memset(d, 3, 500);
    Binary *shared = binary_of(bin);
    Term *cell = heap_alloc(a, 2);
    cell[0] = bin;
    cell[1] = binary_sub(a, bin, 0, 12);
    Term pair = make_list(cell);
    Term copy = term_copy(b, pair);
    /* a copy does not keep sharing: the handle is copied once per reference */
    cr_assert_eq(refc(shared), 3);
    cr_assert_eq(list_length(b), 2);
    cr_assert_eq(binary_of(list_head(copy)), shared);
    cr_assert_eq(binary_of(list_tail(copy)), shared);
    proc_free(a);
    cr_assert_eq(refc(shared), 2);
    Term x[1] = {list_tail(copy)};
    force_gc(b, x, 1);
    cr_assert_eq(refc(shared), 1, "only the sub binary's original survives");
    cr_assert_eq(list_length(b), 1);
    proc_free(b);
}

Test(binary, copies_for_messages_are_adopted_or_dropped)
{
    Process *a = proc_new(), *b = proc_new();
    uint8_t *d;
    Term bin = binary_new(a, 300, &d);
    Binary *shared = binary_of(bin);
    size_t words = term_size(bin);
    Term *area = malloc(2 * words * sizeof(Term));
    Term c1 = term_copy_to(bin, area);
    Term c2 = term_copy_to(bin, area + words);
    cr_assert_eq(refc(shared), 3);
    binary_drop_copy(area + words, words);
    cr_assert_eq(refc(shared), 2);
    /* adopting needs the words to be b's: copy them into b's heap first */
    Term *hp = heap_alloc(b, words);
    memcpy(hp, area, words * sizeof(Term));
    binary_adopt_copy(b, hp, words);
    cr_assert_eq(list_length(b), 1);
    cr_assert_eq(b->off_heap.first, hp);
    (void)c1;
    (void)c2;
    free(area);
    proc_free(b);
    cr_assert_eq(refc(shared), 1);
    proc_free(a);
}

Test(binary, copied_binaries_no_longer_grow_in_place)
{
    Process *a = proc_new(), *b = proc_new();
    Term *hp = heap_alloc(a, REFC_BIN_WORDS + SUB_BIN_WORDS);
    Term empty = binary_writable_at(a, hp, 100);
    Term handle;
    cr_assert_not_null(binary_appendable(empty, 8, &handle));
    term_copy(b, empty);
    cr_assert_null(binary_appendable(empty, 8, &handle));
    proc_free(a);
    proc_free(b);
}

/* ---- construction ---- */

static Term build(Process *p, BinSeg *segs, size_t n, BinPlan *plan)
{
    Term reason;
    cr_assert(binary_plan(segs, n, plan, &reason));
    return binary_build(p, heap_alloc(p, plan->words), segs, n, plan);
}

Test(binary, build_segments)
{
    Process *p = proc_new();
    static const uint8_t str[] = "xyz";
    BinSeg segs[] = {
        {.type = BSEG_INTEGER, .unit = 1, .value = make_small(1), .size = make_small(8)},
        {.type = BSEG_INTEGER, .flags = BITS_LITTLE, .unit = 1, .value = make_small(-2),
         .size = make_small(16)},
        {.type = BSEG_STRING, .unit = 8, .size = make_small(3), .str = str},
        {.type = BSEG_UTF8, .value = make_small(0xE9)},
        {.type = BSEG_INTEGER, .unit = 1, .value = make_small(5), .size = make_small(3)},
    };
    BinPlan plan;
    Term r = build(p, segs, 5, &plan);
    cr_assert_eq(plan.bits, 8 + 16 + 24 + 16 + 3);
    cr_assert(is_boxed_of(r, HDR_SUB_BIN), "67 bits: a sub binary of a heap binary");
    uint8_t out[9];
    bitstring_copy(r, out);
    static const uint8_t want[] = {1, 0xFE, 0xFF, 'x', 'y', 'z', 0xC3, 0xA9, 0xA0};
    cr_assert_arr_eq(out, want, sizeof want);
    proc_free(p);
}

Test(binary, build_errors)
{
    BinPlan plan;
    Term reason;
    BinSeg bad_value = {.type = BSEG_INTEGER, .unit = 1, .value = AM_ok, .size = make_small(8)};
    cr_assert_not(binary_plan(&bad_value, 1, &plan, &reason));
    cr_assert_eq(reason, AM_badarg);
    BinSeg negative = {.type = BSEG_INTEGER, .unit = 1, .value = make_small(1), .size = make_small(-1)};
    cr_assert_not(binary_plan(&negative, 1, &plan, &reason));
    cr_assert_eq(reason, AM_badarg);
    BinSeg huge = {.type = BSEG_INTEGER, .unit = 8, .value = make_small(1),
                   .size = make_small(MAX_SMALL / 4)};
    cr_assert_not(binary_plan(&huge, 1, &plan, &reason));
    cr_assert_eq(reason, AM_system_limit);
    BinSeg float24 = {.type = BSEG_FLOAT, .unit = 1, .value = make_small(1), .size = make_small(24)};
    cr_assert_not(binary_plan(&float24, 1, &plan, &reason));
    BinSeg surrogate = {.type = BSEG_UTF16, .value = make_small(0xD800)};
    cr_assert_not(binary_plan(&surrogate, 1, &plan, &reason));
    cr_assert_eq(reason, AM_badarg);
}

/* <<Acc/binary, Byte>> */
static Term append_byte(Process *p, Term acc, int byte, BinPlan *plan)
{
    BinSeg segs[] = {
        {.type = BSEG_APPEND, .unit = 8, .value = acc, .size = AM_all},
        {.type = BSEG_INTEGER, .unit = 1, .value = make_small(byte), .size = make_small(8)},
    };
    return build(p, segs, 2, plan);
}

Test(binary, appends_in_place_and_forks_copy)
{
    Process *p = proc_new();
    BinPlan plan;
    static const uint8_t start[] = {'a'};
    Term acc = binary_from_bytes(p, start, 1);
    acc = append_byte(p, acc, 'b', &plan);
    cr_assert_not(plan.in_place, "a heap binary cannot grow");
    Binary *b = binary_of(acc);
    Term prev = acc;
    for (int i = 0; i < 100; i++) {
        acc = append_byte(p, acc, 'c', &plan);
        cr_assert(plan.in_place, "append %d", i);
        cr_assert_eq(binary_of(acc), b);
    }
    const uint8_t *bytes;
    size_t n;
    cr_assert(binary_bytes(prev, &bytes, &n));
    cr_assert_eq(n, 2, "the older value is unchanged");
    Term fork = append_byte(p, prev, 'z', &plan);
    cr_assert_not(plan.in_place, "prev no longer ends where the Binary does");
    cr_assert(binary_bytes(fork, &bytes, &n));
    cr_assert_eq(n, 3);
    cr_assert_eq(bytes[2], 'z');
    cr_assert(binary_bytes(acc, &bytes, &n));
    cr_assert_eq(n, 102);
    cr_assert_eq(bytes[2], 'c');
    /* growing past the capacity moves to a new, larger Binary */
    for (int i = 0; i < 1000; i++) acc = append_byte(p, acc, i & 0xFF, &plan);
    cr_assert(binary_bytes(acc, &bytes, &n));
    cr_assert_eq(n, 1102);
    cr_assert_eq(bytes[1101], 999 & 0xFF);
    cr_assert_neq(binary_of(acc), b);
    proc_free(p);
}
