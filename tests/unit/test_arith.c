/*
 * test_arith.c - arithmetic operators, number BIFs, number text and time
 * BIFs (arith*.c, bif_num.c).
 *
 * Expected values were computed with OTP 25's erl and pasted as text;
 * errors must carry OTP's reason (badarith, badarg, system_limit).
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>

#include "runtime/term/arith.h"
#include "runtime/term/arith_fmt.h"
#include "runtime/term/atom.h"
#include "runtime/term/big.h"
#include "runtime/bif/bif.h"
#include "runtime/proc/heap.h"

static Process *P;

static void setup(void)
{
    atom_init();
    P = calloc(1, sizeof(Process));
    cr_assert_not_null(P);
    cr_assert_eq(heap_init(P, HEAP_DEFAULT_WORDS), 0);
    P->fvalue = THE_NON_VALUE;
    P->fargs = THE_NON_VALUE;
}

static void teardown(void)
{
    heap_destroy(P);
    free(P);
}

TestSuite(arith, .init = setup, .fini = teardown);

/* ---- building and checking terms ---- */

static Term num(const char *text)
{
    mpz_t z;
    mpz_init_set_str(z, text, 10);
    Term t = int_from_mpz(P, z);
    mpz_clear(z);
    return t;
}

static Term flt(double d) { return make_float(heap_alloc(P, FLOAT_WORDS), d); }

static Term atom(const char *name) { return atom_from_cstr(name); }

static Term tuple2(Term a, Term b)
{
    Term *hp = heap_alloc(P, 3);
    hp[0] = make_tuple_header(2);
    hp[1] = a;
    hp[2] = b;
    return make_boxed(hp);
}

static Term cons(Term head, Term tail)
{
    Term *hp = heap_alloc(P, 2);
    hp[0] = head;
    hp[1] = tail;
    return make_list(hp);
}

/* The character list of s. */
static Term str(const char *s)
{
    size_t n = strlen(s);
    Term list = NIL;
    while (n-- > 0) list = cons(make_small((unsigned char)s[n]), list);
    return list;
}

static void expect_int(Term t, const char *want)
{
    cr_assert(is_value(t), "unexpected error (expected %s)", want);
    cr_assert(is_integer(t), "not an integer (expected %s)", want);
    mpz_t z;
    mpz_init(z);
    int_to_mpz(t, z);
    char *s = mpz_get_str(NULL, 10, z);
    cr_expect_str_eq(s, want);
    /* Normalised: small exactly when the value fits. */
    cr_expect_eq(is_small(t), mpz_cmp_si(z, MIN_SMALL) >= 0 && mpz_cmp_si(z, MAX_SMALL) <= 0,
                 "%s not normalised", want);
    free(s);
    mpz_clear(z);
}

/* Compares bit patterns, so -0.0 and 0.0 differ. */
static void expect_float(Term t, double want)
{
    cr_assert(is_value(t) && is_float(t), "expected the float %.17g", want);
    double got = float_val(t);
    cr_expect_eq(memcmp(&got, &want, sizeof got), 0, "got %.17g, want %.17g", got, want);
}

static void expect_error(Term t, Term reason)
{
    cr_assert_eq(t, THE_NON_VALUE, "expected an exception");
    cr_expect_eq(P->freason, EXC_ERROR);
    cr_expect_eq(P->fvalue, reason, "wrong reason %s", atom_text(P->fvalue));
    P->freason = EXC_NONE;
    P->fvalue = THE_NON_VALUE;
}

/* A character list as a C string (static buffer). */
static const char *text_of(Term list)
{
    static char buf[512];
    size_t n = 0;
    for (; is_list(list) && n + 1 < sizeof buf; list = list_tail(list)) {
        buf[n++] = (char)small_val(list_head(list));
    }
    cr_assert(is_nil(list), "not a proper character list");
    buf[n] = '\0';
    return buf;
}

/* ---- + - * at the small boundaries ---- */

Test(arith, small_boundaries)
{
    Term max = make_small(MAX_SMALL), min = make_small(MIN_SMALL);
    expect_int(arith_add(P, max, make_small(1)), "576460752303423488");
    expect_int(arith_sub(P, min, make_small(1)), "-576460752303423489");
    expect_int(arith_add(P, max, max), "1152921504606846974");
    expect_int(arith_sub(P, min, min), "0");
    expect_int(arith_sub(P, min, max), "-1152921504606846975");
    expect_int(arith_mul(P, max, max), "332306998946228967073030260463239169");
    expect_int(arith_mul(P, min, make_small(-1)), "576460752303423488");
    expect_int(arith_mul(P, min, min), "332306998946228968225951765070086144");
    expect_int(arith_neg(P, min), "576460752303423488");
    expect_int(arith_neg(P, max), "-576460752303423487");
    expect_int(arith_abs(P, min), "576460752303423488");
    expect_int(arith_div(P, min, make_small(-1)), "576460752303423488");
    expect_int(arith_rem(P, min, make_small(-1)), "0");
    expect_int(arith_bnot(P, min), "576460752303423487");
}

Test(arith, results_normalise_to_small)
{
    Term big = num("576460752303423488");
    cr_assert(is_big(big));
    expect_int(arith_sub(P, big, make_small(1)), "576460752303423487");
    expect_int(arith_add(P, num("-576460752303423489"), make_small(1)), "-576460752303423488");
    expect_int(arith_mul(P, num("100000000000000000000000"), make_small(0)), "0");
    expect_int(arith_div(P, num("18446744073709551616"), make_small(1024)), "18014398509481984");
    expect_int(arith_neg(P, big), "-576460752303423488");
    expect_int(arith_band(P, num("36893488147419103231"), make_small(255)), "255");
    expect_int(arith_bsr(P, num("18446744073709551616"), make_small(10)), "18014398509481984");
}

Test(arith, bignum_arithmetic)
{
    expect_int(arith_sub(P, arith_mul(P, num("18446744073709551616"), num("18446744073709551616")),
                         make_small(1)),
               "340282366920938463463374607431768211455");
    expect_int(arith_mul(P, num("123456789012345678901234567890"), num("-98765432109876543210")),
               "-12193263113702179522496570642237463801111263526900");
    Term big = num("1606938044258990275541962092341162602522202993782792835301376"); /* 2^200 */
    Term d = num("-1180591620717411303427"); /* -(2^70 + 3) */
    expect_int(arith_div(P, big, d), "-1361129467683753853850039665213252304896");
    expect_int(arith_rem(P, big, d), "10376293541461622784");
}

Test(arith, div_rem_signs)
{
    expect_int(arith_div(P, make_small(-7), make_small(2)), "-3");
    expect_int(arith_rem(P, make_small(-7), make_small(2)), "-1");
    expect_int(arith_div(P, make_small(7), make_small(-2)), "-3");
    expect_int(arith_rem(P, make_small(7), make_small(-2)), "1");
    Term n = num("-1267650600228229401496703205383"); /* -(2^100) - 7 */
    expect_int(arith_div(P, n, make_small(3)), "-422550200076076467165567735127");
    expect_int(arith_rem(P, n, make_small(3)), "-2");
}

Test(arith, division_errors)
{
    expect_error(arith_div(P, make_small(1), make_small(0)), AM_badarith);
    expect_error(arith_rem(P, num("100000000000000000000"), make_small(0)), AM_badarith);
    expect_error(arith_div(P, flt(1.0), make_small(1)), AM_badarith);
    expect_error(arith_rem(P, make_small(1), flt(1.0)), AM_badarith);
    expect_error(arith_fdiv(P, make_small(1), make_small(0)), AM_badarith);
    expect_error(arith_fdiv(P, flt(1.0), flt(0.0)), AM_badarith);
    expect_error(arith_fdiv(P, make_small(1), flt(-0.0)), AM_badarith);
    expect_error(arith_fdiv(P, flt(0.0), make_small(0)), AM_badarith);
}

/* ---- floats ---- */

Test(arith, float_arithmetic)
{
    expect_float(arith_fdiv(P, make_small(7), make_small(2)), 3.5);
    expect_float(arith_mul(P, make_small(3), flt(1.5)), 4.5);
    expect_float(arith_fdiv(P, num("1180591620717411303424"), make_small(3)), 3.935305402391371e20);
    expect_float(arith_add(P, flt(-0.0), make_small(0)), 0.0);
    expect_float(arith_mul(P, flt(-0.0), make_small(1)), -0.0);
    expect_float(arith_neg(P, flt(0.0)), -0.0);
    expect_float(arith_neg(P, flt(-0.0)), 0.0);
    expect_float(arith_sub(P, flt(0.5), num("18446744073709551616")), -18446744073709551616.0);
}

Test(arith, float_overflow_is_badarith)
{
    expect_error(arith_mul(P, flt(1.0e308), make_small(10)), AM_badarith);
    expect_error(arith_add(P, flt(1.0e308), flt(1.0e308)), AM_badarith);
    Term huge = arith_bsl(P, make_small(1), make_small(1024));
    expect_error(arith_add(P, huge, flt(1.0)), AM_badarith);
    expect_error(arith_mul(P, huge, flt(0.0)), AM_badarith);
    expect_error(arith_fdiv(P, huge, huge), AM_badarith);
}

Test(arith, int_to_float_rounds_to_nearest)
{
    double d;
    cr_assert(arith_to_double(num("9007199254740995"), &d)); /* 2^53 + 3 */
    cr_expect_eq(d, 9007199254740996.0);
    cr_assert(arith_to_double(num("18446744073709553665"), &d)); /* 2^64 + 2^11 + 1 */
    cr_expect_eq(d, 1.8446744073709556e19);
    cr_assert(arith_to_double(num("18446744073709553664"), &d)); /* tie: to even */
    cr_expect_eq(d, 1.8446744073709552e19);
    cr_assert(arith_to_double(num("18446744073709557760"), &d)); /* 2^64 + 3*2^11: to even, up */
    cr_expect_eq(d, 1.844674407370956e19);
    cr_assert(arith_to_double(num("-1208925819614629174706177"), &d));
    cr_expect_eq(d, -1.2089258196146292e24);
    cr_assert(arith_to_double(num("18446744073709551615"), &d));
    cr_expect_eq(d, 18446744073709551616.0);

    /* (2^53 - 1) * 2^971 is the largest double; half an ulp more rounds to 2^1024. */
    Term top = arith_bsl(P, num("9007199254740991"), make_small(971));
    Term half = arith_bsl(P, make_small(1), make_small(970));
    cr_assert(arith_to_double(top, &d));
    cr_expect_eq(d, 1.7976931348623157e308);
    cr_assert(arith_to_double(arith_sub(P, arith_add(P, top, half), make_small(1)), &d));
    cr_expect_eq(d, 1.7976931348623157e308);
    cr_expect_not(arith_to_double(arith_add(P, top, half), &d));
    cr_expect_not(arith_to_double(atom("a"), &d));
}

Test(arith, float_bif)
{
    expect_float(arith_float(P, num("-1208925819614629174706177")), -1.2089258196146292e24);
    expect_float(arith_float(P, make_small(-3)), -3.0);
    Term f = flt(2.5);
    cr_expect_eq(arith_float(P, f), f);
    expect_error(arith_float(P, arith_bsl(P, make_small(1), make_small(1024))), AM_badarg);
    expect_float(arith_float(P, arith_bsl(P, make_small(1), make_small(1023))),
                 8.98846567431158e307);
    expect_error(arith_float(P, atom("a")), AM_badarg);
}

Test(arith, rounding_bifs)
{
    expect_int(arith_round(P, flt(2.5)), "3");
    expect_int(arith_round(P, flt(-2.5)), "-3");
    expect_int(arith_round(P, flt(0.49999999999999994)), "0");
    expect_int(arith_round(P, flt(1.0e20)), "100000000000000000000");
    expect_int(arith_round(P, flt(-1.0e30)), "-1000000000000000019884624838656");
    expect_int(arith_trunc(P, flt(-1.0e20)), "-100000000000000000000");
    expect_int(arith_trunc(P, flt(-0.7)), "0");
    expect_int(arith_floor(P, flt(-0.5)), "-1");
    expect_int(arith_ceil(P, flt(-0.5)), "0");
    expect_int(arith_floor(P, flt(-1.0e30)), "-1000000000000000019884624838656");
    expect_int(arith_ceil(P, flt(1.0e30)), "1000000000000000019884624838656");
    expect_int(arith_floor(P, flt(-576460752303423488.0)), "-576460752303423488");
    expect_int(arith_ceil(P, flt(576460752303423488.0)), "576460752303423488");
    Term big = num("1180591620717411303424");
    cr_expect_eq(arith_floor(P, big), big);
    cr_expect_eq(arith_round(P, make_small(5)), make_small(5));
    expect_error(arith_round(P, atom("a")), AM_badarg);
    expect_error(arith_trunc(P, NIL), AM_badarg);
    expect_error(arith_floor(P, atom("a")), AM_badarg);
    expect_error(arith_ceil(P, atom("a")), AM_badarg);
}

Test(arith, abs_bif)
{
    expect_int(arith_abs(P, make_small(-3)), "3");
    expect_int(arith_abs(P, num("-98765432109876543210987654321098765")),
               "98765432109876543210987654321098765");
    expect_float(arith_abs(P, flt(-1.5)), 1.5);
    expect_float(arith_abs(P, flt(-0.0)), -0.0); /* as OTP 25 */
    expect_error(arith_abs(P, atom("a")), AM_badarg);
}

Test(arith, type_errors)
{
    Term a = atom("a");
    expect_error(arith_add(P, a, make_small(1)), AM_badarith);
    expect_error(arith_sub(P, make_small(1), NIL), AM_badarith);
    expect_error(arith_mul(P, flt(1.0), a), AM_badarith);
    expect_error(arith_neg(P, a), AM_badarith);
    expect_error(arith_plus(P, a), AM_badarith);
    expect_error(arith_band(P, make_small(1), flt(1.0)), AM_badarith);
    expect_error(arith_bsl(P, make_small(1), flt(1.0)), AM_badarith);
    expect_error(arith_bsl(P, flt(1.0), num("1267650600228229401496703205376")), AM_badarith);
    expect_error(arith_bnot(P, flt(1.0)), AM_badarith);
    Term f = flt(-0.0);
    cr_expect_eq(arith_plus(P, f), f);
}

/* ---- bitwise ---- */

Test(arith, bitwise_on_negative_bignums)
{
    Term m = num("-1267650600228229401496703205376"); /* -(2^100) */
    Term k = num("-18446744073709551621");            /* -(2^64 + 5) */
    expect_int(
        arith_band(P, num("-1267650600228229401496703205377"), num("1180591620717411303423")),
        "1180591620717411303423");
    expect_int(arith_band(P, m, k), "-1267650600228229401496703205376");
    expect_int(arith_bor(P, m, k), "-18446744073709551621");
    expect_int(arith_bxor(P, m, k), "1267650600209782657422993653755");
    expect_int(arith_bor(P, m, make_small(12345)), "-1267650600228229401496703193031");
    expect_int(
        arith_bxor(P, num("-1267650600228229401496703205371"), num("1237940039285380274899124227")),
        "-1266412660188944021221804081146");
    expect_int(arith_bnot(P, m), "1267650600228229401496703205375");
    expect_int(arith_bnot(P, num("1267650600228229401496703205376")),
               "-1267650600228229401496703205377");
    expect_int(arith_bxor(P, make_small(-1), make_small(MAX_SMALL)), "-576460752303423488");
}

/* Beyond 128 bits the operations go through GMP instead of __int128. */
Test(arith, bitwise_on_wide_bignums)
{
    Term m = num("-1606938044258990275541962092341162602522202993782792835301376"); /* -(2^200) */
    expect_int(arith_band(P, arith_sub(P, m, make_small(1)),
                          num("1427247692705959881058285969449495136382746623")),
               "1427247692705959881058285969449495136382746623");
    expect_int(arith_bxor(P, m, num("1569275433846670190958947355801916604025588861116008628231")),
               "-1605368768825143605351003144985360685918177404921676826673145");
    expect_int(arith_bor(P, arith_add(P, m, make_small(12345)),
                         num("-1361129467683753853853498429727072845824")),
               "-1361129467683753853853498429727072833479");
}

/* 2^127 - 1 is the largest magnitude the 128-bit fast paths take. */
Test(arith, around_128_bits)
{
    Term max = num("170141183460469231731687303715884105727");
    Term min = num("-170141183460469231731687303715884105727");
    expect_int(arith_add(P, max, make_small(1)), "170141183460469231731687303715884105728");
    expect_int(arith_sub(P, min, make_small(2)), "-170141183460469231731687303715884105729");
    expect_int(arith_mul(P, num("85070591730234615865843651857942052864"), make_small(2)),
               "170141183460469231731687303715884105728");
    expect_int(arith_mul(P, num("-85070591730234615865843651857942052864"), make_small(2)),
               "-170141183460469231731687303715884105728");
    expect_int(arith_bxor(P, max, make_small(-1)), "-170141183460469231731687303715884105728");
    expect_int(arith_div(P, max, num("-18446744073709551617")), "-9223372036854775807");
    expect_int(arith_rem(P, max, num("-18446744073709551617")), "9223372036854775808");
    Term two127 = num("170141183460469231731687303715884105728");
    expect_int(arith_div(P, two127, make_small(3)), "56713727820156410577229101238628035242");
    expect_int(arith_rem(P, arith_neg(P, two127), make_small(7)), "-2");
}

Test(arith, shifts)
{
    expect_int(arith_bsr(P, make_small(-7), make_small(1)), "-4");
    expect_int(arith_bsl(P, make_small(-7), make_small(-1)), "-4");
    expect_int(arith_bsl(P, make_small(1), make_small(64)), "18446744073709551616");
    expect_int(arith_bsl(P, make_small(-7), make_small(100)), "-8873554201597605810476922437632");
    expect_int(arith_bsl(P, make_small(MAX_SMALL), make_small(63)),
               "5316911983139663482391856204266602496");
    expect_int(arith_bsr(P, make_small(1), make_small(64)), "0");
    expect_int(arith_bsr(P, make_small(-1), make_small(100)), "-1");
    expect_int(arith_bsr(P, num("-1267650600228229401496703205377"), make_small(37)),
               "-9223372036854775809");
    expect_int(arith_bsr(P, num("-1180591620717411303424"), make_small(3)),
               "-147573952589676412928");
    expect_int(arith_bsl(P, num("-1180591620717411303424"), make_small(-3)),
               "-147573952589676412928");
    expect_int(arith_bsr(P, num("-1180591620717411303424"), make_small(71)), "-1");
    expect_int(arith_bsr(P, num("1180591620717411303424"), make_small(71)), "0");
}

Test(arith, shifts_by_bignums)
{
    Term huge = num("1267650600228229401496703205376"); /* 2^100 */
    Term neg_huge = arith_neg(P, huge);
    expect_int(arith_bsl(P, make_small(0), huge), "0");
    expect_int(arith_bsr(P, make_small(1), huge), "0");
    expect_int(arith_bsr(P, make_small(-5), huge), "-1");
    expect_int(arith_bsl(P, make_small(1), neg_huge), "0");
    expect_int(arith_bsl(P, make_small(-1), neg_huge), "-1");
    expect_error(arith_bsl(P, make_small(1), huge), AM_system_limit);
    expect_error(arith_bsr(P, make_small(1), neg_huge), AM_system_limit);
    expect_error(arith_bsl(P, make_small(1), num("1099511627776")),
                 AM_system_limit); /* 1 bsl (1 bsl 40) */
    expect_int(arith_bsl(P, make_small(0), num("1099511627776")), "0");
}

/* ---- the bignum size limit ---- */

Test(arith, size_limit)
{
    Term top = arith_bsl(P, make_small(1), make_small(33554367));
    cr_assert(is_big(top));
    cr_expect_eq(big_limbs(top), ARITH_MAX_BIG_LIMBS);
    expect_error(arith_bsl(P, make_small(1), make_small(33554368)), AM_system_limit);
    expect_error(arith_mul(P, top, make_small(2)), AM_system_limit);
    expect_error(arith_add(P, top, top), AM_system_limit);
    expect_error(arith_bsl(P, top, make_small(1)), AM_system_limit);
    Term max = arith_add(P, arith_sub(P, top, make_small(1)), top); /* 2^33554368 - 1 */
    cr_assert(is_big(max));
    expect_error(arith_add(P, max, make_small(1)), AM_system_limit);
    expect_error(arith_bnot(P, max), AM_system_limit);
    expect_error(arith_bxor(P, max, make_small(-1)), AM_badarith); /* as OTP 25 */
    expect_int(arith_bsr(P, max, make_small(33554360)), "255");
}

/* ---- integer text ---- */

static Term call1(Term (*bif)(Process *, const Term *), Term a) { return bif(P, &a); }

static Term call2(Term (*bif)(Process *, const Term *), Term a, Term b)
{
    Term args[2] = {a, b};
    return bif(P, args);
}

Test(arith, integer_to_list)
{
    cr_expect_str_eq(text_of(call2(bif_integer_to_list_2, make_small(-255), make_small(16))),
                     "-FF");
    cr_expect_str_eq(text_of(call2(bif_integer_to_list_2, make_small(255), make_small(36))), "73");
    cr_expect_str_eq(text_of(call2(bif_integer_to_list_2, make_small(0), make_small(2))), "0");
    Term n = num("-1180591620717411315769"); /* -(2^70) - 12345 */
    cr_expect_str_eq(text_of(call2(bif_integer_to_list_2, n, make_small(36))), "-6X5KXTVUWIM43D");
    cr_expect_str_eq(text_of(call1(bif_integer_to_list_1, make_small(MIN_SMALL))),
                     "-576460752303423488");
    expect_error(call1(bif_integer_to_list_1, flt(1.0)), AM_badarg);
    expect_error(call2(bif_integer_to_list_2, make_small(1), make_small(37)), AM_badarg);
    expect_error(call2(bif_integer_to_list_2, make_small(1), make_small(1)), AM_badarg);
}

Test(arith, integer_text_round_trips)
{
    static const char *values[] = {
        "0", "-1", "576460752303423487", "-576460752303423488", "576460752303423488",
        "-98765432109876543210987654321098765", "340282366920938463463374607431768211455",
    };
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        for (int base = 2; base <= 36; base++) {
            Term n = num(values[i]);
            Term text = call2(bif_integer_to_list_2, n, make_small(base));
            expect_int(call2(bif_list_to_integer_2, text, make_small(base)), values[i]);
        }
    }
}

Test(arith, list_to_integer)
{
    expect_int(call1(bif_list_to_integer_1, str("+12")), "12");
    expect_int(call1(bif_list_to_integer_1, str("-0")), "0");
    expect_int(call1(bif_list_to_integer_1, str("0012")), "12");
    expect_int(call1(bif_list_to_integer_1, str("-576460752303423488")), "-576460752303423488");
    expect_int(call1(bif_list_to_integer_1, str("123456789012345678901234567890")),
               "123456789012345678901234567890");
    expect_int(call2(bif_list_to_integer_2, str("zZ"), make_small(36)), "1295");
    /* OTP reads character codes modulo 256. */
    expect_int(call1(bif_list_to_integer_1, cons(make_small(-207), NIL)), "1");
    expect_int(call1(bif_list_to_integer_1, cons(make_small('1'), cons(make_small(0x10031), NIL))),
               "11");
    static const char *bad[] = {"", "-", "+", " 1", "1 ", "--1", "1_000", "+-1"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        expect_error(call1(bif_list_to_integer_1, str(bad[i])), AM_badarg);
    }
    expect_error(call1(bif_list_to_integer_1, cons(make_small('1'), make_small('2'))), AM_badarg);
    expect_error(call1(bif_list_to_integer_1, atom("a")), AM_badarg);
    expect_error(call2(bif_list_to_integer_2, str("2"), make_small(2)), AM_badarg);
    expect_error(call2(bif_list_to_integer_2, str("1"), make_small(37)), AM_badarg);
    expect_error(call2(bif_list_to_integer_2, str("1"), atom("a")), AM_badarg);
}

/* ---- float text ---- */

static const char *short_text(double d)
{
    static char buf[ARITH_FMT_SHORT_BUF];
    cr_assert_gt(arith_fmt_short(d, buf), 0);
    return buf;
}

Test(arith, float_short_form)
{
    cr_expect_str_eq(short_text(0.1), "0.1");
    cr_expect_str_eq(short_text(-0.0), "-0.0");
    cr_expect_str_eq(short_text(100.0), "100.0");
    cr_expect_str_eq(short_text(1000.0), "1.0e3");
    cr_expect_str_eq(short_text(0.0001), "0.0001");
    cr_expect_str_eq(short_text(1.0e-5), "1.0e-5");
    cr_expect_str_eq(short_text(123456.789), "123456.789");
    cr_expect_str_eq(short_text(123456789.0e3), "1.23456789e11");
    cr_expect_str_eq(short_text(9007199254740992.0), "9.007199254740992e15");
    cr_expect_str_eq(short_text(123456789012345678.0), "1.2345678901234568e17");
    cr_expect_str_eq(short_text(5.0e-324), "5.0e-324");
    cr_expect_str_eq(short_text(1.7976931348623157e308), "1.7976931348623157e308");
    cr_expect_str_eq(short_text(2.0 / 3.0), "0.6666666666666666");
}

static const char *float_text(double d, Term options)
{
    Term r = call2(bif_float_to_list_2, flt(d), options);
    cr_assert(is_value(r), "float_to_list failed");
    return text_of(r);
}

static Term opt(const char *name, intptr_t n) { return tuple2(atom(name), make_small(n)); }

Test(arith, float_to_list)
{
    cr_expect_str_eq(text_of(call1(bif_float_to_list_1, flt(0.1))), "1.00000000000000005551e-01");
    cr_expect_str_eq(text_of(call1(bif_float_to_list_1, flt(-0.0))), "-0.00000000000000000000e+00");
    cr_expect_str_eq(float_text(2.5, cons(opt("decimals", 0), NIL)), "3");
    cr_expect_str_eq(float_text(0.125, cons(opt("decimals", 2), NIL)), "0.13");
    cr_expect_str_eq(float_text(-0.0, cons(opt("decimals", 2), NIL)), "-0.00");
    cr_expect_str_eq(float_text(9.99, cons(opt("decimals", 1), NIL)), "10.0");
    cr_expect_str_eq(float_text(0.1, cons(opt("decimals", 17), NIL)), "0.10000000000000000");
    cr_expect_str_eq(float_text(0.1, cons(opt("decimals", 30), NIL)),
                     "0.100000000000000005551115123126");
    cr_expect_str_eq(float_text(1.0e20, cons(opt("decimals", 0), cons(atom("compact"), NIL))), "1");
    cr_expect_str_eq(float_text(10.0, cons(opt("decimals", 2), cons(atom("compact"), NIL))),
                     "10.0");
    cr_expect_str_eq(float_text(1.5, cons(opt("scientific", 3), NIL)), "1.500e+00");
    cr_expect_str_eq(float_text(1.5, cons(opt("scientific", -5), NIL)), "1.500000e+00");
    cr_expect_str_eq(float_text(1.0e15, cons(atom("short"), NIL)), "1.0e15");
    /* The last format option wins; the digit count is truncated to a C int. */
    cr_expect_str_eq(float_text(1.0, cons(opt("decimals", 2), cons(opt("scientific", 3), NIL))),
                     "1.000e+00");
    cr_expect_str_eq(float_text(1.0, cons(opt("decimals", 2), cons(atom("short"), NIL))), "1.0");
    cr_expect_str_eq(float_text(1.5, cons(opt("decimals", (intptr_t)1 << 32), NIL)), "2");
    cr_expect_str_eq(float_text(1.0, NIL), "1.00000000000000000000e+00");
}

Test(arith, float_to_list_errors)
{
    Term f = flt(1.0);
    expect_error(call1(bif_float_to_list_1, make_small(1)), AM_badarg);
    expect_error(call2(bif_float_to_list_2, f, cons(atom("bad"), NIL)), AM_badarg);
    expect_error(call2(bif_float_to_list_2, f, cons(opt("decimals", 2), atom("bad"))), AM_badarg);
    expect_error(call2(bif_float_to_list_2, f, cons(opt("decimals", -1), NIL)), AM_badarg);
    expect_error(call2(bif_float_to_list_2, f, cons(opt("decimals", 254), NIL)), AM_badarg);
    expect_error(call2(bif_float_to_list_2, flt(-1.0), cons(opt("decimals", 253), NIL)), AM_badarg);
    expect_error(call2(bif_float_to_list_2, f, cons(opt("scientific", 250), NIL)), AM_badarg);
    expect_error(call2(bif_float_to_list_2, flt(1.0e300), cons(opt("decimals", 3), NIL)),
                 AM_badarg);
    expect_error(call2(bif_float_to_list_2, f, cons(opt("foo", 1), NIL)), AM_badarg);
    cr_expect(is_value(call2(bif_float_to_list_2, f, cons(opt("decimals", 253), NIL))));
}

Test(arith, list_to_float)
{
    expect_float(call1(bif_list_to_float_1, str("1.5")), 1.5);
    expect_float(call1(bif_list_to_float_1, str("1,5")), 1.5);
    expect_float(call1(bif_list_to_float_1, str("+1.5")), 1.5);
    expect_float(call1(bif_list_to_float_1, str("-1.5E+3")), -1500.0);
    expect_float(call1(bif_list_to_float_1, str("-0.0")), -0.0);
    expect_float(call1(bif_list_to_float_1, str("1.0e-400")), 0.0);
    expect_float(call1(bif_list_to_float_1, str("3.0e-324")), 5.0e-324);
    expect_float(call1(bif_list_to_float_1, str("1.7976931348623158e308")), 1.7976931348623157e308);
    /* OTP's text ends at a NUL character. */
    expect_float(
        call1(bif_list_to_float_1,
              cons(make_small('1'),
                   cons(make_small('.'), cons(make_small('0'), cons(make_small(0), str("x")))))),
        1.0);
    static const char *bad[] = {
        "1",    "1e5",  "1.e5",    ".5",      "1.5e", "1.0e400", "1.7976931348623159e308",
        " 1.0", "1.0 ", "1.0e+-1", "1.5e5.0", ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        expect_error(call1(bif_list_to_float_1, str(bad[i])), AM_badarg);
    }
    expect_error(call1(bif_list_to_float_1, cons(make_small('1'), cons(make_small('.'),
                                                 cons(make_small(256 + '0'), NIL)))),
                 AM_badarg);
}

/* ---- time ---- */

Test(arith, convert_time_unit)
{
    Term args[3];
    struct {
        intptr_t t;
        const char *from, *to;
        const char *want;
    } cases[] = {
        {-1, "nanosecond", "second", "-1"},
        {1, "nanosecond", "second", "0"},
        {-1999, "millisecond", "second", "-2"},
        {1999, "millisecond", "second", "1"},
        {1, "second", "native", "1000000000"},
        {1, "second", "perf_counter", "1000000000"},
        {1, "seconds", "milli_seconds", "1000"},
        {1, "micro_seconds", "nano_seconds", "1000"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        args[0] = make_small(cases[i].t);
        args[1] = atom(cases[i].from);
        args[2] = atom(cases[i].to);
        expect_int(bif_convert_time_unit_3(P, args), cases[i].want);
    }
    Term t7[3] = {make_small(7), make_small(3), make_small(2)};
    expect_int(bif_convert_time_unit_3(P, t7), "4");
    Term tm7[3] = {make_small(-7), make_small(3), make_small(2)};
    expect_int(bif_convert_time_unit_3(P, tm7), "-5");
    Term big[3] = {num("1208925819614629174706176"), num("1180591620717411303424"), make_small(3)};
    expect_int(bif_convert_time_unit_3(P, big), "3072");
    Term bign[3] = {num("-1208925819614629174706176"), atom("nanosecond"), atom("second")};
    expect_int(bif_convert_time_unit_3(P, bign), "-1208925819614630");
    Term bad_unit[3] = {make_small(1), atom("foo"), atom("second")};
    expect_error(bif_convert_time_unit_3(P, bad_unit), AM_badarg);
    Term zero_unit[3] = {make_small(1), make_small(0), atom("second")};
    expect_error(bif_convert_time_unit_3(P, zero_unit), AM_badarg);
    Term float_time[3] = {flt(1.0), atom("second"), atom("second")};
    expect_error(bif_convert_time_unit_3(P, float_time), AM_badarg);
}

Test(arith, clocks)
{
    Term t0 = bif_monotonic_time_0(P, NULL);
    cr_assert(is_small(t0));
    cr_expect_lt(small_val(t0), 0, "starts near MIN_SMALL, as OTP");
    Term t1 = bif_monotonic_time_0(P, NULL);
    cr_expect_geq(small_val(t1), small_val(t0));

    Term unit = atom("millisecond");
    Term sys_ms = bif_system_time_1(P, &unit);
    Term os_ms = bif_os_system_time_1(P, &unit);
    cr_assert(is_small(sys_ms) && is_small(os_ms));
    cr_expect_lt(labs(small_val(sys_ms) - small_val(os_ms)), 1000);
    cr_expect_gt(small_val(sys_ms), INT64_C(1600000000000), "after 2020");

    /* system time = monotonic time + offset, all in native units */
    Term off = bif_time_offset_0(P, NULL), mono = bif_monotonic_time_0(P, NULL);
    Term sys = bif_system_time_0(P, NULL);
    Term diff = arith_sub(P, sys, arith_add(P, mono, off));
    cr_assert(is_small(diff));
    cr_expect_lt(labs(small_val(diff)), 1000000000);

    Term ts = bif_timestamp_0(P, NULL);
    cr_assert(is_tuple(ts) && tuple_arity(ts) == 3);
    cr_expect_lt(small_val(tuple_elems(ts)[2]), 1000000);
    cr_expect_lt(small_val(tuple_elems(ts)[1]), 1000000);

    Term bad = atom("foo");
    expect_error(bif_monotonic_time_1(P, &bad), AM_badarg);
}
