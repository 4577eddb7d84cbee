/*
 * test_ets_tree.c - the ordered_set B+tree (runtime/ets/ets_tree.c) through
 * the storage interface: random inserts and deletes against a model that
 * force splits, borrows and merges at every level, iteration both ways from
 * present and absent keys, resumable walks with budgets, deleting and
 * replacing during a walk, range walks, and keys of mixed types in term order.
 */
#include "runtime/ets/ets_store.h"
#include "runtime/ms/ms.h"
#include "runtime/term/term_cmp.h"

#include "term_build.h"

#define KEYS 6000

static EtsTable tab;

static void setup(void)
{
    atom_init();
    tb_reset();
    memset(&tab, 0, sizeof tab);
    tab.type = ETS_ORDERED_SET;
    tab.keypos = 1;
    tab.num = 7;
    cr_assert(ets_store_init(&tab));
}

static void teardown(void) { ets_store_free(&tab); }

TestSuite(ets_tree, .init = setup, .fini = teardown);

static EtsObj *obj(Term key, intptr_t v) { return ets_obj_new(T(2, key, I(v)), 0); }

static intptr_t key_of(const EtsObj *o) { return small_val(tuple_elems(o->term)[0]); }

static uint64_t rng = 88172645463325252ull;
static uint64_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* The table holds exactly the keys set in model, in order both ways. */
static void check_model(const bool *model)
{
    size_t n = 0;
    intptr_t prev = -1;
    bool missing;
    for (Term t = ets_store_first(&tab); is_value(t); t = ets_store_next(&tab, t, &missing)) {
        intptr_t k = small_val(t);
        cr_assert(k > prev && model[k], "key %ld out of order or not in the model", (long)k);
        prev = k;
        n++;
    }
    size_t expect = 0;
    for (int i = 0; i < KEYS; i++) expect += model[i];
    cr_assert_eq(n, expect);
    cr_assert_eq(ets_store_size(&tab), expect);
    intptr_t after = KEYS;
    for (Term t = ets_store_last(&tab); is_value(t); t = ets_store_prev(&tab, t, &missing)) {
        cr_assert(small_val(t) < after);
        after = small_val(t);
        n--;
    }
    cr_assert_eq(n, 0);
}

Test(ets_tree, churn_against_model)
{
    static bool model[KEYS];
    memset(model, 0, sizeof model);
    for (int round = 0; round < 6; round++) {
        /* grow (mostly inserts), then shrink (mostly deletes) */
        bool grow = round % 2 == 0;
        for (int i = 0; i < 20000; i++) {
            intptr_t k = (intptr_t)(next_rand() % KEYS);
            if ((next_rand() % 4 != 0) == grow) {
                ets_store_put(&tab, obj(I(k), i));
                model[k] = true;
            } else {
                EtsObj *o = ets_store_remove_key(&tab, I(k), 0);
                cr_assert_eq(o != NULL, model[k]);
                if (o) ets_obj_free(o);
                model[k] = false;
            }
        }
        check_model(model);
        /* next/prev of every key, present or not */
        bool missing;
        for (intptr_t k = 0; k < KEYS; k += 7) {
            Term n = ets_store_next(&tab, I(k), &missing), p = ets_store_prev(&tab, I(k), &missing);
            intptr_t want_n = k + 1, want_p = k - 1;
            while (want_n < KEYS && !model[want_n]) want_n++;
            while (want_p >= 0 && !model[want_p]) want_p--;
            cr_assert_eq(is_value(n) ? small_val(n) : KEYS, want_n);
            cr_assert_eq(is_value(p) ? small_val(p) : -1, want_p);
        }
    }
    /* a set replaces: one object per key, the last one put */
    ets_store_put(&tab, obj(I(5), 1));
    ets_store_put(&tab, obj(I(5), 2));
    EtsObj *o = ets_store_get(&tab, I(5), 0);
    cr_assert_eq(small_val(tuple_elems(o->term)[1]), 2);
}

typedef struct Walk {
    intptr_t seen[KEYS];
    size_t n;
    int mode; /* 0 look, 1 delete odd keys, 2 replace with value -1 */
} Walk;

static EtsWalkAct walk_fn(void *ctx, EtsObj *o, EtsObj **replace)
{
    Walk *w = ctx;
    intptr_t k = key_of(o);
    w->seen[w->n++] = k;
    if (w->mode == 1 && k % 2) return ETS_WALK_DELETE;
    if (w->mode == 2) {
        *replace = obj(I(k), -1);
        return ETS_WALK_REPLACE;
    }
    return ETS_WALK_NEXT;
}

static void fill(int n)
{
    for (int k = 0; k < n; k++) ets_store_put(&tab, obj(I(k), k));
}

Test(ets_tree, walks_resume_delete_and_replace)
{
    fill(3000);
    static Walk w;
    /* forward in budgets of 100: every key once, in order */
    EtsCursor c = {.key = THE_NON_VALUE};
    w.n = 0;
    int rounds = 0;
    while (!c.done) {
        ets_store_walk(&tab, &c, 100, walk_fn, &w);
        rounds++;
    }
    cr_assert_eq(w.n, 3000);
    cr_assert_geq(rounds, 30);
    for (size_t i = 0; i < w.n; i++) cr_assert_eq(w.seen[i], (intptr_t)i);
    /* backwards, deleting odd keys on the way (rebalancing under the walk) */
    EtsCursor r = {.key = THE_NON_VALUE, .reverse = true};
    w.n = 0;
    w.mode = 1;
    while (!r.done) ets_store_walk(&tab, &r, 77, walk_fn, &w);
    cr_assert_eq(w.n, 3000);
    for (size_t i = 0; i < w.n; i++) cr_assert_eq(w.seen[i], (intptr_t)(2999 - i));
    cr_assert_eq(ets_store_size(&tab), 1500);
    /* replace everything: same keys, new objects */
    EtsCursor f = {.key = THE_NON_VALUE};
    w.n = 0;
    w.mode = 2;
    ets_store_walk(&tab, &f, 0, walk_fn, &w);
    cr_assert(f.done);
    cr_assert_eq(w.n, 1500);
    bool missing;
    for (Term t = ets_store_first(&tab); is_value(t); t = ets_store_next(&tab, t, &missing)) {
        EtsObj *o = ets_store_get(&tab, t, 0);
        cr_assert(key_of(o) % 2 == 0 && small_val(tuple_elems(o->term)[1]) == -1);
    }
}

Test(ets_tree, range_walk)
{
    /* keys {G, N}: a pattern {3, '_'} walks exactly group 3, both ways */
    for (int g = 0; g < 10; g++)
        for (int n = 0; n < 200; n++) ets_store_put(&tab, ets_obj_new(T(2, T(2, I(g), I(n)), I(0)), 0));
    Term pattern = T(2, I(3), A("_"));
    for (int rev = 0; rev < 2; rev++) {
        EtsCursor c = {.key = THE_NON_VALUE, .reverse = rev, .range_cmp = ms_key_cmp, .range = pattern};
        static Walk w;
        w.n = 0;
        w.mode = 0;
        size_t seen = 0;
        while (!c.done) {
            size_t before = w.n;
            ets_store_walk(&tab, &c, 50, walk_fn, &w);
            seen += w.n - before;
        }
        cr_assert_eq(seen, 200);
    }
    /* a group past the end and before the start: nothing */
    for (int g = -1; g <= 10; g += 11) {
        EtsCursor c = {.key = THE_NON_VALUE, .range_cmp = ms_key_cmp, .range = T(2, I(g), A("_"))};
        static Walk w;
        w.n = 0;
        ets_store_walk(&tab, &c, 0, walk_fn, &w);
        cr_assert(c.done);
        cr_assert_eq(w.n, 0);
    }
}

Test(ets_tree, mixed_keys_in_term_order)
{
    Term keys[] = {I(-5), F(1.5), I(2), A("a"), A("b"), T(0), T(1, I(1)), T(2, I(1), A("x")), NIL,
                   L(1, I(1)), B("ab", 2)};
    size_t n = sizeof keys / sizeof keys[0];
    for (size_t i = n; i-- > 0;) ets_store_put(&tab, ets_obj_new(T(1, keys[i]), 0));
    /* 2.0 is the key 2 */
    ets_store_put(&tab, ets_obj_new(T(1, F(2.0)), 0));
    cr_assert_eq(ets_store_size(&tab), n);
    size_t i = 0;
    bool missing;
    for (Term t = ets_store_first(&tab); is_value(t); t = ets_store_next(&tab, t, &missing), i++)
        cr_assert_eq(term_compare(t, keys[i]), 0);
    cr_assert_eq(i, n);
    cr_assert_eq(ets_store_remove_obj(&tab, T(1, F(2.0)), 0), 1);
    cr_assert_eq(ets_store_remove_obj(&tab, T(1, I(7)), 0), 0);
    void *d = ets_store_detach_all(&tab);
    cr_assert_eq(ets_store_size(&tab), 0);
    cr_assert(!is_value(ets_store_first(&tab)));
    ets_store_free_detached(&tab, d);
}

/* Keys whose abbreviations tie or sit at the edges of their ranges still come out in term order. */
Test(ets_tree, abbreviation_edges)
{
    intptr_t big = ((intptr_t)1 << 26);
    Term keys[] = {
        I(-big - 1), I(-big), I(big - 1), I(big), F(-0.5), F(0.5), F(1.0e30), F(-1.0e30), I(MAX_SMALL), I(MIN_SMALL),
        T(2, I(1), I(2)), T(2, F(1.5), I(0)), T(2, F(1.0), I(0)), T(2, F(2.0), I(-1)), T(2, F(-1.0e40), I(3)), T(2, I(1), F(2.5)), T(2, I(big), I(0)), T(2, I(-big - 1), I(5)),
        T(2, I(2), A("a")), T(2, A("a"), I(1)), T(1, I(7)), T(0), T(3, I(1), I(2), I(3)),
        T(15, I(1), I(1), I(1), I(1), I(1), I(1), I(1), I(1), I(1), I(1), I(1), I(1), I(1), I(1), I(9)),
        T(16, I(0), I(1), I(1), I(1), I(1), I(1), I(1), I(1), I(1), I(1), I(1), I(1), I(1), I(1), I(1), I(1)),
        T(14, I(5), I(1), I(1), I(1), I(1), I(1), I(1), I(1), I(1), I(1), I(1), I(1), I(1), I(1)),
        A("abcdefg"), A("abcdefgh"), A("abcdef"), A("a"), B("a\0", 2), L(1, I(1)), NIL,
        BIG(false, 1, (uint64_t)1 << 62), BIG(true, 1, (uint64_t)1 << 62)};
    size_t n = sizeof keys / sizeof keys[0];
    for (size_t i = 0; i < n; i++) ets_store_put(&tab, ets_obj_new(T(1, keys[i]), 0));
    cr_assert_eq(ets_store_size(&tab), n);
    bool missing;
    Term prev = THE_NON_VALUE;
    size_t seen = 0;
    for (Term k = ets_store_first(&tab); is_value(k); k = ets_store_next(&tab, k, &missing)) {
        if (prev != THE_NON_VALUE) cr_assert_lt(term_compare(prev, k), 0, "out of order at %zu", seen);
        cr_assert_not_null(ets_store_get(&tab, k, 0));
        prev = k;
        seen++;
    }
    cr_assert_eq(seen, n);
    /* equal in term order: one key */
    ets_store_put(&tab, ets_obj_new(T(1, T(2, F(1.0), F(2.0))), 0));
    cr_assert_eq(ets_store_size(&tab), n);
}
