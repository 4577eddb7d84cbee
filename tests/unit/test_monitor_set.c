/* test_monitor_set.c - monitor sets: small (searched) and large (indexed), removal in any order. */
#include "runtime/proc/monitor_set.h"

#include <criterion/criterion.h>
#include <stdlib.h>

/* A reference id as make_ref builds one: a counter word and the creator's number. */
static void ref_of(uint64_t n, Term id[REF_WORDS])
{
    id[0] = (Term)n;
    id[1] = (Term)(n % 7);
}

/* Scattered counter words (an odd multiplier permutes 64-bit words, so they stay distinct):
   sequential ones spread too evenly over the index to make probe runs collide. */
static uint64_t scattered(uint64_t n) { return (n + 1) * 0xD6E8FEB86659FD93u ^ 0x5555; }

static bool holds(MonitorSet *s, uint64_t n, Term *pid)
{
    Term id[REF_WORDS];
    ref_of(n, id);
    MonitorEntry e;
    if (!mset_remove(s, id, &e)) return false;
    *pid = e.pid;
    mset_add(s, id, e.pid, e.name); /* put it back */
    return true;
}

TestSuite(monitor_set);

Test(monitor_set, small_set_finds_and_removes)
{
    MonitorSet s = {0};
    Term id[REF_WORDS], pid;
    for (uint64_t n = 1; n <= 5; n++) {
        ref_of(n, id);
        mset_add(&s, id, make_small((intptr_t)n * 10), NIL);
    }
    cr_assert_null(s.index);
    cr_assert(holds(&s, 3, &pid));
    cr_assert_eq(pid, make_small(30));
    ref_of(3, id);
    cr_assert(mset_remove(&s, id, NULL));
    cr_assert_not(mset_remove(&s, id, NULL));
    cr_assert_eq(s.n, 4);
    cr_assert_not(holds(&s, 99, &pid));
    mset_free(&s);
}

/* Adds and removes thousands of references in a shuffled order, checking every survivor each round. */
Test(monitor_set, large_set_stays_consistent_under_shuffled_removal)
{
    enum { N = 3000 };
    MonitorSet s = {0};
    Term id[REF_WORDS], pid;
    uint64_t order[N];
    for (uint64_t n = 0; n < N; n++) {
        ref_of(scattered(n), id);
        mset_add(&s, id, make_small((intptr_t)n), NIL);
        order[n] = n;
    }
    cr_assert_not_null(s.index);
    srand(7);
    for (size_t i = N - 1; i > 0; i--) {
        size_t j = (size_t)rand() % (i + 1);
        uint64_t t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    bool removed[N] = {false};
    for (size_t k = 0; k < N; k++) {
        uint64_t n = order[k];
        ref_of(scattered(n), id);
        MonitorEntry e;
        cr_assert(mset_remove(&s, id, &e), "entry %llu missing", (unsigned long long)n);
        cr_assert_eq(e.pid, make_small((intptr_t)n));
        removed[n] = true;
        if (k % 500 != 0) continue;
        for (uint64_t m = 0; m < N; m++) {
            bool found = holds(&s, scattered(m), &pid);
            cr_assert_eq(found, !removed[m], "entry %llu: found %d", (unsigned long long)m, found);
            if (found) cr_assert_eq(pid, make_small((intptr_t)m));
        }
    }
    cr_assert_eq(s.n, 0);
    mset_free(&s);
}
