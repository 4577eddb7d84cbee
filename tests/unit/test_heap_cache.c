/*
 * test_heap_cache.c - the large heap block cache (runtime/proc/heap_cache.h):
 * which freed blocks it keeps, which request gets one back, and that a
 * collection of a large heap reuses the block the previous one freed.
 */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "runtime/proc/heap.h"
#include "runtime/proc/heap_cache.h"

/* Empties the cache: takes whatever it would give for sizes in [min, max]. */
static void drain(void)
{
    for (size_t w = HCACHE_MIN_WORDS; w <= HCACHE_MAX_WORDS; w *= 2)
        for (Term *b; (b = hcache_take(w));) free(b);
}

static Term *block(size_t words)
{
    Term *b = malloc(words * sizeof(Term));
    cr_assert_not_null(b);
    return b;
}

Test(heap_cache, keeps_large_blocks_for_a_similar_size)
{
    drain();
    Term *b = block(HCACHE_MIN_WORDS * 3);
    hcache_free(b, HCACHE_MIN_WORDS * 3);
    cr_expect_null(hcache_take(HCACHE_MIN_WORDS * 4), "a larger request gets no smaller block");
    cr_expect_null(hcache_take(HCACHE_MIN_WORDS), "a request of less than half does not pin it");
    cr_expect_eq(hcache_take(HCACHE_MIN_WORDS * 2), b);
    cr_expect_null(hcache_take(HCACHE_MIN_WORDS * 2), "a block is given out once");
    free(b);
}

Test(heap_cache, leaves_small_and_huge_blocks_to_malloc)
{
    drain();
    hcache_free(block(HCACHE_MIN_WORDS - 1), HCACHE_MIN_WORDS - 1);
    cr_expect_null(hcache_take(HCACHE_MIN_WORDS - 1));
    cr_expect_null(hcache_take(HCACHE_MIN_WORDS));
    hcache_free(NULL, HCACHE_MIN_WORDS); /* freeing nothing is fine */
    cr_expect_null(hcache_take(HCACHE_MIN_WORDS));
    cr_expect_null(hcache_take(HCACHE_MAX_WORDS + 1));
}

Test(heap_cache, evicts_the_oldest)
{
    drain();
    Term *b[5];
    for (int i = 0; i < 5; i++) {
        b[i] = block(HCACHE_MIN_WORDS);
        hcache_free(b[i], HCACHE_MIN_WORDS);
    }
    Term *got[4];
    for (int i = 0; i < 4; i++) cr_assert_not_null(got[i] = hcache_take(HCACHE_MIN_WORDS));
    cr_expect_null(hcache_take(HCACHE_MIN_WORDS), "four slots");
    for (int i = 0; i < 4; i++) cr_expect_neq(got[i], b[0], "the first block freed was evicted");
    for (int i = 0; i < 4; i++) free(got[i]);
}

/* A process whose heap is large: its next collection copies into the block the last freed. */
Test(heap_cache, collections_reuse_the_freed_block)
{
    drain();
    Process *p = calloc(1, sizeof(Process));
    cr_assert_not_null(p);
    size_t words = heap_size_after(HCACHE_MIN_WORDS * 2);
    cr_assert_eq(heap_init(p, words), 0);
    Term *first = p->heap;
    Term x[1] = {NIL};
    for (int i = 0; i < 200; i++) x[0] = heap_cons(p, make_small(i), x[0]);
    cr_assert_eq(heap_gc_major(p, 0, x, 1), 0);
    Term *second = p->heap;
    cr_expect_neq(second, first);
    cr_assert_eq(heap_gc_major(p, 0, x, 1), 0);
    cr_expect_eq(p->heap, first, "the block freed by the first collection is reused");
    size_t n = 0;
    for (Term l = x[0]; is_list(l); l = CDR(list_val(l))) n++;
    cr_expect_eq(n, 200);
    heap_destroy(p);
    free(p);
}
