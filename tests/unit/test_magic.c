/*
 * test_magic.c - magic references (runtime/term/magic.h): the reference
 * count that handles on heaps, copies between heaps, dropped copies and
 * collections keep, and the id table behind binary_to_term.
 */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "runtime/proc/heap.h"
#include "runtime/term/binary.h"
#include "runtime/term/magic.h"
#include "runtime/term/term_cmp.h"

static int destroyed;
static void count_destroy(Magic *m)
{
    (void)m;
    destroyed++;
}
static const MagicType test_type = {"test", count_destroy};
static const MagicType other_type = {"other", NULL};

static Process *proc_new(size_t words)
{
    Process *p = calloc(1, sizeof(Process));
    cr_assert_not_null(p);
    cr_assert_eq(heap_init(p, words), 0);
    p->dictionary = NIL;
    p->fvalue = p->ftrace = p->fargs = THE_NON_VALUE;
    p->group_leader = make_pid(0);
    return p;
}

static void proc_free(Process *p)
{
    heap_destroy(p);
    free(p);
}

static size_t refc(Magic *m) { return atomic_load(&m->refc); }

static Term id_of(Term ref, int i) { return boxed_val(ref)[1 + i]; }

Test(magic, last_release_destroys_and_frees)
{
    destroyed = 0;
    size_t bytes = magic_total_bytes(), count = magic_count();
    Magic *m = magic_new(&test_type, 100);
    cr_assert_not_null(m);
    cr_assert_eq(refc(m), 1);
    cr_assert_eq(magic_total_bytes(), bytes + m->bytes);
    cr_assert_eq(magic_count(), count + 1);
    magic_retain(m);
    magic_release(m);
    cr_assert_eq(destroyed, 0);
    magic_release(m);
    cr_assert_eq(destroyed, 1);
    cr_assert_eq(magic_total_bytes(), bytes);
    cr_assert_eq(magic_count(), count);
}

Test(magic, handle_is_a_reference_of_its_type)
{
    Process *p = proc_new(256);
    Magic *m = magic_new(&test_type, 8);
    Term r = magic_ref_new(p, m);
    cr_assert(is_ref(r));
    cr_assert(is_magic_ref(r));
    cr_assert_eq(magic_of(r, &test_type), m);
    cr_assert_null(magic_of(r, &other_type));
    cr_assert_eq(p->off_heap.first, boxed_val(r));
    cr_assert_geq(p->off_heap.bytes, m->bytes);
    /* a plain reference with the same id is equal to it */
    Term plain[3] = {make_header(REF_WORDS, HDR_REF), id_of(r, 0), id_of(r, 1)};
    cr_assert(term_eq_exact(make_boxed(plain), r));
    cr_assert_null(magic_of(make_boxed(plain), &test_type));
    destroyed = 0;
    proc_free(p);
    cr_assert_eq(destroyed, 1);
}

Test(magic, copies_hold_references_until_dropped_or_adopted)
{
    destroyed = 0;
    Process *a = proc_new(256), *b = proc_new(256);
    Magic *m = magic_new(&test_type, 8);
    Term r = magic_ref_new(a, m);
    Term *hp = heap_alloc(a, 3);
    hp[0] = make_tuple_header(2);
    hp[1] = r;
    hp[2] = r; /* shared: term_copy_to copies it twice */
    Term t = make_boxed(hp);
    size_t words = term_size(t);
    Term *buf = malloc(words * sizeof(Term));
    term_copy_to(t, buf);
    cr_assert_eq(refc(m), 3);
    binary_drop_copy(buf, words);
    cr_assert_eq(refc(m), 1);
    free(buf);
    Term copy = term_copy(b, t);
    cr_assert(term_eq_exact(copy, t));
    cr_assert_eq(refc(m), 3);
    proc_free(a);
    cr_assert_eq(refc(m), 2);
    cr_assert_eq(destroyed, 0);
    proc_free(b);
    cr_assert_eq(destroyed, 1);
}

Test(magic, collection_keeps_live_handles_and_releases_dead_ones)
{
    destroyed = 0;
    Process *p = proc_new(256);
    Magic *live = magic_new(&test_type, 8), *dead = magic_new(&test_type, 8);
    Term x[1] = {magic_ref_new(p, live)};
    magic_ref_new(p, dead);
    cr_assert_eq(heap_gc_major(p, 1, x, 1), 0);
    cr_assert_eq(destroyed, 1);
    cr_assert_eq(refc(live), 1);
    cr_assert_eq(magic_of(x[0], &test_type), live);
    cr_assert_eq(p->off_heap.first, boxed_val(x[0]));
    cr_assert_null((Term *)boxed_val(x[0])[3]);
    cr_assert_eq(heap_gc(p, 1, x, 1), 0); /* a minor one too */
    cr_assert_eq(refc(live), 1);
    cr_assert_eq(heap_gc_major(p, 1, x, 0), 0); /* no roots left */
    cr_assert_eq(destroyed, 2);
    proc_free(p);
}

Test(magic, lookup_finds_only_live_objects)
{
    enum { N = 1000 };
    static Magic *ms[N];
    static Term ids[N][REF_WORDS];
    Process *p = proc_new(N * MAGIC_REF_WORDS + 64);
    for (int i = 0; i < N; i++) {
        ms[i] = magic_new(&other_type, 8);
        Term r = magic_ref_new(p, ms[i]);
        ids[i][0] = id_of(r, 0);
        ids[i][1] = id_of(r, 1);
    }
    for (int i = 0; i < N; i += 2) magic_retain(ms[i]); /* the even ones outlive the process */
    proc_free(p);
    for (int i = 0; i < N; i++) {
        Magic *found = magic_lookup(ids[i]);
        if (i % 2) {
            cr_assert_null(found, "odd %d", i);
            continue;
        }
        cr_assert_eq(found, ms[i], "even %d", i);
        cr_assert_eq(refc(found), 2);
        magic_release(found);
        magic_release(found);
        cr_assert_null(magic_lookup(ids[i]));
    }
    Term made_ref[REF_WORDS] = {ids[0][0], 7};
    cr_assert_null(magic_lookup(made_ref));
}
