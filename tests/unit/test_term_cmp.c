/*
 * test_term_cmp.c - term order (==, <, lists:sort) and exact equality (=:=).
 *
 * The facts checked here were confirmed with erl (OTP 25), e.g.
 * 9007199254740993 > 9007199254740992.0, #{1 => a} < #{1.0 => a},
 * #{a => 1} == #{a => 1.0}, 0.0 =:= -0.0.
 */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "runtime/term/atom.h"
#include "runtime/loader/module.h"
#include "runtime/term/term_cmp.h"
#include "term_build.h"

/* ---- building terms in a static arena ---- */

static void setup(void)
{
    atom_init();
    tb_reset();
}

TestSuite(term_cmp, .init = setup);

/* ---- checking ---- */

/* a sorts strictly before b in the order of == and <. */
static void expect_before_numerically(Term a, Term b)
{
    cr_expect_lt(term_compare(a, b), 0);
    cr_expect_gt(term_compare(b, a), 0);
    cr_expect(!term_eq(a, b) && !term_eq_exact(a, b));
}

/* a sorts strictly before b in both orders. */
static void expect_before(Term a, Term b)
{
    expect_before_numerically(a, b);
    cr_expect_lt(term_compare_exact(a, b), 0);
    cr_expect_gt(term_compare_exact(b, a), 0);
}

/* a == b but a =/= b: exact order puts a (the one with integers) first. */
static void expect_equal_not_exact(Term a, Term b)
{
    cr_expect_eq(term_compare(a, b), 0);
    cr_expect(term_eq(a, b));
    cr_expect(!term_eq_exact(a, b));
    cr_expect_lt(term_compare_exact(a, b), 0);
    cr_expect_gt(term_compare_exact(b, a), 0);
}

static void expect_identical(Term a, Term b)
{
    cr_expect_eq(term_compare(a, b), 0);
    cr_expect_eq(term_compare_exact(a, b), 0);
    cr_expect(term_eq(a, b) && term_eq_exact(a, b));
}

static Term ref(uint64_t low, uint64_t high)
{
    Term *hp = words(1 + REF_WORDS);
    hp[0] = make_header(REF_WORDS, HDR_REF);
    hp[1] = low;
    hp[2] = high;
    return make_boxed(hp);
}

/* A closure over fe with the given free variables. */
static Term closure(const FunEntry *fe, size_t nfree, const Term *free)
{
    Term *hp = words(3 + nfree);
    hp[0] = make_header(2 + nfree, HDR_FUN);
    hp[1] = (Term)fe;
    hp[2] = make_pid(1);
    for (size_t i = 0; i < nfree; i++) hp[3 + i] = free[i];
    return make_boxed(hp);
}

static Term export_fun(const Export *e)
{
    Term *hp = words(2);
    hp[0] = make_header(1, HDR_EXPORT);
    hp[1] = (Term)e;
    return make_boxed(hp);
}

/* ---- the cases ---- */

Test(term_cmp, type_order)
{
    static FunEntry fe;
    fe = (FunEntry){.module = A("m"), .index = 0, .old_uniq = 1};
    Term order[] = {
        I(5), A("a"), ref(1, 0), closure(&fe, 0, NULL), make_port(1), make_pid(1),
        T(1, I(0)), M(0), NIL, L(1, I(0)), B("", 0),
    };
    size_t n = sizeof order / sizeof order[0];
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++) expect_before(order[i], order[j]);
    /* bignums and floats are numbers: before atoms */
    expect_before(BIG(false, 2, 0ull, 1ull), A("a"));
    expect_before(F(1.0e300), A(""));
}

Test(term_cmp, integers)
{
    expect_before(I(-3), I(2));
    expect_before(I(MIN_SMALL), I(MAX_SMALL));
    expect_before(I(MAX_SMALL), BIG(false, 1, (unsigned long long)MAX_SMALL + 1));
    expect_before(BIG(true, 1, (unsigned long long)MAX_SMALL + 2), I(MIN_SMALL));
    expect_before(BIG(false, 1, ~0ull), BIG(false, 2, 0ull, 1ull));
    expect_before(BIG(true, 2, 0ull, 1ull), BIG(true, 1, ~0ull));
    expect_before(BIG(false, 2, 5ull, 1ull), BIG(false, 2, 6ull, 1ull));
    expect_before(BIG(true, 2, 6ull, 1ull), BIG(true, 2, 5ull, 1ull));
    expect_identical(BIG(false, 2, 5ull, 1ull), BIG(false, 2, 5ull, 1ull));
}

Test(term_cmp, floats)
{
    expect_before(F(-2.5), F(0.5));
    expect_identical(F(0.0), F(-0.0));
    expect_identical(F(1.5), F(1.5));
}

Test(term_cmp, integers_against_floats)
{
    expect_equal_not_exact(I(1), F(1.0));
    expect_equal_not_exact(I(-7), F(-7.0));
    expect_before_numerically(I(2), F(2.5));
    expect_before_numerically(F(2.5), I(3));
    expect_before_numerically(F(-2.5), I(-2));
    expect_before_numerically(I(-3), F(-2.5));
    /* beyond 2^53 a double cannot hold every integer: compared exactly */
    expect_before_numerically(F(9007199254740992.0), I(9007199254740993));
    expect_before_numerically(I((1LL << 59) - 1), F(0x1p59));
    expect_equal_not_exact(I(-(1LL << 59)), F(-0x1p59));
    expect_before_numerically(I(-(1LL << 59)), F(-5.0e17));
    expect_equal_not_exact(BIG(false, 2, 0ull, 1ull), F(0x1p64));
    expect_before_numerically(F(0x1p64), BIG(false, 2, 1ull, 1ull));
    expect_before_numerically(BIG(true, 2, 1ull, 1ull), F(-0x1p64));
    expect_before_numerically(BIG(false, 2, 0ull, 1ull), F(1.0e300));
    expect_before_numerically(F(-1.0e300), BIG(true, 2, 0ull, 1ull));
    expect_before_numerically(F(1.5), BIG(false, 2, 0ull, 1ull));
}

/* Exact order: all integers before all floats (map keys sort so: 1, 2, 3, 0.5, 1.0). */
Test(term_cmp, exact_order_of_numbers)
{
    cr_expect_lt(term_compare_exact(I(2), F(1.0)), 0);
    cr_expect_lt(term_compare_exact(BIG(false, 2, 0ull, 1ull), F(0.5)), 0);
    cr_expect_gt(term_compare(I(2), F(1.0)), 0);
}

Test(term_cmp, atoms)
{
    expect_before(A("Z"), A("a"));
    expect_before(A("ab"), A("b"));
    expect_before(A("a"), A("ab"));
    expect_before(A(""), A("a"));
    expect_before(A("z"), A("\xc3\xa9"));
    expect_identical(A("same"), A("same"));
}

Test(term_cmp, tuples)
{
    expect_before(T(1, I(2)), T(2, I(1), I(2)));
    expect_before(T(2, I(1), I(2)), T(2, I(1), I(3)));
    expect_before(T(0), T(1, NIL));
    expect_equal_not_exact(T(2, I(1), F(2.0)), T(2, F(1.0), I(2)));
}

Test(term_cmp, lists)
{
    expect_before(NIL, L(1, I(0)));
    expect_before(S("ab"), S("abc"));
    expect_before(S("abc"), S("abd"));
    expect_before(S("abd"), S("b"));
    expect_before(LT(I(2), 1, I(1)), L(2, I(1), I(2)));
    expect_before(T(0), NIL);
    expect_before(M(0), NIL);
    expect_equal_not_exact(L(1, I(1)), L(1, F(1.0)));
    expect_identical(L(3, S("x"), T(1, A("y")), I(3)), L(3, S("x"), T(1, A("y")), I(3)));
}

Test(term_cmp, binaries)
{
    expect_before(B("\x01\x02", 2), B("\x01\x02\x03", 3));
    expect_before(B("\x01\x02\x03", 3), B("\x02", 1));
    expect_before(B("", 0), B("\x00", 1));
    expect_identical(B("abc", 3), B("abc", 3));
}

Test(term_cmp, maps)
{
    /* size first, then the keys in key order, then the values */
    expect_before(M(1, A("b"), I(1)), M(2, A("a"), I(2), A("c"), I(3)));
    expect_before(M(1, A("a"), I(2)), M(1, A("b"), I(1)));
    expect_before(M(2, A("a"), I(1), A("b"), I(9)), M(2, A("a"), I(2), A("b"), I(0)));
    /* keys compare exactly, values with the order in use */
    cr_expect(!term_eq(M(1, I(1), A("a")), M(1, F(1.0), A("a"))));
    expect_before(M(1, I(1), A("a")), M(1, F(1.0), A("a")));
    expect_before(M(1, I(2), A("a")), M(1, F(1.0), A("a")));
    expect_equal_not_exact(M(1, A("a"), I(1)), M(1, A("a"), F(1.0)));
    expect_before_numerically(M(1, A("a"), F(1.0)), M(1, A("a"), I(2)));
}

Test(term_cmp, references_pids_ports)
{
    expect_before(ref(5, 1), ref(4, 2));
    expect_before(ref(4, 2), ref(5, 2));
    expect_identical(ref(7, 7), ref(7, 7));
    expect_before(make_pid(3), make_pid(10));
    expect_before(make_port(3), make_port(10));
}

Test(term_cmp, funs)
{
    static FunEntry a0, a1, b0;
    static Export lists_map, lists_map3, lists_sort, c_f;
    a0 = (FunEntry){.module = A("a"), .index = 0, .old_uniq = 9};
    a1 = (FunEntry){.module = A("a"), .index = 1, .old_uniq = 1};
    b0 = (FunEntry){.module = A("b"), .index = 0, .old_uniq = 0};
    lists_map = (Export){.module = A("lists"), .function = A("map"), .arity = 2};
    lists_map3 = (Export){.module = A("lists"), .function = A("map"), .arity = 3};
    lists_sort = (Export){.module = A("lists"), .function = A("sort"), .arity = 1};
    c_f = (Export){.module = A("c"), .function = A("z"), .arity = 9};
    Term one[] = {I(1)}, two[] = {I(2)}, one_float[] = {F(1.0)}, pair[] = {I(0), I(0)};
    /* local funs: module, index, uniq, number of free variables, free variables */
    expect_before(closure(&a0, 0, NULL), closure(&a1, 0, NULL));
    expect_before(closure(&a1, 0, NULL), closure(&b0, 0, NULL));
    expect_before(closure(&a0, 1, one), closure(&a0, 2, pair));
    expect_before(closure(&a0, 1, one), closure(&a0, 1, two));
    expect_equal_not_exact(closure(&a0, 1, one), closure(&a0, 1, one_float));
    /* every local fun before every export fun; exports by module, function, arity */
    expect_before(closure(&b0, 0, NULL), export_fun(&c_f));
    expect_before(export_fun(&c_f), export_fun(&lists_map));
    expect_before(export_fun(&lists_map), export_fun(&lists_map3));
    expect_before(export_fun(&lists_map3), export_fun(&lists_sort));
    expect_identical(export_fun(&lists_map), export_fun(&lists_map));
}

/* A long list and deep nesting are compared without recursing on the C stack. */
Test(term_cmp, long_and_deep)
{
    enum { N = 400000 };
    Term a = NIL, b = NIL, c = NIL;
    for (int i = N; i > 0; i--) {
        a = cons(I(i), a);
        b = cons(I(i), b);
        c = cons(i == 1 ? F(1.0) : I(i), c);
    }
    expect_identical(a, b);
    expect_equal_not_exact(a, c);
    Term da = NIL, db = NIL;
    for (int i = 0; i < N / 2; i++) {
        da = cons(da, NIL);
        db = cons(T(1, db), NIL);
    }
    expect_identical(da, da);
    expect_before(db, da); /* [{...}] before [[...]]: a tuple sorts before a list */
    Term da2 = NIL;
    for (int i = 0; i < N / 2; i++) da2 = cons(da2, NIL);
    expect_identical(da, da2);
}
