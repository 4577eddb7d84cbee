/* iodata.c - iodata and chardata into a flat buffer (see iodata.h). */
#include "runtime/bif/iodata.h"

#include "runtime/term/binary.h"

#include <stdlib.h>
#include <string.h>

bool iobuf_put(IoBuf *b, const void *src, size_t n)
{
    if (b->cap - b->len < n) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap - b->len < n) cap *= 2;
        uint8_t *d = realloc(b->data, cap);
        if (!d) return false;
        b->data = d;
        b->cap = cap;
    }
    if (n) memcpy(b->data + b->len, src, n);
    b->len += n;
    return true;
}

static bool put_char(IoBuf *b, Term h, bool chars)
{
    if (!is_small(h)) return false;
    intptr_t c = small_val(h);
    if (!chars) {
        if (c < 0 || c > 255) return false;
        uint8_t byte = (uint8_t)c;
        return iobuf_put(b, &byte, 1);
    }
    if (c < 0 || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return false;
    uint8_t u[4] = {0};
    unsigned n = bits_utf8_size((uint32_t)c) / 8;
    bits_put_utf8(u, 0, (uint32_t)c);
    return iobuf_put(b, u, n);
}

static bool put_binary(IoBuf *b, Term t)
{
    const uint8_t *d;
    size_t n;
    return binary_bytes(t, &d, &n) && iobuf_put(b, d, n);
}

/* Lists are walked with an explicit stack of the list cells still to visit,
   so deeply nested iodata cannot overflow the C stack. */
bool iodata_append(IoBuf *b, Term t, bool chars)
{
    if (binary_is_binary(t)) return put_binary(b, t);
    if (!is_list(t) && !is_nil(t)) return false;
    size_t cap = 16, n = 0;
    Term *stack = malloc(cap * sizeof *stack);
    if (!stack) return false;
    stack[n++] = t;
    bool ok = true;
    while (ok && n) {
        Term cur = stack[n - 1];
        if (is_nil(cur)) { n--; continue; }
        if (!is_list(cur)) { /* the tail of an improper list: a binary or bad */
            ok = binary_is_binary(cur) && put_binary(b, cur);
            n--;
            continue;
        }
        Term h = list_head(cur);
        stack[n - 1] = list_tail(cur);
        if (is_list(h) || is_nil(h)) {
            if (n == cap) {
                Term *s = realloc(stack, 2 * cap * sizeof *s);
                if (!s) { ok = false; break; }
                stack = s;
                cap *= 2;
            }
            stack[n++] = h;
        } else if (binary_is_binary(h)) {
            ok = put_binary(b, h);
        } else {
            ok = put_char(b, h, chars);
        }
    }
    free(stack);
    return ok;
}
