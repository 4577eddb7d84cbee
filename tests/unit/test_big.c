/*
 * test_big.c - integer terms to and from machine integers and GMP (big.c).
 *
 * Every constructor must normalise (a value in the small range comes back
 * small, anything else is a bignum with no leading zero limb) and the
 * layout must be header + magnitude limbs, least significant first.
 * Expected decimal texts were computed with OTP's erl.
 */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "runtime/term/big.h"
#include "runtime/proc/heap.h"

/* ---- allocators for int_from_mpz_alloc ---- */

typedef struct Arena {
    Term words[64];
    size_t used;
} Arena;

static Term *arena_alloc(void *ctx, size_t n)
{
    Arena *a = ctx;
    if (a->used + n > sizeof a->words / sizeof a->words[0]) return NULL;
    Term *w = a->words + a->used;
    a->used += n;
    return w;
}

static Term *failing_alloc(void *ctx, size_t n) { return NULL; }

/* ---- helpers ---- */

static Process *proc_new(void)
{
    Process *p = calloc(1, sizeof(Process));
    cr_assert_not_null(p);
    cr_assert_eq(heap_init(p, HEAP_DEFAULT_WORDS), 0);
    p->fvalue = THE_NON_VALUE;
    p->fargs = THE_NON_VALUE;
    return p;
}

static void proc_free(Process *p)
{
    heap_destroy(p);
    free(p);
}

/* Decimal text of an integer term. */
static char *int_text(Term t)
{
    mpz_t z;
    mpz_init(z);
    int_to_mpz(t, z);
    char *s = mpz_get_str(NULL, 10, z);
    mpz_clear(z);
    return s;
}

static void expect_text(Term t, const char *want)
{
    char *s = int_text(t);
    cr_expect_str_eq(s, want);
    free(s);
}

static void expect_big(Term t, size_t limbs, bool negative)
{
    cr_assert(is_big(t), "expected a bignum");
    cr_expect_eq(big_limbs(t), limbs);
    cr_expect_eq(big_is_negative(t), negative);
    cr_expect_neq(big_digits(t)[limbs - 1], 0, "leading zero limb");
}

/* ---- machine integers ---- */

Test(big, i64_small_boundaries)
{
    Process *p = proc_new();
    cr_expect_eq(int_from_i64(p, MAX_SMALL), make_small(MAX_SMALL));
    cr_expect_eq(int_from_i64(p, MIN_SMALL), make_small(MIN_SMALL));
    cr_expect_eq(int_from_i64(p, 0), make_small(0));
    cr_expect_eq(int_from_i64(p, -1), make_small(-1));
    proc_free(p);
}

Test(big, i64_beyond_small)
{
    Process *p = proc_new();
    Term above = int_from_i64(p, (int64_t)MAX_SMALL + 1);
    expect_big(above, 1, false);
    cr_expect_eq(big_digits(above)[0], (mp_limb_t)1 << 59);
    expect_text(above, "576460752303423488");

    Term below = int_from_i64(p, (int64_t)MIN_SMALL - 1);
    expect_big(below, 1, true);
    expect_text(below, "-576460752303423489");

    expect_text(int_from_i64(p, INT64_MIN), "-9223372036854775808");
    expect_text(int_from_i64(p, INT64_MAX), "9223372036854775807");
    proc_free(p);
}

Test(big, u64)
{
    Process *p = proc_new();
    cr_expect_eq(int_from_u64(p, (uint64_t)MAX_SMALL), make_small(MAX_SMALL));
    Term t = int_from_u64(p, UINT64_MAX);
    expect_big(t, 1, false);
    expect_text(t, "18446744073709551615");
    expect_text(int_from_u64(p, (uint64_t)MAX_SMALL + 1), "576460752303423488");
    proc_free(p);
}

/* ---- mpz ---- */

static Term from_text(Process *p, const char *text)
{
    mpz_t z;
    mpz_init_set_str(z, text, 10);
    Term t = int_from_mpz(p, z);
    mpz_clear(z);
    return t;
}

Test(big, mpz_round_trips)
{
    static const char *texts[] = {
        "0", "1", "-1", "576460752303423487", "-576460752303423488", "576460752303423488",
        "-576460752303423489", "18446744073709551616", "-340282366920938463463374607431768211455",
        "123456789012345678901234567890", "-98765432109876543210987654321098765",
    };
    Process *p = proc_new();
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        expect_text(from_text(p, texts[i]), texts[i]);
    proc_free(p);
}

Test(big, mpz_normalises)
{
    Process *p = proc_new();
    cr_expect_eq(from_text(p, "576460752303423487"), make_small(MAX_SMALL));
    cr_expect_eq(from_text(p, "-576460752303423488"), make_small(MIN_SMALL));
    expect_big(from_text(p, "576460752303423488"), 1, false);
    expect_big(from_text(p, "-576460752303423489"), 1, true);
    expect_big(from_text(p, "18446744073709551616"), 2, false);
    expect_big(from_text(p, "-18446744073709551615"), 1, true);
    proc_free(p);
}

Test(big, limbs_are_little_endian)
{
    Process *p = proc_new();
    Term t = from_text(p, "340282366920938463463374607431768211457"); /* 2^128 + 1 */
    expect_big(t, 3, false);
    cr_expect_eq(big_digits(t)[0], 1);
    cr_expect_eq(big_digits(t)[1], 0);
    cr_expect_eq(big_digits(t)[2], 1);
    proc_free(p);
}

Test(big, to_mpz_overwrites)
{
    Process *p = proc_new();
    mpz_t z;
    mpz_init_set_str(z, "99999999999999999999999999", 10);
    int_to_mpz(make_small(-42), z);
    cr_expect_eq(mpz_get_si(z), -42);
    int_to_mpz(from_text(p, "-18446744073709551616"), z);
    char *s = mpz_get_str(NULL, 10, z);
    cr_expect_str_eq(s, "-18446744073709551616");
    free(s);
    mpz_clear(z);
    proc_free(p);
}

Test(big, mpz_alloc)
{
    Arena arena = {.used = 0};
    TermAlloc a = {arena_alloc, &arena};
    mpz_t z;
    mpz_init_set_str(z, "-36893488147419103232", 10); /* -2^65 */
    Term t = int_from_mpz_alloc(z, a);
    expect_big(t, 2, true);
    cr_expect_eq(arena.used, big_words(2));
    cr_expect_eq(boxed_val(t), arena.words);
    expect_text(t, "-36893488147419103232");

    mpz_set_si(z, -5);
    cr_expect_eq(int_from_mpz_alloc(z, a), make_small(-5));
    cr_expect_eq(arena.used, big_words(2), "a small must not allocate");
    mpz_clear(z);
}

Test(big, mpz_alloc_failure)
{
    TermAlloc a = {failing_alloc, NULL};
    mpz_t z;
    mpz_init_set_str(z, "1000000000000000000000", 10);
    cr_expect_eq(int_from_mpz_alloc(z, a), THE_NON_VALUE);
    mpz_set_ui(z, 7);
    cr_expect_eq(int_from_mpz_alloc(z, a), make_small(7));
    mpz_clear(z);
}
