/*
 * term_copy.c - copying a term onto a heap (term_size, term_copy,
 * term_copy_to; see heap.h). Used for messages and for literals.
 *
 * Both walks are iterative, so neither a long list nor a deep nesting (an
 * iolist built as [[[A|B]|C]|D]) can overflow the C stack.
 *
 * term_size keeps an explicit stack of spans of term words still to visit;
 * a list cell is a span of two words, so walking along a tail pops the
 * cell's span before pushing the next cell's and the stack grows only with
 * nesting depth.
 *
 * term_copy_to needs no stack at all: it copies the root object to the
 * destination, then scans the destination word by word as the collector
 * does (gc.c), copying each object a scanned word refers to to the end of
 * the copied area. Every scanned word still refers to the source, since
 * each is scanned exactly once, so no forwarding marks are needed; the
 * price is that a subterm shared in the source is copied once per
 * reference, which is what term_size counts.
 *
 * A copied reference-counted binary handle takes a new reference to its
 * Binary (and stops it from growing in place: see binary.h). term_copy
 * links the copies into the process's off-heap list; the caller of
 * term_copy_to must have them adopted or dropped (binary_adopt_copy,
 * binary_drop_copy).
 */
#include "runtime/proc/heap.h"

#include "runtime/term/binary.h"
#include "runtime/term/offheap.h"

#include <stdio.h>
#include <stdlib.h>

/* ---- flat tuples ---- */

#define FLAT_MAX_ARITY 8

/*
 * The words of a small tuple whose elements are all immediates, else 0.
 * Most messages are such tuples ({token, N}, {ping, Pid, N}): they are
 * measured and copied without the general walks below.
 */
static inline size_t flat_tuple_words(Term t)
{
    if (!is_tuple(t)) return 0;
    const Term *obj = boxed_val(t);
    size_t arity = header_arity(obj[0]);
    if (arity > FLAT_MAX_ARITY) return 0;
    for (size_t i = 1; i <= arity; i++)
        if (!is_immed(obj[i])) return 0;
    return 1 + arity;
}

/* ---- term_size ---- */

typedef struct Span {
    const Term *words;
    size_t n;
} Span;

#define SPAN_INLINE 64

typedef struct SpanStack {
    Span *items;
    size_t len, cap;
    Span inline_items[SPAN_INLINE];
} SpanStack;

static void span_init(SpanStack *s)
{
    s->items = s->inline_items;
    s->len = 0;
    s->cap = SPAN_INLINE;
}

static void span_free(SpanStack *s)
{
    if (s->items != s->inline_items) free(s->items);
}

static __attribute__((cold, noinline)) void span_grow(SpanStack *s)
{
    size_t cap = s->cap * 2;
    Span *items = s->items == s->inline_items ? malloc(cap * sizeof(Span))
                                              : realloc(s->items, cap * sizeof(Span));
    if (!items) {
        fprintf(stderr, "erbium: out of memory measuring a term\n");
        abort();
    }
    if (s->items == s->inline_items) memcpy(items, s->inline_items, sizeof s->inline_items);
    s->items = items;
    s->cap = cap;
}

static inline void span_push(SpanStack *s, const Term *words, size_t n)
{
    if (s->len == s->cap) span_grow(s);
    s->items[s->len++] = (Span){words, n};
}

size_t term_size(Term t)
{
    size_t flat = flat_tuple_words(t);
    if (flat) return flat;
    SpanStack st;
    span_init(&st);
    size_t words = 0;
    span_push(&st, &t, 1);
    while (st.len > 0) {
        Span *top = &st.items[st.len - 1];
        Term x = *top->words++;
        if (--top->n == 0) st.len--;
        if (is_list(x)) {
            words += 2;
            span_push(&st, list_val(x), 2);
        } else if (is_boxed(x)) {
            const Term *obj = boxed_val(x);
            size_t arity = header_arity(obj[0]), raw = hdr_raw_words(obj[0]);
            words += 1 + arity;
            if (raw < arity) span_push(&st, obj + 1 + raw, arity - raw);
        }
    }
    span_free(&st);
    return words;
}

/* ---- term_copy_to ---- */

/* Copies the object *slot refers to (if any) to *top and makes *slot refer to the copy. */
static inline void copy_one(Term *slot, Term **top)
{
    Term t = *slot;
    Term *dst = *top;
    if (is_list(t)) {
        const Term *cell = list_val(t);
        dst[0] = cell[0];
        dst[1] = cell[1];
        *top = dst + 2;
        *slot = make_list(dst);
    } else if (is_boxed(t)) {
        const Term *obj = boxed_val(t);
        size_t words = 1 + header_arity(obj[0]);
        memcpy(dst, obj, words * sizeof(Term));
        *top = dst + words;
        *slot = make_boxed(dst);
        if (offheap_is_handle(obj[0])) offheap_copied(dst);
    }
}

Term term_copy_to(Term t, Term *hp)
{
    size_t flat = flat_tuple_words(t);
    if (flat) {
        memcpy(hp, boxed_val(t), flat * sizeof(Term));
        return make_boxed(hp);
    }
    Term *top = hp;
    copy_one(&t, &top);
    for (Term *scan = hp; scan < top;) {
        if (is_header(*scan)) {
            size_t arity = header_arity(*scan), raw = hdr_raw_words(*scan);
            Term *end = scan + 1 + arity;
            if (raw < arity)
                for (Term *s = scan + 1 + raw; s < end; s++) copy_one(s, &top);
            scan = end;
        } else {
            copy_one(scan, &top);
            copy_one(scan + 1, &top);
            scan += 2;
        }
    }
    return t;
}

Term term_copy(Process *p, Term t)
{
    if (is_immed(t)) return t;
    size_t words = term_size(t);
    Term *hp = heap_alloc(p, words);
    Term copy = term_copy_to(t, hp);
    binary_adopt_copy(p, hp, words);
    return copy;
}
