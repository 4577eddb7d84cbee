/*
 * test_gc.c - process heap allocation, the copying collector (its
 * generations too) and term_copy.
 *
 * Terms are built by hand on a process heap as the interpreter and BIFs
 * would. After a collection every root must hold a term equal to what it
 * held before (deep comparison that also compares raw words bit for bit),
 * the new heap must hold exactly the objects reachable from the roots (each
 * once: garbage dropped, sharing kept), and anything outside the heap must
 * not have moved.
 */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "runtime/term/atom.h"
#include "runtime/term/big.h"
#include "runtime/proc/heap.h"
#include "runtime/term/literal.h"
#include "runtime/proc/pdict.h"

/* A continuation pointer as the interpreter stores it: 8-aligned code address. */
#define FAKE_CP ((Term)0x1000)

/* ---- processes and term builders ---- */

static Process *proc_new(size_t words)
{
    Process *p = calloc(1, sizeof(Process));
    cr_assert_not_null(p);
    cr_assert_eq(heap_init(p, words), 0);
    p->dictionary = NIL;
    p->fvalue = THE_NON_VALUE;
    p->ftrace = THE_NON_VALUE;
    p->fargs = THE_NON_VALUE;
    p->group_leader = make_pid(0);
    return p;
}

static void proc_free(Process *p)
{
    heap_destroy(p);
    free(p);
}

static size_t heap_block_words(const Process *p) { return (size_t)(p->hend - p->heap); }
/* Words in use in the heap block: young objects and the stack (not the old generation). */
static size_t block_used_words(const Process *p) { return (size_t)(p->htop - p->heap) + (size_t)(p->hend - p->stop); }

/* Collects now, as when the interpreter finds the heap full. */
static void force_gc(Process *p, Term *x, int live)
{
    uint64_t before = p->gc_count;
    heap_alloc(p, heap_free_words(p));
    cr_assert_eq(heap_gc(p, 1, x, live), 0);
    cr_assert_eq(p->gc_count, before + 1);
}

/* A major collection now: afterwards nothing is in the old generation and nothing dead is kept. */
static void force_major_gc(Process *p, Term *x, int live)
{
    uint64_t before = p->gc_count;
    cr_assert_eq(heap_gc_major(p, 1, x, live), 0);
    cr_assert_eq(p->gc_count, before + 1);
    cr_assert_null(p->old_heap);
}

/* Pushes a frame as a call and `allocate n` do: a return address, then n y slots (NIL). */
static void push_frame(Process *p, size_t n)
{
    cr_assert_geq(heap_free_words(p), n + 1);
    p->stop -= n + 1;
    p->stop[n] = FAKE_CP;
    for (size_t i = 0; i < n; i++) YREG(p->stop, i) = NIL;
}

static Term cons(Process *p, Term head, Term tail)
{
    Term *hp = heap_alloc(p, 2);
    hp[0] = head;
    hp[1] = tail;
    return make_list(hp);
}

static Term tuple2(Process *p, Term a, Term b)
{
    Term *hp = heap_alloc(p, 3);
    hp[0] = make_tuple_header(2);
    hp[1] = a;
    hp[2] = b;
    return make_boxed(hp);
}

static Term tuple3(Process *p, Term a, Term b, Term c)
{
    Term *hp = heap_alloc(p, 4);
    hp[0] = make_tuple_header(3);
    hp[1] = a;
    hp[2] = b;
    hp[3] = c;
    return make_boxed(hp);
}

static Term flonum(Process *p, double d) { return make_float(heap_alloc(p, FLOAT_WORDS), d); }

static Term bignum(Process *p, const uint64_t *limbs, size_t n, bool negative)
{
    Term *hp = heap_alloc(p, 1 + n);
    hp[0] = make_header(n, negative ? HDR_NEG_BIG : HDR_POS_BIG);
    memcpy(hp + 1, limbs, n * sizeof(Term));
    return make_boxed(hp);
}

/* A heap binary: byte size, then the bytes padded to a word. */
static Term heap_bin(Process *p, const char *bytes, size_t len)
{
    size_t data_words = (len + 7) / 8;
    Term *hp = heap_alloc(p, 2 + data_words);
    hp[0] = make_header(1 + data_words, HDR_HEAP_BIN);
    hp[1] = len;
    memset(hp + 2, 0, data_words * sizeof(Term));
    memcpy(hp + 2, bytes, len);
    return make_boxed(hp);
}

/* A binary-like object with 2 raw words and then one term (sub binary's layout). */
static Term sub_bin(Process *p, Term orig, Term raw1, Term raw2)
{
    Term *hp = heap_alloc(p, 4);
    hp[0] = make_header(3, HDR_SUB_BIN);
    hp[1] = raw1;
    hp[2] = raw2;
    hp[3] = orig;
    return make_boxed(hp);
}

/* A fun: FunEntry* (raw), creator pid, free variables. */
static Term fun2(Process *p, Term entry_word, Term fv1, Term fv2)
{
    Term *hp = heap_alloc(p, 5);
    hp[0] = make_header(4, HDR_FUN);
    hp[1] = entry_word;
    hp[2] = make_pid(7);
    hp[3] = fv1;
    hp[4] = fv2;
    return make_boxed(hp);
}

/* A flat map of two pairs: count (raw), keys tuple, values. */
static Term map2(Process *p, Term keys, Term v1, Term v2)
{
    Term *hp = heap_alloc(p, 5);
    hp[0] = make_header(4, HDR_MAP);
    hp[1] = 2;
    hp[2] = keys;
    hp[3] = v1;
    hp[4] = v2;
    return make_boxed(hp);
}

static Term raw_object(Process *p, unsigned subtag, size_t n, Term fill)
{
    Term *hp = heap_alloc(p, 1 + n);
    hp[0] = make_header(n, subtag);
    for (size_t i = 0; i < n; i++) hp[1 + i] = fill + i * 16;
    return make_boxed(hp);
}

/* ---- walking terms in tests (iterative: some tests nest a million deep) ---- */

typedef struct Pair {
    Term a, b;
} Pair;

typedef struct Stack {
    Pair *items;
    size_t len, cap;
} Stack;

static void stack_push(Stack *s, Term a, Term b)
{
    if (s->len == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 256;
        s->items = realloc(s->items, s->cap * sizeof(Pair));
        cr_assert_not_null(s->items);
    }
    s->items[s->len++] = (Pair){a, b};
}

/* Structural equality; raw words must match bit for bit. */
static bool terms_equal(Term a, Term b)
{
    Stack st = {0};
    bool equal = true;
    stack_push(&st, a, b);
    while (equal && st.len > 0) {
        Pair pr = st.items[--st.len];
        if (term_primary(pr.a) != term_primary(pr.b)) {
            equal = false;
        } else if (is_list(pr.a)) {
            stack_push(&st, list_tail(pr.a), list_tail(pr.b));
            stack_push(&st, list_head(pr.a), list_head(pr.b));
        } else if (is_boxed(pr.a)) {
            const Term *x = boxed_val(pr.a), *y = boxed_val(pr.b);
            if (x[0] != y[0]) {
                equal = false;
                continue;
            }
            size_t arity = header_arity(x[0]), raw = hdr_raw_words(x[0]);
            if (raw > arity) raw = arity;
            if (memcmp(x + 1, y + 1, raw * sizeof(Term)) != 0) equal = false;
            for (size_t i = 1 + raw; i <= arity; i++) stack_push(&st, x[i], y[i]);
        } else {
            equal = pr.a == pr.b;
        }
    }
    free(st.items);
    return equal;
}

/* A map from object addresses to hashes (open addressing), for walking DAGs. */
typedef struct AddrMap {
    uintptr_t *keys;
    uint64_t *vals;
    size_t cap, len;
} AddrMap;

static size_t addr_slot(const AddrMap *m, uintptr_t a)
{
    size_t i = (a * 0x9E3779B97F4A7C15u >> 20) & (m->cap - 1);
    while (m->keys[i] && m->keys[i] != a) i = (i + 1) & (m->cap - 1);
    return i;
}

static bool addr_get(const AddrMap *m, uintptr_t a, uint64_t *val)
{
    if (m->cap == 0) return false;
    size_t i = addr_slot(m, a);
    if (!m->keys[i]) return false;
    if (val) *val = m->vals[i];
    return true;
}

/* Adds a -> val; false if a was there already. */
static bool addr_put(AddrMap *m, uintptr_t a, uint64_t val)
{
    if (2 * (m->len + 1) > m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 1024;
        AddrMap bigger = {calloc(cap, sizeof(uintptr_t)), calloc(cap, sizeof(uint64_t)), cap, 0};
        cr_assert(bigger.keys && bigger.vals);
        for (size_t i = 0; i < m->cap; i++)
            if (m->keys[i]) addr_put(&bigger, m->keys[i], m->vals[i]);
        free(m->keys);
        free(m->vals);
        *m = bigger;
    }
    size_t i = addr_slot(m, a);
    if (m->keys[i]) return false;
    m->keys[i] = a;
    m->vals[i] = val;
    m->len++;
    return true;
}

static void addr_free(AddrMap *m)
{
    free(m->keys);
    free(m->vals);
}

static const Term *object_of(Term t) { return is_list(t) ? list_val(t) : boxed_val(t); }

static uint64_t mix(uint64_t h, uint64_t v) { return (h ^ v) * 1099511628211u; }

/*
 * Structural hash of an acyclic term, independent of addresses. Each object
 * is hashed once (memo), so heavily shared graphs cost their size, not the
 * size of the tree they unfold to.
 */
static uint64_t dag_hash(Term t, AddrMap *memo)
{
    Stack st = {0}; /* (term, 1 once its children are pushed) */
    stack_push(&st, t, 0);
    while (st.len > 0) {
        Pair top = st.items[--st.len];
        if (is_immed(top.a)) continue;
        const Term *o = object_of(top.a);
        if (addr_get(memo, (uintptr_t)o, NULL)) continue;
        size_t first = 0, end = 2;
        uint64_t h = 0x11;
        if (is_boxed(top.a)) {
            size_t arity = header_arity(o[0]), raw = hdr_raw_words(o[0]);
            end = 1 + arity;
            first = raw < arity ? 1 + raw : end;
            h = mix(14695981039346656037u, o[0]);
            for (size_t i = 1; i < first; i++) h = mix(h, o[i]);
        }
        if (top.b == 0) {
            stack_push(&st, top.a, 1);
            for (size_t i = first; i < end; i++) stack_push(&st, o[i], 0);
            continue;
        }
        for (size_t i = first; i < end; i++) {
            uint64_t v = o[i];
            if (!is_immed(o[i])) cr_assert(addr_get(memo, (uintptr_t)object_of(o[i]), &v));
            h = mix(h, v);
        }
        addr_put(memo, (uintptr_t)o, h);
    }
    free(st.items);
    uint64_t h = t;
    if (!is_immed(t)) addr_get(memo, (uintptr_t)object_of(t), &h);
    return h;
}

static bool on_heap(const Process *p, const Term *obj) { return obj >= p->heap && obj < p->htop; }

/* Words of p's heap reachable from roots, counting every object once. */
static size_t reachable_heap_words(const Process *p, const Term *roots, size_t nroots)
{
    Stack st = {0};
    AddrMap seen = {0};
    size_t words = 0;
    for (size_t i = 0; i < nroots; i++) stack_push(&st, roots[i], 0);
    while (st.len > 0) {
        Term x = st.items[--st.len].a;
        if (!is_list(x) && !is_boxed(x)) continue;
        const Term *o = object_of(x);
        if (!on_heap(p, o) || !addr_put(&seen, (uintptr_t)o, 0)) continue;
        if (is_list(x)) {
            words += 2;
            stack_push(&st, o[0], 0);
            stack_push(&st, o[1], 0);
            continue;
        }
        size_t arity = header_arity(o[0]), raw = hdr_raw_words(o[0]);
        words += 1 + arity;
        for (size_t i = raw < arity ? raw + 1 : arity + 1; i <= arity; i++) stack_push(&st, o[i], 0);
    }
    free(st.items);
    addr_free(&seen);
    return words;
}

/* All of p's roots: x[0..live), the stack's term words and the Process fields. */
static size_t collect_roots(const Process *p, const Term *x, int live, Term *out)
{
    size_t n = 0;
    for (int i = 0; i < live; i++) out[n++] = x[i];
    for (const Term *s = p->stop; s < p->hend; s++)
        if (!is_header(*s)) out[n++] = *s;
    out[n++] = p->dictionary;
    out[n++] = p->fvalue;
    out[n++] = p->ftrace;
    out[n++] = p->fargs;
    out[n++] = p->group_leader;
    return n;
}

static void assert_heap_is_exactly_live(const Process *p, const Term *x, int live)
{
    size_t n = (size_t)live + (size_t)(p->hend - p->stop) + 5;
    Term *roots = malloc(n * sizeof(Term));
    cr_assert_not_null(roots);
    n = collect_roots(p, x, live, roots);
    cr_assert_eq(reachable_heap_words(p, roots, n), (size_t)(p->htop - p->heap));
    free(roots);
}

static size_t list_length(Term l)
{
    size_t n = 0;
    for (; is_list(l); l = list_tail(l)) n++;
    return n;
}

/* ---- allocation ---- */

Test(heap, init_sizes)
{
    Process *p = proc_new(0);
    cr_assert_eq(heap_block_words(p), HEAP_DEFAULT_WORDS);
    cr_assert_eq(p->min_heap_words, HEAP_DEFAULT_WORDS);
    cr_assert_eq(heap_free_words(p), HEAP_DEFAULT_WORDS);
    cr_assert_eq(heap_used_words(p), 0);
    cr_assert_null(p->frags);
    proc_free(p);

    p = proc_new(5000);
    cr_assert_eq(heap_block_words(p), 5000);
    cr_assert_eq(p->min_heap_words, 5000);
    proc_free(p);
}

Test(heap, alloc_bumps_then_uses_fragments)
{
    Process *p = proc_new(0);
    Term *a = heap_alloc(p, 100);
    cr_assert_eq(a, p->heap);
    cr_assert_eq(p->htop, p->heap + 100);
    push_frame(p, 9);
    cr_assert_eq(heap_used_words(p), 110);

    Term *b = heap_alloc(p, heap_free_words(p) - 1); /* fills the heap but the one word kept free */
    cr_assert_eq(b, p->heap + 100);
    cr_assert_eq(heap_free_words(p), 1);
    cr_assert_null(p->frags);
    cr_assert_eq(heap_alloc(p, 1), p->frags->mem, "the last free word is never handed out");
    p->frags->used = 0;
    p->frag_words = 0;

    Term *c = heap_alloc(p, 3); /* no room: a fragment with spare room */
    cr_assert_not_null(p->frags);
    cr_assert_eq(c, p->frags->mem);
    cr_assert_eq(p->frag_words, 3);
    Term *d = heap_alloc(p, 5); /* shares that fragment */
    cr_assert_eq(d, c + 3);
    cr_assert_null(p->frags->next);
    cr_assert_eq(p->frag_words, 8);

    Term *e = heap_alloc(p, 10000); /* large: its own fragment, the spare stays usable */
    cr_assert_eq(p->frag_words, 10008);
    cr_assert_not_null(p->frags->next);
    Term *f = heap_alloc(p, 2);
    cr_assert_eq(f, d + 5);
    for (size_t i = 0; i < 10000; i++) e[i] = make_small(i); /* ASan checks the size */
    cr_assert_eq(heap_used_words(p), HEAP_DEFAULT_WORDS - 1 + 10010);
    proc_free(p);
}

Test(heap, gc_not_needed_does_nothing)
{
    Process *p = proc_new(0);
    Term x[1] = {cons(p, make_small(1), NIL)};
    Term before = x[0];
    cr_assert_eq(heap_gc(p, 10, x, 1), 0);
    cr_assert_eq(p->gc_count, 0);
    cr_assert_eq(x[0], before);
    proc_free(p);
}

/* ---- collection ---- */

Test(gc, keeps_every_kind_of_object)
{
    Process *p = proc_new(0);
    uint64_t limbs[3] = {0x123456789abcdef0u, 0xfedcba9876543210u, 7};
    Term bin = heap_bin(p, "hello, heap binary", 18);
    Term keys = tuple2(p, AM_ok, make_small(2));
    Term x[8];
    x[0] = tuple3(p, flonum(p, 3.25), bignum(p, limbs, 3, true), bin);
    x[1] = cons(p, sub_bin(p, bin, 3, 0x40), cons(p, raw_object(p, HDR_REF, REF_WORDS, 0x1234), NIL));
    x[2] = fun2(p, (Term)0xdead0, x[0], make_small(-5));
    x[3] = map2(p, keys, flonum(p, -0.0), NIL);
    x[4] = raw_object(p, HDR_EXPORT, 1, 0xbeef0);
    x[5] = raw_object(p, HDR_HASHMAP, 3, make_small(9)); /* bitmap (raw), then two smalls */
    x[6] = make_small(42);
    x[7] = AM_true;

    Process *ref = proc_new(0); /* a copy elsewhere to compare against */
    Term expect[8];
    for (int i = 0; i < 8; i++) expect[i] = term_copy(ref, x[i]);

    cons(p, make_small(1), NIL); /* garbage */
    force_gc(p, x, 8);
    for (int i = 0; i < 8; i++) cr_assert(terms_equal(x[i], expect[i]), "x%d differs", i);
    /* the binary is shared by the tuple and the sub binary: still one object */
    cr_assert_eq(tuple_elems(x[0])[2], boxed_val(list_head(x[1]))[3]);
    cr_assert_eq(boxed_val(x[2])[3], x[0]);
    assert_heap_is_exactly_live(p, x, 8);
    proc_free(ref);
    proc_free(p);
}

Test(gc, raw_words_are_never_followed)
{
    Process *p = proc_new(0);
    Term target = cons(p, make_small(1), NIL);
    /* Raw words that look exactly like pointers into the heap. */
    uint64_t limbs[2] = {target, make_boxed(p->heap)};
    Term x[2];
    x[0] = bignum(p, limbs, 2, false);
    x[1] = sub_bin(p, heap_bin(p, "ab", 2), target, make_boxed(p->heap));
    force_gc(p, x, 2);
    cr_assert_eq(boxed_val(x[0])[1], limbs[0]);
    cr_assert_eq(boxed_val(x[0])[2], limbs[1]);
    cr_assert_eq(boxed_val(x[1])[1], limbs[0]);
    cr_assert_eq(boxed_val(x[1])[2], limbs[1]);
    cr_assert_eq((size_t)(p->htop - p->heap), 3 + 4 + 3); /* the list cell was dropped */
    proc_free(p);
}

Test(gc, drops_garbage)
{
    Process *p = proc_new(0);
    Term x[1] = {NIL};
    for (int i = 0; i < 10000; i++) {
        Term t = tuple2(p, make_small(i), flonum(p, i));
        if (i % 100 == 0) x[0] = cons(p, t, x[0]);
    }
    size_t before = heap_used_words(p);
    cr_assert_gt(before, 50000);
    force_gc(p, x, 1);
    cr_assert_eq(heap_used_words(p), 100 * (2 + 3 + 2));
    cr_assert_null(p->frags);
    cr_assert_eq(p->frag_words, 0);
    cr_assert_eq(list_length(x[0]), 100);
    Term l = x[0];
    for (int i = 9900; i >= 0; i -= 100, l = list_tail(l)) {
        Term t = list_head(l);
        cr_assert_eq(tuple_elems(t)[0], make_small(i));
        cr_assert_eq(float_val(tuple_elems(t)[1]), (double)i);
    }
    proc_free(p);
}

Test(gc, keeps_sharing)
{
    Process *p = proc_new(0);
    Term shared = cons(p, flonum(p, 1.5), cons(p, make_small(2), NIL));
    Term x[3];
    x[0] = tuple3(p, shared, shared, shared);
    x[1] = shared;
    x[2] = cons(p, shared, shared);
    force_gc(p, x, 3);
    Term s = x[1];
    cr_assert_eq(tuple_elems(x[0])[0], s);
    cr_assert_eq(tuple_elems(x[0])[1], s);
    cr_assert_eq(tuple_elems(x[0])[2], s);
    cr_assert_eq(list_head(x[2]), s);
    cr_assert_eq(list_tail(x[2]), s);
    cr_assert_eq(float_val(list_head(s)), 1.5);
    cr_assert_eq((size_t)(p->htop - p->heap), 4 + 2 + 6);
    proc_free(p);
}

Test(gc, stack_frames_and_process_fields_are_roots)
{
    Process *p = proc_new(0);
    push_frame(p, 3);
    YREG(p->stop, 0) = cons(p, make_small(10), NIL);
    YREG(p->stop, 1) = make_catch(77);
    YREG(p->stop, 2) = tuple2(p, AM_error, flonum(p, 2.5));
    push_frame(p, 1); /* a second frame on top */
    YREG(p->stop, 0) = YREG(p->stop + 2, 0);
    p->dictionary = cons(p, tuple2(p, AM_ok, make_small(1)), NIL);
    p->fvalue = tuple2(p, AM_badarg, make_small(3));
    p->ftrace = cons(p, tuple3(p, AM_ok, AM_ok, make_small(0)), NIL);
    p->fargs = cons(p, flonum(p, 9.0), NIL);
    p->group_leader = tuple2(p, AM_undefined, NIL);

    Process *ref = proc_new(0);
    Term y_expect = term_copy(ref, YREG(p->stop + 2, 2));
    Term dict_expect = term_copy(ref, p->dictionary);
    Term fvalue_expect = term_copy(ref, p->fvalue);
    Term ftrace_expect = term_copy(ref, p->ftrace);
    Term fargs_expect = term_copy(ref, p->fargs);
    Term gl_expect = term_copy(ref, p->group_leader);

    for (int i = 0; i < 50; i++) tuple2(p, make_small(i), NIL); /* garbage */
    force_gc(p, NULL, 0);

    cr_assert_eq(p->hend - p->stop, 6);
    cr_assert_eq(p->stop[1], FAKE_CP);
    cr_assert_eq(p->stop[5], FAKE_CP);
    Term *outer = p->stop + 2;
    cr_assert_eq(list_head(YREG(outer, 0)), make_small(10));
    cr_assert_eq(YREG(p->stop, 0), YREG(outer, 0), "sharing between frames");
    cr_assert_eq(YREG(outer, 1), make_catch(77));
    cr_assert(terms_equal(YREG(outer, 2), y_expect));
    cr_assert(terms_equal(p->dictionary, dict_expect));
    cr_assert(terms_equal(p->fvalue, fvalue_expect));
    cr_assert(terms_equal(p->ftrace, ftrace_expect));
    cr_assert(terms_equal(p->fargs, fargs_expect));
    cr_assert(terms_equal(p->group_leader, gl_expect));
    assert_heap_is_exactly_live(p, NULL, 0);
    proc_free(ref);
    proc_free(p);
}

/* {[ok], 5} in area: a tuple and a list cell outside every heap; *words gets its words. */
static Term make_literal(LiteralArea *area, Term **words)
{
    Term *lit = literal_alloc(area, 5);
    lit[0] = AM_ok;
    lit[1] = NIL;
    lit[2] = make_tuple_header(2);
    lit[3] = make_list(lit);
    lit[4] = make_small(5);
    *words = lit;
    return make_boxed(lit + 2);
}

Test(gc, literals_stay_in_place)
{
    LiteralArea *area = literal_area_new();
    Term *lit;
    Term literal = make_literal(area, &lit);

    Process *p = proc_new(0);
    Term x[2];
    x[0] = tuple2(p, literal, cons(p, literal, NIL));
    x[1] = literal;
    force_gc(p, x, 2);
    cr_assert_eq(x[1], literal);
    cr_assert_eq(tuple_elems(x[0])[0], literal);
    cr_assert_eq(list_head(tuple_elems(x[0])[1]), literal);
    cr_assert_eq(lit[2], make_tuple_header(2), "a literal must not get a forwarding mark");
    cr_assert_eq(lit[0], AM_ok);
    cr_assert_eq((size_t)(p->htop - p->heap), 3 + 2);
    proc_free(p);
    literal_area_free(area);
}

/* Releasing a purged module's literals: every reference into the area ends up on the heap,
   sharing kept (one copy per literal object), the area untouched, other literals left alone. */
Test(gc, copy_literals_moves_references_out_of_the_area)
{
    LiteralArea *area = literal_area_new(), *other = literal_area_new();
    Term *lit;
    Term literal = make_literal(area, &lit);
    Term *kept = literal_alloc(other, 2);
    kept[0] = AM_error;
    kept[1] = NIL;
    Term kept_list = make_list(kept);

    Process *p = proc_new(0);
    Term x[3];
    x[0] = tuple2(p, literal, cons(p, literal, NIL));
    x[1] = literal;
    x[2] = kept_list;
    p->fvalue = make_list(lit);
    cr_assert_eq(heap_gc_copy_literals(p, area, x, 3), 0);
    cr_assert(!literal_area_holds(area, boxed_val(x[1])), "the literal must be on the heap now");
    cr_assert_eq(tuple_elems(x[0])[0], x[1], "sharing between references must be kept");
    cr_assert_eq(list_head(tuple_elems(x[0])[1]), x[1]);
    cr_assert_eq(tuple_elems(x[1])[0], p->fvalue, "the inner list is copied once");
    cr_assert(!literal_area_holds(area, list_val(p->fvalue)));
    cr_assert_eq(list_head(p->fvalue), AM_ok);
    cr_assert_eq(tuple_elems(x[1])[1], make_small(5));
    cr_assert_eq(x[2], kept_list, "another area's literal stays in place");
    cr_assert_eq(lit[2], make_tuple_header(2), "the area must not get forwarding marks");
    uint64_t gcs = p->gc_count;
    cr_assert_eq(heap_gc_copy_literals(p, area, x, 3), 0);
    cr_assert_eq(p->gc_count, gcs, "no reference left: no collection");
    proc_free(p);
    literal_area_free(area);
    literal_area_free(other);
}

Test(gc, folds_fragments_in)
{
    Process *p = proc_new(0);
    Term x[3];
    x[0] = tuple2(p, NIL, make_small(1)); /* on the heap */
    heap_alloc(p, heap_free_words(p));    /* heap full of garbage */
    x[1] = cons(p, x[0], NIL);            /* in a fragment, points into the heap */
    tuple_elems(x[0])[0] = x[1];          /* heap points into a fragment (a cycle) */
    x[2] = bignum(p, (uint64_t[]){1, 2, 3, 4}, 4, false);
    for (int i = 0; i < 300; i++) cons(p, make_small(i), NIL); /* garbage in fragments */
    Term big_frag = make_boxed(heap_alloc(p, 1000)); /* a large fragment of its own */
    boxed_val(big_frag)[0] = make_tuple_header(999);
    for (int i = 1; i <= 999; i++) boxed_val(big_frag)[i] = make_small(i);
    tuple_elems(big_frag)[500] = x[2];
    x[2] = big_frag;
    cr_assert_not_null(p->frags);
    cr_assert_not_null(p->frags->next);

    cr_assert_eq(heap_gc(p, 1, x, 3), 0);
    cr_assert_null(p->frags);
    cr_assert_eq(p->frag_words, 0);
    cr_assert_eq(list_head(x[1]), x[0]);
    cr_assert_eq(tuple_elems(x[0])[0], x[1]);
    cr_assert_eq(tuple_elems(x[0])[1], make_small(1));
    cr_assert_eq(tuple_arity(x[2]), 999);
    Term big = tuple_elems(x[2])[500];
    cr_assert_eq(big_limbs(big), 4);
    cr_assert_eq(big_digits(big)[3], 4);
    cr_assert_eq(tuple_elems(x[2])[998], make_small(999));
    cr_assert_eq((size_t)(p->htop - p->heap), 3 + 2 + 1000 + 5);
    assert_heap_is_exactly_live(p, x, 3);
    proc_free(p);
}

Test(gc, collects_when_fragments_outgrow_free_space)
{
    Process *p = proc_new(10000);
    Term x[1] = {NIL};
    Term *hp = heap_alloc(p, 20000); /* a BIF's large result */
    cr_assert_eq(p->frag_words, 20000);
    memset(hp, 0, 20000 * sizeof(Term));
    hp[0] = make_header(19999, HDR_HEAP_BIN);
    hp[1] = 8 * 19998;
    x[0] = make_boxed(hp);
    cr_assert_eq(heap_gc(p, 1, x, 1), 0);
    cr_assert_eq(p->gc_count, 1);
    cr_assert_null(p->frags);
    cr_assert(x[0] == make_boxed(p->heap));
    proc_free(p);
}

Test(gc, many_fragments)
{
    /* Built with heap_alloc only: a long list spread over thousands of fragments. */
    Process *p = proc_new(0);
    Term x[1] = {NIL};
    for (int i = 0; i < 200000; i++) x[0] = cons(p, make_small(i), (i % 3) ? x[0] : cons(p, NIL, x[0]));
    cr_assert_gt(p->frag_words, 100000);
    force_gc(p, x, 1);
    cr_assert_null(p->frags);
    size_t n = 0;
    for (Term l = x[0]; is_list(l); l = list_tail(l)) n++;
    cr_assert_eq(n, 200000 + 66667);
    cr_assert_eq((size_t)(p->htop - p->heap), 2 * n);
    proc_free(p);
}

Test(gc, long_list_is_collected_without_recursion)
{
    Process *p = proc_new(0);
    Term x[2] = {NIL, NIL};
    const int n = 1000000;
    for (int i = 0; i < n; i++) { /* as the interpreter does: test_heap, then build */
        if (heap_free_words(p) < 2) cr_assert_eq(heap_gc(p, 2, x, 1), 0);
        Term *hp = p->htop;
        p->htop += 2;
        hp[0] = make_small(i);
        hp[1] = x[0];
        x[0] = make_list(hp);
    }
    cr_assert_gt(p->gc_count, 10);
    force_gc(p, x, 1);
    cr_assert_gt((size_t)(p->old_htop - p->old_heap), (size_t)n, "most of the list is old");
    int i = n - 1;
    for (Term l = x[0]; is_list(l); l = list_tail(l), i--) cr_assert_eq(list_head(l), make_small(i));
    cr_assert_eq(i, -1);
    force_major_gc(p, x, 1);
    cr_assert_eq((size_t)(p->htop - p->heap), 2u * n);
    proc_free(p);
}

Test(gc, deep_nesting_in_heads)
{
    /* [[[[[] | 0] | 1] | 2] ...]: an iolist built by appending, a million deep. */
    Process *p = proc_new(0);
    Term x[1] = {NIL};
    const int n = 1000000;
    for (int i = 0; i < n; i++) {
        if (heap_free_words(p) < 4) cr_assert_eq(heap_gc(p, 4, x, 1), 0);
        Term *hp = p->htop;
        p->htop += 4;
        hp[0] = make_header(1, HDR_TUPLE);
        hp[1] = make_small(i);
        hp[2] = x[0];
        hp[3] = make_boxed(hp);
        x[0] = make_list(hp + 2);
    }
    force_gc(p, x, 1);
    cr_assert_eq(term_size(x[0]), 4u * n);
    Process *q = proc_new(0);
    Term copy = term_copy(q, x[0]);
    cr_assert(terms_equal(copy, x[0]));
    int i = n - 1;
    for (Term l = x[0]; is_list(l); l = list_head(l), i--)
        cr_assert_eq(tuple_elems(list_tail(l))[0], make_small(i));
    cr_assert_eq(i, -1);
    proc_free(q);
    proc_free(p);
}

Test(gc, grows_with_a_growing_workload)
{
    Process *p = proc_new(0);
    push_frame(p, 2);
    Term x[2] = {NIL, NIL};
    /* the live data ends in the old generation once it is worth one: count both blocks */
    size_t prev_size = heap_block_words(p);
    int grew = 0;
    for (int i = 0; i < 200000; i++) {
        if (heap_free_words(p) < 7) {
            cr_assert_eq(heap_gc(p, 7, x, 2), 0);
            /* young live data, stack and need fill at most 3/4 of the block */
            cr_assert_leq(block_used_words(p) + 7, heap_block_words(p) / 4 * 3);
        }
        Term *hp = p->htop;
        p->htop += 7;
        hp[0] = make_header(1, HDR_FLOAT);
        memcpy(hp + 1, &(double){i * 0.5}, sizeof(double));
        hp[2] = make_tuple_header(2);
        hp[3] = make_small(i);
        hp[4] = make_boxed(hp);
        hp[5] = make_boxed(hp + 2);
        hp[6] = (i % 2) ? x[0] : YREG(p->stop, 1);
        if (i % 2) x[0] = make_list(hp + 5);
        else YREG(p->stop, 1) = make_list(hp + 5);
        x[1] = make_small(i); /* an immediate root */
        size_t size = heap_block_words(p) + (size_t)(p->old_hend - p->old_heap);
        if (size > prev_size) grew++;
        prev_size = size;
    }
    cr_assert_gt(grew, 10);
    cr_assert_eq(p->stop[2], FAKE_CP);
    force_gc(p, x, 2);
    Term lists[2] = {YREG(p->stop, 1), x[0]};
    for (int k = 0; k < 2; k++) {
        int i = 199999 - (k == 0);
        for (Term l = lists[k]; is_list(l); l = list_tail(l), i -= 2) {
            Term t = list_head(l);
            cr_assert_eq(tuple_elems(t)[0], make_small(i));
            cr_assert_eq(float_val(tuple_elems(t)[1]), i * 0.5);
        }
        cr_assert_eq(i, -1 - (k == 0));
    }
    assert_heap_is_exactly_live(p, x, 2);
    proc_free(p);
}

Test(gc, shrinks_when_mostly_empty)
{
    Process *p = proc_new(0);
    Term x[1] = {NIL};
    for (int i = 0; i < 100000; i++) {
        if (heap_free_words(p) < 3) cr_assert_eq(heap_gc(p, 3, x, 1), 0);
        Term *hp = p->htop;
        p->htop += 3;
        hp[0] = make_tuple_header(2);
        hp[1] = make_small(i);
        hp[2] = x[0];
        x[0] = make_boxed(hp);
    }
    size_t big = heap_block_words(p);
    cr_assert_gt(big, 300000);
    tuple_elems(x[0])[1] = NIL; /* only the last tuple stays live */
    force_major_gc(p, x, 1);
    cr_assert_eq(heap_block_words(p), HEAP_DEFAULT_WORDS, "shrinks, but not below the minimum");
    cr_assert_eq(tuple_elems(x[0])[0], make_small(99999));
    cr_assert_eq(tuple_elems(x[0])[1], NIL);
    proc_free(p);
}

Test(gc, grows_past_a_full_block)
{
    /* All live and the worst case exactly a heap size: the block is then regrown. */
    Process *p = proc_new(0);
    push_frame(p, 1);
    Term x[1];
    x[0] = cons(p, tuple2(p, flonum(p, 7.0), NIL), NIL);
    YREG(p->stop, 0) = x[0];
    p->dictionary = x[0];
    size_t used = heap_used_words(p); /* 7 heap words, 2 stack words */
    cr_assert_eq(heap_gc(p, 4185 - used, x, 1), 0);
    cr_assert_eq(heap_block_words(p), 10958);
    cr_assert_geq(heap_free_words(p), 4185 - used);
    cr_assert_eq(YREG(p->stop, 0), x[0]);
    cr_assert_eq(p->dictionary, x[0]);
    cr_assert_eq(p->stop[1], FAKE_CP);
    cr_assert_eq(float_val(tuple_elems(list_head(x[0]))[0]), 7.0);
    assert_heap_is_exactly_live(p, x, 1);
    proc_free(p);
}

Test(gc, impossible_request_fails_cleanly)
{
    Process *p = proc_new(0);
    Term x[1] = {cons(p, make_small(3), NIL)};
    Term before = x[0];
    cr_assert_eq(heap_gc(p, SIZE_MAX / 4, x, 1), -1);
    cr_assert_eq(x[0], before);
    cr_assert_eq(list_head(x[0]), make_small(3));
    cr_assert_eq(p->gc_count, 0);
    proc_free(p);
}

/* ---- term_copy ---- */

Test(term_copy, copies_between_heaps)
{
    Process *a = proc_new(0), *b = proc_new(0);
    Term shared = tuple2(a, flonum(a, 0.25), heap_bin(a, "xyz", 3));
    Term t = cons(a, shared, cons(a, shared, fun2(a, (Term)0x5550, shared, AM_ok)));
    size_t size = term_size(t);
    cr_assert_eq(size, 2 + 2 + 5 + 3 * (3 + 2 + 3));
    Term *before = b->htop;
    Term c = term_copy(b, t);
    cr_assert_eq(b->htop - before, (ptrdiff_t)size);
    cr_assert(terms_equal(c, t));
    cr_assert_neq(list_head(c), list_head(list_tail(c)), "a shared subterm is copied per reference");
    proc_free(a);
    /* the copy does not depend on the source */
    cr_assert_eq(float_val(tuple_elems(list_head(c))[0]), 0.25);
    cr_assert_eq(boxed_val(list_tail(list_tail(c)))[1], (Term)0x5550);
    proc_free(b);
}

Test(term_copy, immediates_and_literals)
{
    Process *p = proc_new(0);
    cr_assert_eq(term_size(make_small(5)), 0);
    cr_assert_eq(term_copy(p, AM_ok), AM_ok);
    cr_assert_eq(term_copy(p, NIL), NIL);
    cr_assert_eq(p->htop, p->heap);

    LiteralArea *area = literal_area_new();
    Term *lit = literal_alloc(area, 6);
    lit[0] = make_header(1, HDR_FLOAT);
    memcpy(lit + 1, &(double){-2.5}, sizeof(double));
    lit[2] = make_boxed(lit);
    lit[3] = NIL;
    lit[4] = make_list(lit + 2);
    lit[5] = make_list(lit + 2);
    Term l = make_list(lit + 4);
    Term c = term_copy(p, l);
    literal_area_free(area);
    cr_assert_eq(p->htop - p->heap, 2 + 2 + 2 + 2 * 2);
    cr_assert_eq(float_val(list_head(list_head(c))), -2.5);
    cr_assert_eq(float_val(list_head(list_tail(c))), -2.5);
    proc_free(p);
}

Test(term_copy, long_list_into_a_fragment)
{
    Process *a = proc_new(0), *b = proc_new(0);
    Term x[1] = {NIL};
    for (int i = 0; i < 1000000; i++) {
        if (heap_free_words(a) < 2) cr_assert_eq(heap_gc(a, 2, x, 1), 0);
        Term *hp = a->htop;
        a->htop += 2;
        hp[0] = make_small(i);
        hp[1] = x[0];
        x[0] = make_list(hp);
    }
    cr_assert_eq(term_size(x[0]), 2000000);
    Term c = term_copy(b, x[0]); /* far more than b's heap: lands in a fragment */
    cr_assert_eq(b->frag_words, 2000000);
    cr_assert(terms_equal(c, x[0]));
    force_gc(b, &c, 1);
    cr_assert(terms_equal(c, x[0]));
    proc_free(a);
    proc_free(b);
}

/* ---- generations ---- */

static bool in_old_generation(const Process *p, Term t)
{
    const Term *obj = is_list(t) ? list_val(t) : boxed_val(t);
    return obj >= p->old_heap && obj < p->old_htop;
}

/* [{n-1, n-1}, ..., {0, 0}] built with heap_alloc (5 words an element). */
static Term pair_list(Process *p, int n)
{
    Term l = NIL;
    for (int i = 0; i < n; i++) l = cons(p, tuple2(p, make_small(i), make_small(i)), l);
    return l;
}

/* Fills the free heap with garbage and collects (minor or major, as heap_gc decides). */
static void churn(Process *p, Term *x, int live, int times)
{
    for (int i = 0; i < times; i++) force_gc(p, x, live);
}

static void assert_pair_list(Term l, int n)
{
    for (int i = n - 1; i >= 0; i--, l = list_tail(l))
        cr_assert_eq(tuple_elems(list_head(l))[0], make_small(i), "element %d", i);
    cr_assert(is_nil(l));
}

Test(gc, survivors_of_two_collections_are_promoted_and_then_left_in_place)
{
    Process *p = proc_new(0);
    Term x[2] = {pair_list(p, 4000), NIL}; /* 20000 words: worth an old generation */
    force_gc(p, x, 2);
    cr_assert_null(p->old_heap, "one collection survived: still young");
    force_gc(p, x, 2);
    cr_assert_not_null(p->old_heap);
    cr_assert(in_old_generation(p, x[0]));
    Term old = x[0];
    size_t old_used = (size_t)(p->old_htop - p->old_heap);
    for (int round = 0; round < 20; round++) {
        x[1] = cons(p, make_small(round), x[1]); /* young data that lives on */
        churn(p, x, 2, 1);
        cr_assert_eq(x[0], old, "minor collections do not move old objects");
    }
    cr_assert_leq((size_t)(p->old_htop - p->old_heap), old_used + 2 * 20, "only the young list joined it");
    assert_pair_list(x[0], 4000);
    for (int round = 19; round >= 0; round--, x[1] = list_tail(x[1])) cr_assert_eq(list_head(x[1]), make_small(round));
    proc_free(p);
}

Test(gc, old_garbage_goes_at_the_major_collection)
{
    Process *p = proc_new(0);
    Term x[2] = {pair_list(p, 4000), pair_list(p, 100)};
    churn(p, x, 2, 2);
    cr_assert(in_old_generation(p, x[0]));
    x[0] = NIL; /* the old list dies */
    churn(p, x, 1, 3);
    cr_assert_geq((size_t)(p->old_htop - p->old_heap), 20000, "minor collections keep it");
    force_major_gc(p, x, 2);
    assert_heap_is_exactly_live(p, x, 2);
    assert_pair_list(x[1], 100);
    proc_free(p);
}

/* A peak leaves a large young heap; once the data is dead, minor collections shrink it as
   OTP's do (3x what is live, at least an eighth of the old generation), keeping the stack. */
Test(gc, a_minor_collection_shrinks_a_heap_left_large_by_a_peak)
{
    Process *p = proc_new(0);
    Term x[2] = {pair_list(p, 4000), NIL};
    churn(p, x, 1, 2);
    cr_assert(in_old_generation(p, x[0]));
    push_frame(p, 3);
    YREG(p->stop, 1) = x[0];
    x[1] = pair_list(p, 60000); /* the peak: 300000 words */
    force_gc(p, x, 2);
    size_t peak = (size_t)(p->hend - p->heap);
    cr_assert_geq(peak, 300000);
    x[1] = pair_list(p, 10);
    churn(p, x, 2, 2);
    size_t size = (size_t)(p->hend - p->heap), old = (size_t)(p->old_hend - p->old_heap);
    cr_assert_lt(size, peak / 8, "shrunk: %zu words of %zu", size, peak);
    cr_assert_geq(size, old / 8);
    cr_assert_eq(p->stop[3], FAKE_CP, "the frame moved with the stack's end");
    cr_assert_eq(YREG(p->stop, 1), x[0]);
    assert_pair_list(x[0], 4000);
    assert_pair_list(x[1], 10);
    proc_free(p);
}

Test(gc, a_full_old_generation_makes_a_major_collection)
{
    Process *p = proc_new(0);
    Term x[1] = {NIL};
    /* a list that keeps growing: its old part is promoted and fills the old generation */
    for (int i = 0; i < 200000; i++) {
        if (heap_free_words(p) < 5) cr_assert_eq(heap_gc(p, 5, x, 1), 0);
        x[0] = cons(p, tuple2(p, make_small(i), make_small(i)), x[0]);
    }
    assert_pair_list(x[0], 200000);
    /* the last collection may have been the major one, which empties the old generation */
    cr_assert_eq(heap_gc(p, heap_free_words(p) + 1, x, 1), 0);
    assert_pair_list(x[0], 200000);
    cr_assert_not_null(p->old_heap);
    cr_assert_geq((size_t)(p->old_hend - p->old_heap), 5 * 100000, "grew by major collections");
    proc_free(p);
}

Test(gc, dictionary_updated_in_place_in_the_old_generation)
{
    Process *p = proc_new(0);
    /* enough keys that the table, its buckets and pairs reach the old generation */
    const int n = 3000;
    for (int k = 0; k < n; k++) pdict_put(p, make_small(k), make_small(k));
    Term x[1] = {NIL};
    churn(p, x, 0, 2);
    cr_assert_not_null(p->old_heap);
    cr_assert(in_old_generation(p, p->dictionary));
    for (int round = 1; round <= 4; round++) {
        /* young values put under old keys (replaced in place), new keys, erased keys */
        for (int k = 0; k < n; k += 7) pdict_put(p, make_small(k), tuple2(p, make_small(k), make_small(round)));
        pdict_put(p, make_small(n + round), cons(p, make_small(round), NIL));
        pdict_erase(p, make_small(round * 11));
        churn(p, x, 0, 2);
        for (int k = 0; k < n; k += 7) { /* (no multiple of 7 below 77 is erased) */
            Term v = pdict_get(p, make_small(k));
            cr_assert(is_tuple(v), "key %d round %d", k, round);
            cr_assert_eq(tuple_elems(v)[1], make_small(round));
        }
        cr_assert_eq(list_head(pdict_get(p, make_small(n + round))), make_small(round));
    }
    cr_assert_eq(pdict_get(p, make_small(1)), make_small(1));
    cr_assert_eq(pdict_get(p, make_small(22)), AM_undefined, "erased in round 2");
    proc_free(p);
}

/* ---- stress: random graphs, random roots, random collections ---- */

#define NX 12
#define NY 6

static uint64_t rng_state = 0x9E3779B97F4A7C15u;
static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

typedef struct Roots {
    Term x[NX];
} Roots;

static Term *root_slot(Process *p, Roots *r, unsigned k)
{
    k %= NX + NY + 2;
    if (k < NX) return &r->x[k];
    if (k < NX + NY) return &YREG(p->stop, k - NX);
    return k == NX + NY ? &p->dictionary : &p->fvalue;
}

/* Words the next random object needs; its kind is decided by `kind`. */
static size_t object_words(unsigned kind, unsigned n)
{
    switch (kind) {
    case 0: return 2;         /* cons */
    case 1: return 1 + n;     /* tuple */
    case 2: return FLOAT_WORDS;
    case 3: return 1 + n;     /* bignum */
    case 4: return 2 + n;     /* heap binary of 8n bytes */
    default: return 4;        /* sub binary */
    }
}

/*
 * Builds one random object from existing roots into hp, returns it. A cons
 * or tuple links to `keep` (the old value of the slot it will replace) when
 * that is a value, so that the live data grows.
 */
static Term build_object(Process *p, Roots *r, Term *hp, unsigned kind, unsigned n, Term keep)
{
    switch (kind) {
    case 0:
        hp[0] = *root_slot(p, r, (unsigned)rnd());
        hp[1] = is_value(keep) ? keep : *root_slot(p, r, (unsigned)rnd());
        if (!is_list(hp[1]) && !is_nil(hp[1]) && rnd() % 2) hp[1] = NIL;
        return make_list(hp);
    case 1:
        hp[0] = make_tuple_header(n);
        for (unsigned i = 1; i <= n; i++)
            hp[i] = rnd() % 4 ? *root_slot(p, r, (unsigned)rnd()) : make_small((intptr_t)(rnd() % 1000));
        if (is_value(keep)) hp[1] = keep;
        return make_boxed(hp);
    case 2: return make_float(hp, (double)(rnd() % 100000) / 7);
    case 3:
        hp[0] = make_header(n, HDR_POS_BIG);
        for (unsigned i = 1; i <= n; i++) hp[i] = rnd();
        return make_boxed(hp);
    case 4:
        hp[0] = make_header(1 + n, HDR_HEAP_BIN);
        hp[1] = 8 * n;
        for (unsigned i = 0; i < n; i++) hp[2 + i] = rnd();
        return make_boxed(hp);
    default: {
        Term orig = *root_slot(p, r, (unsigned)rnd());
        hp[0] = make_header(3, HDR_SUB_BIN);
        hp[1] = rnd();
        hp[2] = rnd() & ~(Term)3; /* looks like a header or pointer: raw anyway */
        hp[3] = orig;
        return make_boxed(hp);
    }
    }
}

static uint64_t roots_hash(Process *p, Roots *r)
{
    AddrMap memo = {0};
    uint64_t h = 0;
    for (unsigned k = 0; k < NX + NY + 2; k++) h = mix(h, dag_hash(*root_slot(p, r, k), &memo));
    addr_free(&memo);
    return h;
}

Test(gc, random_graphs_survive_many_collections)
{
    Process *p = proc_new(0);
    push_frame(p, NY);
    p->fvalue = NIL;
    Roots r;
    for (int i = 0; i < NX; i++) r.x[i] = make_small(i);
    uint64_t checks = 0;
    size_t largest = 0;
    bool had_old = false;
    for (int iter = 0; iter < 300000; iter++) {
        bool growing = (iter / 25000) % 2 == 0; /* phases of growth and of dropping */
        unsigned dest = (unsigned)rnd();
        unsigned kind = (unsigned)(rnd() % 6), n = 1 + (unsigned)(rnd() % 6);
        if (growing && kind > 1) dest = NX - 1; /* leaves go to a scratch root */
        size_t words = object_words(kind, n);
        Term *hp;
        if (rnd() % 4 == 0) {
            hp = heap_alloc(p, words); /* BIF style: may land in a fragment */
        } else {
            if (heap_free_words(p) < words) {
                cr_assert_eq(heap_gc(p, words, r.x, NX), 0);
                cr_assert_geq(heap_free_words(p), words);
            }
            hp = p->htop;
            p->htop += words;
        }
        Term *slot = root_slot(p, &r, dest);
        *slot = build_object(p, &r, hp, kind, n, growing ? *slot : THE_NON_VALUE);
        if (rnd() % (growing ? 1024 : 8) == 0) *root_slot(p, &r, (unsigned)rnd()) = make_small(iter);
        if (heap_block_words(p) > largest) largest = heap_block_words(p);
        if (p->old_heap) had_old = true;
        if (iter % 997 == 0) {
            uint64_t h = roots_hash(p, &r);
            if (iter % 3 == 0) force_major_gc(p, r.x, NX);
            else force_gc(p, r.x, NX);
            cr_assert_eq(roots_hash(p, &r), h, "iteration %d", iter);
            assert_heap_is_exactly_live(p, r.x, NX);
            checks++;
        }
    }
    cr_assert_gt(checks, 300);
    /* hundreds of collections (how many depends on how fast the heap grows) */
    cr_assert_gt(p->gc_count, 500, "%lu collections", (unsigned long)p->gc_count);
    cr_assert_gt(largest, 50000, "the heap grew");
    cr_assert(had_old, "with an old generation");
    force_major_gc(p, r.x, NX);
    cr_assert_lt(heap_block_words(p), largest / 4, "and shrank");
    proc_free(p);
}
