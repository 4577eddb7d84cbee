/*
 * bif_term_size.c - erts_debug:flat_size/1, size_shared/1 and same/2: the
 * words a term takes, counted as OTP 25 lays terms out on a 64-bit heap, so
 * that programs that print them (memory tutorials, tests of sharing) print
 * what they print on OTP.
 *
 * OTP's sizes, per object: a cons 2; a tuple 1 + arity ({} is a shared
 * constant: 0); a float 2; a bignum 1 + its 64-bit digits; a reference 3; a
 * fun 5 + its free variables; a flat map 3 + n values + a keys tuple; a
 * large map's root node 2 + children, every other node 1 + children, and a
 * cons cell per pair. A binary of up to 64 bytes is a heap binary of
 * 2 + its words, a larger one a 6-word handle; a bitstring that does not
 * end on a byte boundary adds a 5-word sub binary to the bytes it covers
 * (rounded up by one byte, or two when its bits cross a byte of the
 * original). Immediates take nothing.
 *
 * size_shared counts each object once, however often it is reached, and
 * leaves out literals (terms outside the process's heaps), as OTP does.
 */
#include "runtime/bif/bif.h"

#include "runtime/term/big.h"
#include "runtime/term/binary.h"
#include "runtime/term/map.h"

#include <stdlib.h>

#define OTP_PROC_BIN 6
#define OTP_SUB_BIN 5
#define OTP_REF 3
#define OTP_FUN 5
#define OTP_FLATMAP_HEAD 3

static size_t otp_heap_bin_words(size_t bytes) { return 2 + (bytes + 7) / 8; }

static size_t whole_binary_words(size_t bytes)
{
    return bytes <= BINARY_HEAP_MAX ? otp_heap_bin_words(bytes) : OTP_PROC_BIN;
}

static size_t sub_binary_words(const Term *hp)
{
    size_t bits = hp[1], offset = hp[2];
    const Term *orig = boxed_val(hp[3]);
    size_t orig_bytes = orig[1];
    size_t bytes = bits / 8, tail = bits % 8 + offset % 8;
    if (tail == 0) return whole_binary_words(bytes);
    size_t extra = tail > 8 ? 2 : 1;
    bool refc = header_subtag(orig[0]) == HDR_REFC_BIN || orig_bytes > BINARY_HEAP_MAX;
    return OTP_SUB_BIN + (refc ? OTP_PROC_BIN : otp_heap_bin_words(bytes + extra));
}

/* Words of the object at hp alone (not of the terms it holds). */
static size_t object_words(const Term *hp, bool root)
{
    Term hdr = hp[0];
    switch (header_subtag(hdr)) {
    case HDR_TUPLE: return header_arity(hdr) ? 1 + header_arity(hdr) : 0;
    case HDR_FLOAT: return 2;
    case HDR_POS_BIG:
    case HDR_NEG_BIG: return 1 + header_arity(hdr);
    case HDR_REF: return OTP_REF;
    case HDR_FUN: return OTP_FUN + (header_arity(hdr) - 2);
    case HDR_EXPORT: return OTP_FUN;
    case HDR_HEAP_BIN:
    case HDR_REFC_BIN: return whole_binary_words(hp[1]);
    case HDR_SUB_BIN: return sub_binary_words(hp);
    case HDR_MAP: return OTP_FLATMAP_HEAD + hp[1];
    case HDR_HASHMAP: return (root ? 2 : 1) + (header_arity(hdr) - 1);
    default: return 0;
    }
}

/* ---- walking a term ---- */

typedef struct Walk {
    Term *stack;
    size_t n, cap;
    const Term **seen; /* open addressing; NULL when every reach counts */
    size_t seen_cap, seen_n;
    const Process *p;  /* with seen: objects off its heaps are literals */
} Walk;

static void push(Walk *w, Term t)
{
    if (is_immed(t)) return;
    if (w->n == w->cap) {
        w->cap = w->cap ? 2 * w->cap : 64;
        w->stack = realloc(w->stack, w->cap * sizeof *w->stack);
        if (!w->stack) abort();
    }
    w->stack[w->n++] = t;
}

static size_t slot_of(const Term *obj, size_t cap) { return ((uintptr_t)obj >> 3) * 0x9E3779B97F4A7C15u >> 7 & (cap - 1); }

static void grow_seen(Walk *w)
{
    size_t old_cap = w->seen_cap;
    const Term **old = w->seen;
    w->seen_cap = old_cap ? 2 * old_cap : 256;
    w->seen = calloc(w->seen_cap, sizeof *w->seen);
    if (!w->seen) abort();
    for (size_t i = 0; i < old_cap; i++) {
        if (!old[i]) continue;
        size_t s = slot_of(old[i], w->seen_cap);
        while (w->seen[s]) s = (s + 1) & (w->seen_cap - 1);
        w->seen[s] = old[i];
    }
    free(old);
}

/* True the first time obj is met. */
static bool first_visit(Walk *w, const Term *obj)
{
    if (2 * (w->seen_n + 1) > w->seen_cap) grow_seen(w);
    size_t s = slot_of(obj, w->seen_cap);
    for (; w->seen[s]; s = (s + 1) & (w->seen_cap - 1))
        if (w->seen[s] == obj) return false;
    w->seen[s] = obj;
    w->seen_n++;
    return true;
}

static bool within(const Term *obj, const Term *lo, const Term *hi) { return lo && obj >= lo && obj < hi; }

static bool on_heaps(const Process *p, const Term *obj)
{
    if (within(obj, p->heap, p->hend) || within(obj, p->old_heap, p->old_hend)) return true;
    for (const HeapFrag *f = p->frags; f; f = f->next)
        if (within(obj, f->mem, f->mem + f->used)) return true;
    return false;
}

/* Pushes the terms the object at hp holds. */
static void push_children(Walk *w, const Term *hp)
{
    Term hdr = hp[0];
    size_t arity = header_arity(hdr);
    switch (header_subtag(hdr)) {
    case HDR_TUPLE:
        for (size_t i = 1; i <= arity; i++) push(w, hp[i]);
        break;
    case HDR_FUN: /* FunEntry*, creator pid, free variables */
        for (size_t i = 3; i <= arity; i++) push(w, hp[i]);
        break;
    case HDR_MAP: /* count, keys tuple, values */
        for (size_t i = 2; i <= arity; i++) push(w, hp[i]);
        break;
    case HDR_HASHMAP: /* count and bitmap, children */
        for (size_t i = 2; i <= arity; i++) push(w, hp[i]);
        break;
    default: break;
    }
}

static size_t walk(Walk *w, Term root)
{
    size_t words = 0;
    push(w, root);
    while (w->n > 0) {
        Term t = w->stack[--w->n];
        const Term *obj = is_list(t) ? list_val(t) : boxed_val(t);
        if (w->seen && (!on_heaps(w->p, obj) || !first_visit(w, obj))) continue;
        if (is_list(t)) {
            words += 2;
            push(w, obj[1]);
            push(w, obj[0]);
            continue;
        }
        words += object_words(obj, t == root);
        push_children(w, obj);
    }
    free(w->stack);
    free(w->seen);
    return words;
}

Term bif_erts_debug_flat_size_1(Process *p, const Term *args)
{
    Walk w = {0};
    return int_from_u64(p, walk(&w, args[0]));
}

Term bif_erts_debug_size_shared_1(Process *p, const Term *args)
{
    Walk w = {.p = p};
    grow_seen(&w);
    return int_from_u64(p, walk(&w, args[0]));
}

/* same(A, B): true if A and B are the same object in memory (or equal immediates). */
Term bif_erts_debug_same_2(Process *p, const Term *args)
{
    (void)p;
    return args[0] == args[1] ? AM_true : AM_false;
}
