/* ets_obj.c - objects copied into and out of table memory (see ets.h). */
#include "runtime/ets/ets.h"

#include "runtime/proc/heap.h"
#include "runtime/term/binary.h"

#include <stdlib.h>
#include <string.h>

/* OTP 25's words for a binary of n bytes: a heap binary up to 64 bytes, else a ProcBin. */
#define OTP_HEAP_BIN_MAX 64
#define OTP_PROC_BIN_WORDS 6
#define OTP_SUB_BIN_WORDS 5

/* Calls fn(ctx, hp) for every boxed object (its header at hp) inside t. */
typedef void (*BoxedFn)(void *ctx, const Term *hp);

typedef struct Span {
    const Term *w;
    size_t n;
} Span;

static void each_boxed(Term t, BoxedFn fn, void *ctx)
{
    Span inline_stack[64], *stack = inline_stack;
    size_t len = 0, cap = 64;
    stack[len++] = (Span){&t, 1};
    while (len > 0) {
        Span *top = &stack[len - 1];
        Term x = *top->w++;
        if (--top->n == 0) len--;
        Span push = {NULL, 0};
        if (is_list(x)) {
            push = (Span){list_val(x), 2};
        } else if (is_boxed(x)) {
            const Term *hp = boxed_val(x);
            fn(ctx, hp);
            size_t arity = header_arity(hp[0]), raw = hdr_raw_words(hp[0]);
            if (raw < arity) push = (Span){hp + 1 + raw, arity - raw};
        }
        if (!push.n) continue;
        if (len == cap) {
            Span *n = malloc(2 * cap * sizeof(Span));
            if (!n) abort();
            memcpy(n, stack, len * sizeof(Span));
            if (stack != inline_stack) free(stack);
            stack = n;
            cap *= 2;
        }
        stack[len++] = push;
    }
    if (stack != inline_stack) free(stack);
}

static bool is_bin_header(Term hdr)
{
    unsigned s = header_subtag(hdr);
    return s == HDR_HEAP_BIN || s == HDR_REFC_BIN || s == HDR_SUB_BIN;
}

static void note_bin(void *ctx, const Term *hp)
{
    if (is_bin_header(hp[0])) *(bool *)ctx = true;
}

/* A tuple of immediates (most objects) holds no binary: no need to look. */
static bool flat(Term t)
{
    const Term *e = tuple_elems(t);
    for (size_t i = 0; i < tuple_arity(t); i++)
        if (!is_immed(e[i])) return false;
    return true;
}

EtsObj *ets_obj_new(Term t, uint32_t hash)
{
    /* a tuple of immediates is its words as they are: no walk to size or copy it */
    bool is_flat = is_tuple(t) && flat(t);
    size_t words = is_flat ? 1 + tuple_arity(t) : term_size(t);
    if (words >= (1u << 30)) return NULL;
    EtsObj *o = malloc(sizeof(EtsObj) + words * sizeof(Term));
    if (!o) return NULL;
    o->next = NULL;
    o->hash = hash;
    o->words = (uint32_t)words;
    bool bin = false;
    if (is_flat) {
        memcpy(o->data, boxed_val(t), words * sizeof(Term));
        o->term = make_boxed(o->data);
    } else {
        o->term = term_copy_to(t, o->data); /* takes a reference on each refc binary */
        each_boxed(o->term, note_bin, &bin);
    }
    o->has_bin = bin;
    o->dead = 0;
    return o;
}

Term ets_obj_copy_out(const EtsObj *o, Term *hp, bool *plain)
{
    *plain = is_tuple(o->term) && o->words == 1 + tuple_arity(o->term) && flat(o->term);
    if (!*plain) return term_copy_to(o->term, hp);
    memcpy(hp, o->data, o->words * sizeof(Term));
    return make_boxed(hp);
}

void ets_obj_free(EtsObj *o)
{
    if (o->has_bin) binary_drop_copy(o->data, o->words); /* else no reference to drop */
    free(o);
}

static void adjust_bin(void *ctx, const Term *hp)
{
    long *adj = ctx;
    switch (header_subtag(hp[0])) {
    case HDR_HEAP_BIN: /* a literal bigger than OTP keeps on a heap is a ProcBin there */
        if ((size_t)hp[1] > OTP_HEAP_BIN_MAX) *adj += OTP_PROC_BIN_WORDS - (long)(1 + header_arity(hp[0]));
        break;
    case HDR_REFC_BIN: *adj += OTP_PROC_BIN_WORDS - (long)(1 + header_arity(hp[0])); break;
    case HDR_SUB_BIN: *adj += OTP_SUB_BIN_WORDS - (long)(1 + header_arity(hp[0])); break;
    default: break;
    }
}

long ets_obj_bin_adjust(const EtsObj *o)
{
    long adj = 0;
    each_boxed(o->term, adjust_bin, &adj);
    return adj;
}

typedef struct RefcVisit {
    void (*fn)(void *ctx, const Term *handle);
    void *ctx;
} RefcVisit;

static void visit_refc(void *ctx, const Term *hp)
{
    RefcVisit *v = ctx;
    if (header_subtag(hp[0]) == HDR_REFC_BIN) v->fn(v->ctx, hp);
}

void ets_obj_each_refc(const EtsObj *o, void (*fn)(void *ctx, const Term *handle), void *ctx)
{
    if (!o->has_bin) return;
    RefcVisit v = {fn, ctx};
    each_boxed(o->term, visit_refc, &v);
}
