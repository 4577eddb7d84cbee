/* port_iodata.c - flattening iodata for port output (see port_iodata.h). */
#include "runtime/port/port_iodata.h"

#include "runtime/term/binary.h"

#include <stdlib.h>
#include <string.h>

static void put(IoBytes *b, const uint8_t *s, size_t n, size_t *cap)
{
    if (b->len + n > *cap) {
        size_t c = *cap * 2;
        while (c < b->len + n) c *= 2;
        uint8_t *grown = b->owned ? realloc(b->data, c) : malloc(c);
        if (!grown) abort();
        if (!b->owned) memcpy(grown, b->data, b->len);
        b->data = grown;
        b->owned = true;
        *cap = c;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
}

/* Heads recurse (lists nest), tails loop. */
static bool walk(Term t, IoBytes *b, size_t *cap)
{
    for (;;) {
        if (is_nil(t)) return true;
        if (is_bitstring(t)) {
            const uint8_t *d;
            size_t n;
            if (!binary_bytes(t, &d, &n)) return false;
            put(b, d, n, cap);
            return true;
        }
        if (!is_list(t)) return false;
        Term h = list_head(t);
        if (is_small(h) && (uintptr_t)small_val(h) <= 255) {
            uint8_t c = (uint8_t)small_val(h);
            put(b, &c, 1, cap);
        } else if (is_list(h) || is_nil(h) || is_bitstring(h)) {
            if (!walk(h, b, cap)) return false;
        } else {
            return false;
        }
        t = list_tail(t);
    }
}

bool port_iodata(Term t, IoBytes *out)
{
    out->len = 0;
    out->owned = false;
    if (is_bitstring(t)) {
        const uint8_t *d;
        if (!binary_bytes(t, &d, &out->len)) return false;
        out->data = (uint8_t *)d;
        return true;
    }
    out->data = out->inline_buf;
    size_t cap = sizeof out->inline_buf;
    if (walk(t, out, &cap)) return true;
    port_iodata_free(out);
    return false;
}

void port_iodata_free(IoBytes *b)
{
    if (b->owned) free(b->data);
    b->owned = false;
}
