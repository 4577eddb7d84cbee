/*
 * test_map.c - maps (map.h, map_*.c, bif_map*.c), called directly on a
 * process heap. The expected orders were printed by erl (OTP 25) with
 * maps:keys(maps:from_list([{K, 0} || K <- Keys])), i.e. list order.
 */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>

#include "runtime/term/big.h"
#include "runtime/term/binary.h"
#include "runtime/bif/bif.h"
#include "runtime/term/map_internal.h"

/* Declared here too: bifs_map_next.def may not be in bifs.def yet. */
Term bif_erts_internal_map_next_3(Process *p, const Term *args);

static Process proc;

static void setup(void)
{
    atom_init();
    memset(&proc, 0, sizeof proc);
    cr_assert_eq(heap_init(&proc, 0), 0);
    proc.fvalue = proc.ftrace = proc.fargs = THE_NON_VALUE;
}

static void teardown(void) { heap_destroy(&proc); }

TestSuite(map, .init = setup, .fini = teardown);

#define CALL(fn, ...) fn(&proc, (const Term[]){__VA_ARGS__})

static Term S(intptr_t v) { return make_small(v); }
static Term A(const char *name) { return atom_from_cstr(name); }
static Term F(double d) { return make_float(heap_alloc(&proc, FLOAT_WORDS), d); }

static Term T(size_t n, ...)
{
    Term *hp = heap_alloc(&proc, 1 + n);
    hp[0] = make_tuple_header(n);
    va_list ap;
    va_start(ap, n);
    for (size_t i = 1; i <= n; i++) hp[i] = va_arg(ap, Term);
    va_end(ap);
    return make_boxed(hp);
}

static Term cons(Term h, Term t)
{
    Term *hp = heap_alloc(&proc, 2);
    hp[0] = h;
    hp[1] = t;
    return make_list(hp);
}

static Term str(const char *s)
{
    size_t n = strlen(s);
    Term l = NIL;
    while (n-- > 0) l = cons(S((unsigned char)s[n]), l);
    return l;
}

/* A heap binary (term.h: byte size, then the bytes). */
static Term bin(const uint8_t *bytes, size_t n)
{
    Term *hp = heap_alloc(&proc, 2 + (n + 7) / 8);
    hp[0] = make_header(1 + (n + 7) / 8, HDR_HEAP_BIN);
    hp[1] = n;
    memset(hp + 2, 0, 8 * ((n + 7) / 8));
    memcpy(hp + 2, bytes, n);
    return make_boxed(hp);
}

/* 2^70 + v */
static Term big70(unsigned v)
{
    uint8_t le[9] = {(uint8_t)v, 0, 0, 0, 0, 0, 0, 0, 0x40};
    return big_from_le_magnitude(le, sizeof le, false, map_heap_alloc(&proc));
}

/* maps:from_list([{K, 0} || K <- keys]) */
static Term map_of(const Term *keys, size_t n)
{
    Term *values = malloc(n * sizeof(Term));
    for (size_t i = 0; i < n; i++) values[i] = S(0);
    Term m = map_from_pairs(&proc, keys, values, n);
    free(values);
    return m;
}

static Term empty_map(void) { return map_from_pairs(&proc, NULL, NULL, 0); }

static Term map_of_ints(intptr_t from, intptr_t to)
{
    Term keys[to - from + 1];
    for (intptr_t i = from; i <= to; i++) keys[i - from] = S(i);
    return map_of(keys, (size_t)(to - from + 1));
}

typedef struct Seen {
    Term keys[2048], values[2048];
    size_t n;
} Seen;

static void see(void *ctx, Term key, Term value)
{
    Seen *s = ctx;
    s->keys[s->n] = key;
    s->values[s->n++] = value;
}

static Seen *pairs_of(Term map, bool list_order)
{
    static Seen s;
    s.n = 0;
    map_foreach(map, list_order, see, &s);
    return &s;
}

/* The map's keys in list order are exactly `expected`. */
static void expect_list_order(Term map, const Term *expected, size_t n)
{
    Seen *s = pairs_of(map, true);
    cr_assert_eq(s->n, n);
    for (size_t i = 0; i < n; i++)
        cr_assert(term_eq_exact(s->keys[i], expected[i]), "key %zu out of OTP's order", i);
}

static void expect_ints_order(Term map, const int *expected, size_t n)
{
    Term keys[n];
    for (size_t i = 0; i < n; i++) keys[i] = S(expected[i]);
    expect_list_order(map, keys, n);
}

/* ---- OTP's order ---- */

Test(map, integer_keys_in_otps_order)
{
    static const int otp[] = {33, 12, 23, 29, 30, 39, 26, 31, 11, 37, 9, 32, 34, 25, 28, 6, 38, 13, 40, 20,
                              15, 14, 2, 7, 1, 8, 3, 17, 22, 21, 4, 36, 24, 10, 35, 27, 19, 5, 18, 16};
    expect_ints_order(map_of_ints(1, 40), otp, 40);
}

Test(map, negative_keys_in_otps_order)
{
    static const int otp[] = {-33, -10, -26, -27, -13, -15, -2, -29, -5, -18, -20, -32, -23, -14, -25, -28, -6,
                              -12, -17, -3, -21, -30, -31, -1, -16, -7, -9, -8, -24, -11, -22, -19, -4};
    expect_ints_order(map_of_ints(-33, -1), otp, 33);
}

Test(map, tuple_keys_in_otps_order)
{
    static const int otp[] = {4, 14, 30, 1, 15, 23, 20, 17, 8, 24, 12, 19, 21, 5, 22, 11, 2,
                              16, 3, 32, 7, 27, 29, 18, 13, 26, 25, 9, 28, 31, 33, 6, 10};
    Term keys[33], expected[33];
    for (int i = 0; i < 33; i++) {
        keys[i] = T(2, S(i + 1), S(i + 2));
        expected[i] = T(2, S(otp[i]), S(otp[i] + 1));
    }
    expect_list_order(map_of(keys, 33), expected, 33);
}

Test(map, string_keys_in_otps_order)
{
    static const int otp[] = {15, 22, 3, 9, 2, 18, 21, 25, 13, 4, 20, 33, 14, 8, 10, 6, 26,
                              17, 29, 28, 12, 24, 1, 16, 5, 30, 19, 11, 27, 23, 7, 32, 31};
    Term keys[33], expected[33];
    char buf[16];
    for (int i = 0; i < 33; i++) {
        snprintf(buf, sizeof buf, "k%d", i + 1);
        keys[i] = str(buf);
        snprintf(buf, sizeof buf, "k%d", otp[i]);
        expected[i] = str(buf);
    }
    expect_list_order(map_of(keys, 33), expected, 33);
}

Test(map, float_keys_in_otps_order)
{
    static const double otp[] = {1.25, 7.75, 5.0, 7.25, 6.5, 8.25, 3.75, 7.5, 2.25, 4.75, 0.75,
                                 7.0, 5.25, 5.5, 4.0, 1.5, 0.25, 1.75, 6.0, 5.75, 1.0, 2.5,
                                 4.25, 3.0, 6.25, 0.5, 3.25, 4.5, 6.75, 3.5, 2.75, 8.0, 2.0};
    Term keys[33], expected[33];
    for (int i = 0; i < 33; i++) {
        keys[i] = F((i + 1) / 4.0);
        expected[i] = F(otp[i]);
    }
    expect_list_order(map_of(keys, 33), expected, 33);
}

Test(map, bignum_keys_in_otps_order)
{
    /* 2^70 = 1180591620717411303424; OTP's order of 2^70 + 1 .. 2^70 + 33: */
    static const int otp[] = {32, 25, 23, 26, 17, 1, 20, 19, 4, 22, 18, 2, 7, 21, 10, 6, 16,
                              11, 14, 5, 12, 28, 33, 24, 31, 8, 13, 3, 9, 30, 29, 15, 27};
    Term keys[33], expected[33];
    for (int i = 0; i < 33; i++) {
        keys[i] = big70((unsigned)i + 1);
        expected[i] = big70((unsigned)otp[i]);
    }
    expect_list_order(map_of(keys, 33), expected, 33);
}

Test(map, binary_keys_in_otps_order)
{
    static const int otp[] = {30, 19, 8, 22, 1, 2, 7, 17, 18, 13, 31, 26, 5, 15, 14, 33, 28,
                              32, 11, 25, 4, 16, 3, 12, 27, 10, 20, 9, 21, 6, 29, 23, 24};
    Term keys[33], expected[33];
    for (int i = 0; i < 33; i++) {
        uint8_t b[2] = {(uint8_t)(i + 1), (uint8_t)(i + 1)}, e[2] = {(uint8_t)otp[i], (uint8_t)otp[i]};
        keys[i] = bin(b, 2);
        expected[i] = bin(e, 2);
    }
    expect_list_order(map_of(keys, 33), expected, 33);
}

Test(map, bitstring_keys_in_otps_order)
{
    /* <<K:13>> for K = 1..40 */
    static const int otp[] = {20, 27, 35, 28, 25, 3, 34, 2, 38, 31, 1, 32, 39, 30, 10, 40, 17, 5, 15, 8,
                              26, 11, 12, 6, 24, 7, 16, 4, 23, 14, 29, 19, 36, 37, 22, 9, 13, 21, 18, 33};
    Term keys[40], expected[40];
    for (int i = 0; i < 40; i++) {
        uint8_t k[2] = {(uint8_t)((i + 1) >> 5), (uint8_t)(((i + 1) & 31) << 3)};
        uint8_t e[2] = {(uint8_t)(otp[i] >> 5), (uint8_t)((otp[i] & 31) << 3)};
        keys[i] = bitstring_new_in(map_heap_alloc(&proc), k, 0, 13);
        expected[i] = bitstring_new_in(map_heap_alloc(&proc), e, 0, 13);
    }
    expect_list_order(map_of(keys, 40), expected, 40);
}

Test(map, unaligned_binary_keys_in_otps_order)
{
    /* <<_:3, S:10/binary, _/bits>> = <<K, K+1, ..., K+11>> for K = 1..40; maps:values(#{S => K}) */
    static const int otp[] = {12, 15, 20, 18, 24, 9, 13, 3, 31, 27, 28, 10, 30, 4, 7, 33, 22, 1, 8, 35,
                              39, 32, 38, 34, 29, 14, 36, 21, 19, 5, 23, 6, 2, 26, 37, 17, 11, 40, 25, 16};
    Term keys[40], values[40];
    for (int i = 0; i < 40; i++) {
        uint8_t src[12];
        for (int j = 0; j < 12; j++) src[j] = (uint8_t)(i + 1 + j);
        keys[i] = binary_sub(&proc, bin(src, 12), 3, 80);
        values[i] = S(i + 1);
    }
    Seen *s = pairs_of(map_from_pairs(&proc, keys, values, 40), true);
    for (int i = 0; i < 40; i++) cr_assert_eq(s->values[i], S(otp[i]));
}

/* Pairs of integers whose first 32 hash bits agree: the trie goes past depth 8. */
Test(map, keys_colliding_on_32_bits_in_otps_order)
{
    static const int otp[] = {12, 625435, 409845, 23, 29, 30, 26, 11, 9, 25, 28, 6, 13,
                              20, 15, 14, 2, 7, 1, 8, 3, 17, 22, 21, 4, 24, 10, 388950,
                              892162, 27, 707725, 392768, 19, 5, 18, 710891, 407586, 16};
    static const int extra[] = {388950, 892162, 409845, 625435, 392768, 707725, 407586, 710891};
    Term keys[38];
    for (int i = 0; i < 8; i++) keys[i] = S(extra[i]);
    for (int i = 0; i < 30; i++) keys[8 + i] = S(i + 1);
    cr_assert_eq(map_hash(S(388950), 0), map_hash(S(892162), 0));
    cr_assert_neq(map_hash(S(388950), 1), map_hash(S(892162), 1));
    Term m = map_of(keys, 38);
    expect_ints_order(m, otp, 38);
    for (int i = 0; i < 38; i++) cr_assert_eq(map_get(m, keys[i]), S(0));
}

/* ---- representation ---- */

Test(map, flat_up_to_32_keys_hashed_beyond)
{
    Term m = map_of_ints(1, 32);
    cr_assert(map_is_flat(m));
    Term m2 = map_update(&proc, m, (const Term[]){S(33), S(1)}, 1, false, NULL);
    cr_assert(!map_is_flat(m2));
    cr_assert_eq(map_size(m2), 33);
    cr_assert_eq(map_get(m2, S(33)), S(1));
    Term value;
    Term m3 = map_remove(&proc, m2, S(5), &value);
    cr_assert(map_is_flat(m3));
    cr_assert_eq(value, S(0));
    cr_assert_eq(map_size(m3), 32);
    cr_assert_eq(map_get(m3, S(5)), THE_NON_VALUE);
    /* flat maps keep their keys sorted */
    const Term *keys = flat_keys(m3);
    for (size_t i = 1; i < 32; i++) cr_assert_lt(term_compare_exact(keys[i - 1], keys[i]), 0);
}

Test(map, duplicates_can_leave_a_flat_map)
{
    Term keys[40], values[40];
    for (int i = 0; i < 40; i++) {
        keys[i] = S(i % 20);
        values[i] = S(i);
    }
    Term m = map_from_pairs(&proc, keys, values, 40);
    cr_assert(map_is_flat(m));
    cr_assert_eq(map_size(m), 20);
    cr_assert_eq(map_get(m, S(3)), S(23), "the later pair wins");
    Term big[70], bigv[70];
    for (int i = 0; i < 70; i++) {
        big[i] = S(i % 35);
        bigv[i] = S(i);
    }
    Term h = map_from_pairs(&proc, big, bigv, 70);
    cr_assert(!map_is_flat(h));
    cr_assert_eq(map_size(h), 35);
    cr_assert_eq(map_get(h, S(0)), S(35));
}

Test(map, keys_are_compared_exactly)
{
    Term m = map_of_ints(1, 40);
    cr_assert_eq(map_get(m, F(1.0)), THE_NON_VALUE);
    Term m2 = map_update(&proc, m, (const Term[]){F(1.0), A("float")}, 1, false, NULL);
    cr_assert_eq(map_size(m2), 41);
    cr_assert_eq(map_get(m2, S(1)), S(0));
    cr_assert_eq(map_get(m2, F(1.0)), A("float"));
    Term m3 = map_update(&proc, m2, (const Term[]){T(2, A("a"), str("xyz")), S(7)}, 1, false, NULL);
    cr_assert_eq(map_get(m3, T(2, A("a"), str("xyz"))), S(7));
}

Test(map, exact_update_reports_the_missing_key)
{
    Term m = map_of_ints(1, 40), missing = NIL;
    Term r = map_update(&proc, m, (const Term[]){S(3), S(1), S(99), S(2)}, 2, true, &missing);
    cr_assert_eq(r, THE_NON_VALUE);
    cr_assert_eq(missing, S(99));
    r = map_update(&proc, m, (const Term[]){S(3), S(1), S(4), S(2)}, 2, true, &missing);
    cr_assert_eq(map_get(r, S(3)), S(1));
    cr_assert_eq(map_get(r, S(4)), S(2));
    cr_assert_eq(map_get(m, S(3)), S(0), "the original is unchanged");
    Term f = map_of_ints(1, 5);
    cr_assert_eq(map_update(&proc, f, (const Term[]){S(9), S(1)}, 1, true, &missing), THE_NON_VALUE);
    cr_assert_eq(missing, S(9));
}

Test(map, putting_the_same_value_returns_the_map)
{
    Term m = map_of_ints(1, 40);
    cr_assert_eq(hamt_put(&proc, m, S(7), S(0), false), m);
}

/* Two tries are the same shape node for node. */
static void expect_same_shape(const Term *a, const Term *b)
{
    cr_assert_eq(a[1], b[1], "count or bitmap differs");
    for (size_t i = 0; i < hamt_children(a); i++) {
        Term ca = a[2 + i], cb = b[2 + i];
        cr_assert_eq(is_list(ca), is_list(cb));
        if (is_list(ca)) cr_assert_eq(CAR(list_val(ca)), CAR(list_val(cb)));
        else expect_same_shape(boxed_val(ca), boxed_val(cb));
    }
}

Test(map, the_trie_is_canonical)
{
    /* 300 keys inserted one by one, 200 removed, against the 100 left built at once. */
    Term m = empty_map();
    for (int i = 1; i <= 300; i++) m = map_update(&proc, m, (const Term[]){S(i * 7), S(0)}, 1, false, NULL);
    for (int i = 1; i <= 300; i++)
        if (i % 3 != 0) m = map_remove(&proc, m, S(i * 7), NULL);
    Term keys[100];
    for (int i = 0; i < 100; i++) keys[i] = S((3 * i + 3) * 7);
    Term fresh = map_of(keys, 100);
    cr_assert_eq(map_size(m), 100);
    expect_same_shape(boxed_val(m), boxed_val(fresh));
    cr_assert(term_eq_exact(m, fresh));
}

Test(map, removing_an_absent_key_returns_the_map)
{
    Term m = map_of_ints(1, 40), value = NIL;
    cr_assert_eq(map_remove(&proc, m, S(41), &value), m);
    cr_assert_eq(value, THE_NON_VALUE);
    Term f = map_of_ints(1, 3);
    cr_assert_eq(map_remove(&proc, f, A("x"), &value), f);
}

/* ---- walking ---- */

Test(map, list_order_is_iteration_order_reversed)
{
    Term m = map_of_ints(1, 500);
    Seen fwd = *pairs_of(m, false);
    Seen *rev = pairs_of(m, true);
    cr_assert_eq(fwd.n, 500);
    for (size_t i = 0; i < 500; i++) {
        cr_assert_eq(fwd.keys[i], rev->keys[499 - i]);
        Term k, v;
        map_pair_at(m, i, &k, &v);
        cr_assert_eq(k, fwd.keys[i]);
    }
}

Test(map, sorted_pairs)
{
    Term m = map_of_ints(1, 100);
    Term keys[100], values[100];
    map_sorted_pairs(m, keys, values);
    for (int i = 0; i < 100; i++) cr_assert_eq(keys[i], S(i + 1));
}

Test(map, comparing_hash_maps)
{
    Term a = map_of_ints(1, 40), b = map_of_ints(1, 40);
    cr_assert_eq(term_compare(a, b), 0);
    Term b2 = map_update(&proc, b, (const Term[]){S(40), S(1)}, 1, true, NULL);
    cr_assert_lt(term_compare(a, b2), 0);
    Term a2 = map_update(&proc, a, (const Term[]){S(2), S(5)}, 1, true, NULL);
    cr_assert_gt(term_compare(a2, b2), 0, "the smallest key with differing values decides");
    /* same size, different keys: keys in order decide */
    Term c = map_remove(&proc, map_update(&proc, a, (const Term[]){S(41), S(0)}, 1, false, NULL), S(1), NULL);
    cr_assert_lt(term_compare(a, c), 0);
    /* values compare with == unless exact */
    Term f = map_update(&proc, a, (const Term[]){S(3), F(0.0)}, 1, true, NULL);
    cr_assert_eq(term_compare(a, f), 0);
    cr_assert(!term_eq_exact(a, f));
    cr_assert_lt(term_compare(map_of_ints(1, 33), a), 0, "size first");
}

Test(map, maps_as_keys)
{
    Term inner = map_of_ints(1, 40), keys[40];
    for (int i = 0; i < 40; i++) keys[i] = map_update(&proc, inner, (const Term[]){S(i), A("v")}, 1, false, NULL);
    Term m = map_of(keys, 40);
    cr_assert_eq(map_size(m), 40);
    for (int i = 0; i < 40; i++) cr_assert_eq(map_get(m, keys[i]), S(0));
    cr_assert_eq(map_get(m, inner), THE_NON_VALUE);
}

/* ---- BIFs ---- */

static Term list_of(const Term *items, size_t n)
{
    Term l = NIL;
    while (n-- > 0) l = cons(items[n], l);
    return l;
}

static void expect_error(Term r, Term reason)
{
    cr_assert_eq(r, THE_NON_VALUE);
    cr_assert_eq(proc.freason, EXC_ERROR);
    cr_assert(term_eq_exact(proc.fvalue, reason));
}

Test(map, bif_errors)
{
    Term m = map_of_ints(1, 40);
    expect_error(CALL(bif_maps_get_2, S(99), m), T(2, A("badkey"), S(99)));
    expect_error(CALL(bif_maps_get_2, S(1), A("x")), T(2, A("badmap"), A("x")));
    expect_error(CALL(bif_map_size_1, NIL), T(2, A("badmap"), NIL));
    expect_error(CALL(bif_maps_update_3, S(0), S(0), m), T(2, A("badkey"), S(0)));
    expect_error(CALL(bif_maps_merge_2, m, S(1)), T(2, A("badmap"), S(1)));
    expect_error(CALL(bif_maps_from_list_1, list_of((Term[]){T(2, S(1), S(2)), S(3)}, 2)), A("badarg"));
    expect_error(CALL(bif_maps_from_list_1, cons(T(2, S(1), S(2)), S(3))), A("badarg"));
    expect_error(CALL(bif_maps_from_keys_2, cons(S(1), S(2)), S(0)), A("badarg"));
    cr_assert_eq(CALL(bif_maps_find_2, S(99), m), A("error"));
    cr_assert_eq(CALL(bif_maps_take_2, S(99), m), A("error"));
}

Test(map, bif_results)
{
    Term m = map_of_ints(1, 40);
    cr_assert_eq(CALL(bif_map_size_1, m), S(40));
    cr_assert_eq(CALL(bif_maps_is_key_2, S(40), m), A("true"));
    cr_assert(term_eq_exact(CALL(bif_maps_find_2, S(4), m), T(2, A("ok"), S(0))));
    Term taken = CALL(bif_maps_take_2, S(4), m);
    cr_assert_eq(tuple_elems(taken)[0], S(0));
    cr_assert_eq(map_size(tuple_elems(taken)[1]), 39);
    /* keys/1 in list order */
    Term keys = CALL(bif_maps_keys_1, m);
    Seen *s = pairs_of(m, true);
    for (size_t i = 0; i < 40; i++, keys = list_tail(keys)) cr_assert_eq(list_head(keys), s->keys[i]);
    cr_assert_eq(keys, NIL);
    Term merged = CALL(bif_maps_merge_2, map_of_ints(30, 60), m);
    cr_assert_eq(map_size(merged), 60);
    cr_assert_eq(CALL(bif_maps_keys_1, empty_map()), NIL);
    Term fk = CALL(bif_maps_from_keys_2, list_of((Term[]){A("a"), A("b"), A("a")}, 3), S(1));
    cr_assert(map_is_flat(fk));
    cr_assert_eq(map_size(fk), 2);
}

Test(map, map_next_as_otp)
{
    Term m = map_of_ints(1, 100);
    /* erts_internal:map_next(0, M, []): 32 pairs, then path 37 (as in OTP). */
    Term r = CALL(bif_erts_internal_map_next_3, S(0), m, NIL);
    cr_assert_eq(list_head(r), S(37));
    size_t n = 0;
    for (Term l = list_tail(list_tail(r)); is_list(l); l = list_tail(l)) n++;
    cr_assert_eq(n, 32);
    /* the iterator form starts with OTP's first pair */
    Term it = CALL(bif_erts_internal_map_next_3, S(0), m, A("iterator"));
    cr_assert_eq(tuple_elems(it)[0], S(16));
    cr_assert_eq(tuple_elems(tuple_elems(it)[2])[0], S(79));
    expect_error(CALL(bif_erts_internal_map_next_3, S(0xFFFF), m, NIL), A("badarg"));
    expect_error(CALL(bif_erts_internal_map_next_3, S(0), m, A("x")), A("badarg"));
    expect_error(CALL(bif_erts_internal_map_next_3, S(3), map_of_ints(1, 2), NIL), A("badarg"));
    /* resuming from every path walks the whole map once */
    Term path = S(0), seen = NIL;
    size_t total = 0;
    for (;;) {
        r = CALL(bif_erts_internal_map_next_3, path, m, seen);
        if (!is_integer(list_head(r))) {
            seen = r;
            break;
        }
        path = list_head(r);
        seen = list_tail(list_tail(r));
    }
    for (; is_list(seen); seen = list_tail(seen)) total++;
    cr_assert_eq(total, 100);
}
