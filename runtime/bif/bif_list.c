/*
 * bif_list.c - list BIFs: hd/1, tl/1, length/1, '++'/2, '--'/2 (module
 * erlang) and the list functions that erts implements natively for the
 * lists module (reverse/2, member/2, keyfind/3, keymember/3, keysearch/3).
 *
 * All of them walk lists with loops, never recursion, so list length is
 * limited by memory only. Errors are badarg, as in OTP 25: an improper list
 * where a proper one is needed, a key position that is not a positive small
 * integer. member/2 and the key functions fail on an improper list only if
 * they reach its end without finding the element.
 */
#include "runtime/bif/bif.h"
#include "runtime/proc/heap.h"
#include "runtime/term/term_cmp.h"

#include <stdio.h>
#include <stdlib.h>

/* =:= and == with the word-equality fast path (immediates are equal only if identical). */
static bool eq_exact(Term a, Term b)
{
    return a == b || (!is_immed(a) && !is_immed(b) && term_eq_exact(a, b));
}

static bool eq_coerce(Term a, Term b)
{
    return a == b || (!(is_immed(a) && is_immed(b)) && term_eq(a, b));
}

/* Number of elements of a proper list, or SIZE_MAX when t is not one. */
static size_t proper_length(Term t)
{
    size_t n = 0;
    for (; is_list(t); t = list_tail(t)) n++;
    return is_nil(t) ? n : SIZE_MAX;
}

/* Copies the first n elements of list in order onto the heap, ending in tail. */
static Term copy_prefix(Process *p, Term list, size_t n, Term tail)
{
    if (n == 0) return tail;
    Term *hp = heap_alloc(p, 2 * n);
    Term result = make_list(hp);
    for (size_t i = 0; i < n; i++, hp += 2, list = list_tail(list)) {
        hp[0] = list_head(list);
        hp[1] = i + 1 < n ? make_list(hp + 2) : tail;
    }
    return result;
}

static void *checked_calloc(size_t n, size_t size)
{
    void *mem = calloc(n ? n : 1, size);
    if (!mem) {
        fprintf(stderr, "erbium: out of memory in a list BIF (%zu items)\n", n);
        abort();
    }
    return mem;
}

/* ---- hd, tl, length, ++ ---- */

Term bif_hd_1(Process *p, const Term *args)
{
    if (!is_list(args[0])) return bif_error(p, AM_badarg);
    return list_head(args[0]);
}

Term bif_tl_1(Process *p, const Term *args)
{
    if (!is_list(args[0])) return bif_error(p, AM_badarg);
    return list_tail(args[0]);
}

Term bif_length_1(Process *p, const Term *args)
{
    size_t n = proper_length(args[0]);
    if (n == SIZE_MAX) return bif_error(p, AM_badarg);
    return make_small((intptr_t)n);
}

/* A ++ B copies A (which must be proper) and shares B, whatever B is. */
Term bif_plusplus_2(Process *p, const Term *args)
{
    Term a = args[0], b = args[1];
    size_t n = proper_length(a);
    if (n == SIZE_MAX) return bif_error(p, AM_badarg);
    return copy_prefix(p, a, n, b);
}

/* ---- '--' ----
 *
 * A -- B removes, for each element of B, the first element of A that is
 * =:= to it. Equivalently: walk A once and drop an element when B still has
 * an unused copy of it. B's elements go into a bag: a plain array for a few
 * elements, else sorted in the exact term order (where 0 means =:=) with
 * equal elements merged into one counted entry, so each lookup is a binary
 * search. Time O((|A| + |B|) log |B|).
 */

typedef struct Tally {
    Term term;
    size_t count;
} Tally;

typedef struct Bag {
    Tally *items;
    size_t n;
    size_t remaining; /* sum of counts */
    bool sorted;
} Bag;

#define BAG_LINEAR_MAX 16

/* The exact order, with small integers (the common case) compared inline. */
static int compare_exact(Term a, Term b)
{
    if (both_small(a, b)) return ((intptr_t)a > (intptr_t)b) - ((intptr_t)a < (intptr_t)b);
    return term_compare_exact(a, b);
}

static int tally_compare(const void *a, const void *b)
{
    return compare_exact(((const Tally *)a)->term, ((const Tally *)b)->term);
}

static void bag_sort(Bag *bag)
{
    qsort(bag->items, bag->n, sizeof(Tally), tally_compare);
    size_t out = 0;
    for (size_t i = 1; i < bag->n; i++) {
        if (eq_exact(bag->items[out].term, bag->items[i].term))
            bag->items[out].count++;
        else
            bag->items[++out] = bag->items[i];
    }
    bag->n = out + 1;
    bag->sorted = true;
}

static void bag_init(Bag *bag, Term list, size_t n)
{
    bag->items = checked_calloc(n, sizeof(Tally));
    bag->n = n;
    bag->remaining = n;
    bag->sorted = false;
    for (size_t i = 0; i < n; i++, list = list_tail(list)) {
        bag->items[i].term = list_head(list);
        bag->items[i].count = 1;
    }
    if (n > BAG_LINEAR_MAX) bag_sort(bag);
}

/* The entry =:= to t that still has a count, or NULL. */
static Tally *bag_find(Bag *bag, Term t)
{
    if (!bag->sorted) {
        for (size_t i = 0; i < bag->n; i++)
            if (bag->items[i].count > 0 && eq_exact(bag->items[i].term, t)) return &bag->items[i];
        return NULL;
    }
    size_t lo = 0, hi = bag->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = compare_exact(bag->items[mid].term, t);
        if (c == 0) return bag->items[mid].count > 0 ? &bag->items[mid] : NULL;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* Takes one copy of t out of the bag if it holds one. */
static bool bag_take(Bag *bag, Term t)
{
    Tally *e = bag_find(bag, t);
    if (!e) return false;
    e->count--;
    bag->remaining--;
    return true;
}

#define BIT_SET(bits, i) ((bits)[(i) / 8] |= (uint8_t)(1u << ((i) % 8)))
#define BIT_TEST(bits, i) (((bits)[(i) / 8] >> ((i) % 8)) & 1u)

/*
 * Builds A without the marked elements. Everything after the last removed
 * element is shared with A, not copied.
 */
static Term subtract_build(Process *p, Term a, const uint8_t *removed, size_t last, size_t n_removed)
{
    size_t keep = last + 1 - n_removed;
    Term *hp = keep ? heap_alloc(p, 2 * keep) : NULL;
    Term result = NIL, *link = &result;
    for (size_t i = 0; i <= last; i++, a = list_tail(a)) {
        if (BIT_TEST(removed, i)) continue;
        hp[0] = list_head(a);
        *link = make_list(hp);
        link = &hp[1];
        hp += 2;
    }
    *link = a;
    return result;
}

Term bif_minusminus_2(Process *p, const Term *args)
{
    Term a = args[0], b = args[1];
    size_t na = proper_length(a), nb = proper_length(b);
    if (na == SIZE_MAX || nb == SIZE_MAX) return bif_error(p, AM_badarg);
    if (na == 0 || nb == 0) return a;

    Bag bag;
    bag_init(&bag, b, nb);
    uint8_t *removed = checked_calloc((na + 7) / 8, 1);
    size_t last = 0, n_removed = 0, i = 0;
    for (Term t = a; is_list(t) && bag.remaining > 0; t = list_tail(t), i++) {
        if (bag_take(&bag, list_head(t))) {
            BIT_SET(removed, i);
            last = i;
            n_removed++;
        }
    }
    Term result = n_removed ? subtract_build(p, a, removed, last, n_removed) : a;
    free(removed);
    free(bag.items);
    return result;
}

/* ---- module lists ---- */

/* lists:reverse(List, Tail): List reversed in front of Tail (any term). */
Term bif_lists_reverse_2(Process *p, const Term *args)
{
    Term list = args[0], tail = args[1];
    size_t n = proper_length(list);
    if (n == SIZE_MAX) return bif_error(p, AM_badarg);
    if (n == 0) return tail;
    Term *hp = heap_alloc(p, 2 * n);
    for (; is_list(list); list = list_tail(list), hp += 2) {
        hp[0] = list_head(list);
        hp[1] = tail;
        tail = make_list(hp);
    }
    return tail;
}

Term bif_lists_member_2(Process *p, const Term *args)
{
    Term elem = args[0], list = args[1];
    for (; is_list(list); list = list_tail(list))
        if (eq_exact(list_head(list), elem)) return AM_true;
    if (!is_nil(list)) return bif_error(p, AM_badarg);
    return AM_false;
}

/*
 * The first tuple in list whose element pos (1-based) is == key, AM_false
 * if none, or THE_NON_VALUE after raising badarg.
 */
static Term key_find(Process *p, Term key, Term pos_term, Term list)
{
    if (!is_small(pos_term) || small_val(pos_term) < 1) return bif_error(p, AM_badarg);
    size_t pos = (size_t)small_val(pos_term);
    for (; is_list(list); list = list_tail(list)) {
        Term t = list_head(list);
        if (is_tuple(t) && tuple_arity(t) >= pos && eq_coerce(tuple_elems(t)[pos - 1], key)) return t;
    }
    if (!is_nil(list)) return bif_error(p, AM_badarg);
    return AM_false;
}

Term bif_lists_keyfind_3(Process *p, const Term *args)
{
    return key_find(p, args[0], args[1], args[2]);
}

Term bif_lists_keymember_3(Process *p, const Term *args)
{
    Term found = key_find(p, args[0], args[1], args[2]);
    if (!is_value(found) || found == AM_false) return found;
    return AM_true;
}

/* The atom `value`, made on first use (it is not among the predefined atoms). */
static Term atom_value(void)
{
    static _Atomic Term cached;
    Term a = cached;
    if (!a) {
        a = atom_from_cstr("value");
        cached = a;
    }
    return a;
}

Term bif_lists_keysearch_3(Process *p, const Term *args)
{
    Term found = key_find(p, args[0], args[1], args[2]);
    if (!is_value(found) || found == AM_false) return found;
    Term *hp = heap_alloc(p, 3);
    hp[0] = make_tuple_header(2);
    hp[1] = atom_value();
    hp[2] = found;
    return make_boxed(hp);
}
