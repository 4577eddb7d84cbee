/*
 * file_iovec.c - erlang:iolist_to_iovec/1: an iolist as a list of
 * binaries for writing. Bytes and small binaries next to each other are
 * joined into one binary; a binary larger than BINARY_HEAP_MAX is passed
 * on as it is (not copied), as OTP does with its off-heap binaries.
 */
#include "runtime/bif/bif.h"
#include "runtime/proc/heap.h"
#include "runtime/term/binary.h"
#include "runtime/term/strbuf.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    Process *p;
    StrBuf pending;
    Term *out;
    size_t n, cap;
} Iov;

static bool push(Iov *v, Term bin)
{
    if (v->n == v->cap) {
        size_t cap = v->cap ? 2 * v->cap : 16;
        Term *o = realloc(v->out, cap * sizeof *o);
        if (!o) return false;
        v->out = o, v->cap = cap;
    }
    v->out[v->n++] = bin;
    return true;
}

static bool flush(Iov *v)
{
    if (v->pending.len == 0) return true;
    Term bin = binary_from_bytes(v->p, (const uint8_t *)v->pending.data, v->pending.len);
    v->pending.len = 0;
    return is_value(bin) && push(v, bin);
}

static bool leaf_binary(Iov *v, Term t)
{
    const uint8_t *data;
    size_t n;
    if (!binary_bytes(t, &data, &n)) return false;
    if (n <= BINARY_HEAP_MAX) {
        sb_put(&v->pending, (const char *)data, n);
        return true;
    }
    return flush(v) && push(v, t);
}

static bool walk(Iov *v, Term t)
{
    Term inline_stack[32], *stack = inline_stack;
    size_t depth = 0, cap = 32;
    bool ok = true;
    for (;;) {
        while (ok && is_list(t)) {
            Term h = list_head(t);
            t = list_tail(t);
            if (is_small(h)) {
                intptr_t c = small_val(h);
                if (c < 0 || c > 255) ok = false;
                else sb_putc(&v->pending, (char)c);
            } else if (is_list(h)) {
                if (depth == cap) {
                    Term *s = malloc(2 * cap * sizeof *s);
                    if (!s) { ok = false; break; }
                    memcpy(s, stack, depth * sizeof *s);
                    if (stack != inline_stack) free(stack);
                    stack = s, cap *= 2;
                }
                stack[depth++] = t;
                t = h;
            } else if (!is_nil(h)) {
                ok = leaf_binary(v, h);
            }
        }
        if (!ok) break;
        if (!is_nil(t) && !leaf_binary(v, t)) { ok = false; break; }
        if (depth == 0) break;
        t = stack[--depth];
    }
    if (stack != inline_stack) free(stack);
    return ok;
}

Term bif_iolist_to_iovec_1(Process *p, const Term *args)
{
    Term t = args[0];
    if (is_bitstring(t)) {
        if (!binary_is_binary(t)) return bif_error(p, AM_badarg);
        return bitstring_bits(t) == 0 ? NIL : heap_cons(p, t, NIL);
    }
    if (!is_list(t) && !is_nil(t)) return bif_error(p, AM_badarg);
    Iov v = {.p = p};
    sb_init(&v.pending);
    bool ok = walk(&v, t) && flush(&v);
    Term list = NIL;
    if (ok)
        for (size_t i = v.n; i-- > 0;) list = heap_cons(p, v.out[i], list);
    sb_free(&v.pending);
    free(v.out);
    return ok ? list : bif_error(p, AM_badarg);
}
