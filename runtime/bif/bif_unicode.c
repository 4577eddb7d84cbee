/*
 * bif_unicode.c - unicode:characters_to_list/2, characters_to_binary/2 and
 * bin_is_7bit/1, the parts of OTP's unicode module written in C.
 *
 * Character data is a binary or a possibly deep list of code points and
 * binaries. Binaries are UTF-8 (in-encoding unicode/utf8) or Latin-1 bytes
 * (latin1). Bad UTF-8 or a code point out of range gives {error, Converted,
 * Rest}, UTF-8 cut short at the end {incomplete, Converted, Rest}; anything
 * that is not character data at all is badarg.
 */
#include "runtime/bif/bif.h"
#include "runtime/term/binary.h"
#include "runtime/proc/heap.h"
#include "runtime/term/strbuf.h"

#include <stdlib.h>

typedef struct Chars {
    unsigned *v;
    size_t n, cap;
    Term rest;      /* where conversion stopped: a binary tail, or THE_NON_VALUE */
    Term stop_kind; /* error / incomplete when it stopped early */
} Chars;

static void push(Chars *c, unsigned cp)
{
    if (c->n == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 64;
        unsigned *grown = realloc(c->v, c->cap * sizeof *grown);
        if (!grown) abort();
        c->v = grown;
    }
    c->v[c->n++] = cp;
}

/* Length of the UTF-8 sequence at b (n bytes left): 0 invalid, SIZE_MAX cut short. */
static size_t utf8_seq(const uint8_t *b, size_t n, unsigned *cp)
{
    size_t len = b[0] < 0x80 ? 1 : (b[0] & 0xE0) == 0xC0 ? 2 : (b[0] & 0xF0) == 0xE0 ? 3 : (b[0] & 0xF8) == 0xF0 ? 4 : 0;
    if (len == 0) return 0;
    unsigned v = len == 1 ? b[0] : b[0] & (0x7Fu >> len);
    for (size_t k = 1; k < len; k++) {
        if (k >= n) return SIZE_MAX;
        if ((b[k] & 0xC0) != 0x80) return 0;
        v = (v << 6) | (b[k] & 0x3F);
    }
    static const unsigned min[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (v < min[len] || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
    *cp = v;
    return len;
}

/* Adds a binary's characters; false when it stops early (c->rest set). */
static bool add_binary(Process *p, Chars *c, Term bin, bool latin1)
{
    const uint8_t *b;
    size_t n;
    if (!binary_bytes(bin, &b, &n)) return false;
    for (size_t i = 0; i < n;) {
        if (latin1) {
            push(c, b[i++]);
            continue;
        }
        unsigned cp;
        size_t len = utf8_seq(b + i, n - i, &cp);
        if (len == 0 || len == SIZE_MAX) {
            c->stop_kind = len == 0 ? AM_error : atom_from_cstr("incomplete");
            uint8_t *rest;
            c->rest = binary_new(p, n - i, &rest);
            memcpy(rest, b + i, n - i);
            return false;
        }
        push(c, cp);
        i += len;
    }
    return true;
}

/*
 * Where conversion stopped at a code point out of range (an integer inside
 * the list): that integer consed onto the rest of its list, then, level by
 * level outwards, consed onto the rest of each enclosing list, as OTP
 * gives it ([97, [1000, 98], 99] in latin1 leaves [[1000, 98], 99]).
 */
static Term rest_at(Process *p, Term bad, const Term *tails, size_t depth)
{
    Term rest = heap_cons(p, bad, tails[depth - 1]);
    for (size_t k = depth - 1; k > 0; k--) rest = heap_cons(p, rest, tails[k - 1]);
    return rest;
}

/* Walks character data; returns false for something that is not character data. */
static bool collect(Process *p, Chars *c, Term data, bool latin1)
{
    Term stack[256];
    size_t depth = 0;
    for (;;) {
        if (is_list(data)) {
            Term h = list_head(data);
            if (depth == sizeof stack / sizeof stack[0]) return false;
            stack[depth++] = list_tail(data);
            data = h;
            continue;
        }
        if (is_small(data)) {
            intptr_t v = small_val(data);
            if (v < 0 || v > (latin1 ? 255 : 0x10FFFF) || (!latin1 && v >= 0xD800 && v <= 0xDFFF)) {
                if (depth == 0) return false; /* not even a list */
                c->stop_kind = AM_error;
                c->rest = rest_at(p, data, stack, depth);
                return true;
            }
            push(c, (unsigned)v);
        } else if (is_bitstring(data)) {
            if (!binary_is_binary(data)) return false;
            if (!add_binary(p, c, data, latin1)) return true;
        } else if (!is_nil(data)) {
            return false;
        }
        if (depth == 0) return true;
        data = stack[--depth];
    }
}

static int encoding(Term a)
{
    if (a == AM_latin1) return 1;
    if (a == AM_unicode || a == AM_utf8) return 0;
    return -1;
}

static Term code_point_list(Process *p, const Chars *c)
{
    Term list = NIL;
    for (size_t i = c->n; i > 0; i--) list = heap_cons(p, make_small((intptr_t)c->v[i - 1]), list);
    return list;
}

static Term utf8_binary(Process *p, const Chars *c)
{
    StrBuf sb;
    sb_init(&sb);
    for (size_t i = 0; i < c->n; i++) sb_put_utf8(&sb, c->v[i]);
    uint8_t *out;
    Term bin = binary_new(p, sb.len, &out);
    if (sb.len) memcpy(out, sb.data, sb.len);
    sb_free(&sb);
    return bin;
}

/* Collects Data in InEncoding, then builds the result with make(); errors as OTP gives them. */
static Term convert(Process *p, const Term *args, Term (*make)(Process *, const Chars *))
{
    int latin1 = encoding(args[1]);
    if (latin1 < 0) return bif_error(p, AM_badarg);
    Chars c = {.rest = THE_NON_VALUE};
    bool ok = collect(p, &c, args[0], latin1 == 1);
    Term result;
    if (!ok) {
        result = bif_error(p, AM_badarg);
    } else {
        result = make(p, &c);
        if (is_value(c.rest)) {
            Term *hp = heap_alloc(p, 4);
            hp[0] = make_tuple_header(3);
            hp[1] = c.stop_kind;
            hp[2] = result;
            hp[3] = c.rest;
            result = make_boxed(hp);
        }
    }
    free(c.v);
    return result;
}

Term bif_unicode_characters_to_list_2(Process *p, const Term *args) { return convert(p, args, code_point_list); }
Term bif_unicode_characters_to_binary_2(Process *p, const Term *args) { return convert(p, args, utf8_binary); }

Term bif_unicode_bin_is_7bit_1(Process *p, const Term *args)
{
    const uint8_t *b;
    size_t n;
    if (!binary_bytes(args[0], &b, &n)) return AM_false; /* OTP asks it of any character data */
    for (size_t i = 0; i < n; i++)
        if (b[i] & 0x80) return AM_false;
    return AM_true;
}
