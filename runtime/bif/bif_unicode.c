/*
 * bif_unicode.c - unicode:characters_to_list/2, characters_to_binary/2 and
 * bin_is_7bit/1, the parts of OTP's unicode module written in C.
 *
 * Character data is a binary or a possibly deep list of code points and
 * binaries (a list may end in a binary). Binaries are in the in-encoding:
 * UTF-8 (unicode/utf8), Latin-1, UTF-16 or UTF-32 of either byte order; a
 * character may run on from one binary into the next. A bad sequence or a
 * code point out of range gives {error, Converted, Rest}, a sequence cut
 * short at the end {incomplete, Converted, Rest}; anything that is not
 * character data at all is badarg.
 */
#include "runtime/bif/bif.h"
#include "runtime/term/binary.h"
#include "runtime/term/bits.h"
#include "runtime/proc/heap.h"
#include "runtime/term/strbuf.h"

#include <stdlib.h>

/* The encoding of the binaries in the data (integers are code points in any). */
typedef enum { ENC_LATIN1, ENC_UTF8, ENC_UTF16BE, ENC_UTF16LE, ENC_UTF32BE, ENC_UTF32LE } Enc;

typedef struct Chars {
    unsigned *v;
    size_t n, cap;
    Enc enc;
    /* A sequence cut short at a binary's end, which the next binary goes on
       with (OTP joins [<<16#E2>>, <<16#82, 16#AC>>] into one character). */
    uint8_t pending[4];
    size_t npending;
    Term rest;      /* where conversion stopped, or THE_NON_VALUE */
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
    if (v < min[len] || !bits_is_code_point(v)) return 0;
    *cp = v;
    return len;
}

/* How many bytes the UTF-8 sequence led by `lead` takes (1 for a bad lead;
   1 for any other encoding, where it does not matter). */
static size_t utf8_length(Enc enc, uint8_t lead)
{
    if (enc != ENC_UTF8) return 1;
    return lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
}

/* As utf8_seq, for UTF-16 (bits.h decodes it): a unit, or a high surrogate
   without its low one, at the end is cut short. */
static size_t utf16_seq(const uint8_t *b, size_t n, bool little, unsigned *cp)
{
    if (n < 2) return SIZE_MAX;
    uint32_t c;
    unsigned bits = bits_get_utf16(b, 0, 8 * n, little, &c);
    if (bits) {
        *cp = c;
        return bits / 8;
    }
    bool high_surrogate = ((little ? b[1] : b[0]) & 0xFC) == 0xD8;
    return n < 4 && high_surrogate ? SIZE_MAX : 0;
}

static size_t utf32_seq(const uint8_t *b, size_t n, bool little, unsigned *cp)
{
    if (n < 4) return SIZE_MAX;
    uint32_t c;
    if (!bits_get_utf32(b, 0, 32, little, &c)) return 0;
    *cp = c;
    return 4;
}

/* The character at b in encoding enc: its length, 0 if invalid, SIZE_MAX if cut short. */
static size_t decode(Enc enc, const uint8_t *b, size_t n, unsigned *cp)
{
    switch (enc) {
    case ENC_LATIN1: *cp = b[0]; return 1;
    case ENC_UTF8: return utf8_seq(b, n, cp);
    case ENC_UTF16BE: return utf16_seq(b, n, false, cp);
    case ENC_UTF16LE: return utf16_seq(b, n, true, cp);
    case ENC_UTF32BE: return utf32_seq(b, n, false, cp);
    case ENC_UTF32LE: return utf32_seq(b, n, true, cp);
    }
    return 0;
}

/*
 * Where conversion stopped inside the data: `here` (the bad integer or the
 * rest of a binary) consed onto the rest of its list, then, level by level
 * outwards, consed onto the rest of each enclosing list, as OTP gives it
 * ([97, [1000, 98], 99] in latin1 leaves [[1000, 98], 99]). At the top
 * level (depth 0) it is `here` itself.
 */
static Term rest_at(Process *p, Term here, const Term *tails, size_t depth)
{
    if (depth == 0) return here;
    Term rest = heap_cons(p, here, tails[depth - 1]);
    for (size_t k = depth - 1; k > 0; k--) rest = heap_cons(p, rest, tails[k - 1]);
    return rest;
}

/* Stops with an error where a sequence begun in an earlier binary cannot go
   on: OTP gives [TheBytesSoFar, Rest]. */
static void stop_after_pending(Process *p, Chars *c, Term rest)
{
    c->stop_kind = AM_error;
    c->rest = heap_cons(p, binary_from_bytes(p, c->pending, c->npending), heap_cons(p, rest, NIL));
}

/* Adds a binary's characters; false when it stops early (c->rest set). */
static bool add_binary(Process *p, Chars *c, Term bin, const Term *tails, size_t depth)
{
    const uint8_t *b;
    size_t n;
    if (!binary_bytes(bin, &b, &n)) return false;
    uint8_t *joined = NULL;
    size_t before = c->npending; /* bytes of an earlier binary ahead of b */
    if (before) {
        joined = malloc(before + n);
        if (!joined) abort();
        memcpy(joined, c->pending, before);
        if (n) memcpy(joined + before, b, n);
        b = joined;
        n += before;
        c->npending = 0;
    }
    bool go = true;
    for (size_t i = 0; i < n;) {
        unsigned cp;
        size_t len = decode(c->enc, b + i, n - i, &cp);
        if (len == SIZE_MAX && n - i <= sizeof c->pending) {
            memcpy(c->pending, b + i, n - i); /* the next binary may finish it */
            c->npending = n - i;
            break;
        }
        if (len == 0 || len == SIZE_MAX) {
            if (i < before && n - i < utf8_length(c->enc, b[i])) {
                /* not even a whole sequence's worth of bytes: OTP gives them joined */
                c->stop_kind = AM_error;
                c->rest = binary_from_bytes(p, b + i, n - i);
            } else if (i < before) {
                c->npending = before;
                stop_after_pending(p, c, rest_at(p, bin, tails, depth));
            } else {
                c->stop_kind = AM_error;
                c->rest = rest_at(p, binary_from_bytes(p, b + i, n - i), tails, depth);
            }
            go = false;
            break;
        }
        push(c, cp);
        i += len;
    }
    free(joined);
    return go;
}

/* One element of the data: a code point, a binary or []; false if it is
   none of them (badarg). */
static bool add_element(Process *p, Chars *c, Term e, const Term *tails, size_t depth)
{
    if (is_small(e)) {
        intptr_t v = small_val(e);
        if (depth == 0) return false; /* a code point alone is not character data */
        if (c->npending) {
            stop_after_pending(p, c, rest_at(p, e, tails, depth));
        } else if (c->enc == ENC_LATIN1 ? v < 0 || v > 255 : !bits_is_code_point(v)) {
            c->stop_kind = AM_error;
            c->rest = rest_at(p, e, tails, depth);
        } else {
            push(c, (unsigned)v);
        }
        return true;
    }
    if (binary_is_binary(e)) {
        add_binary(p, c, e, tails, depth);
        return true;
    }
    return is_nil(e);
}

/* Walks character data (a binary tail is data, an integer tail is not);
   false for something that is not character data. */
static bool collect(Process *p, Chars *c, Term data)
{
    Term tails[256];
    size_t depth = 0;
    for (;;) {
        while (is_list(data)) {
            if (depth == sizeof tails / sizeof tails[0]) return false;
            tails[depth++] = list_tail(data);
            data = list_head(data);
        }
        if (!add_element(p, c, data, tails, depth)) return false;
        for (;;) {
            if (is_value(c->rest)) return true;
            if (depth == 0) {
                if (c->npending) {
                    c->stop_kind = atom_from_cstr("incomplete");
                    c->rest = binary_from_bytes(p, c->pending, c->npending);
                }
                return true;
            }
            data = tails[--depth];
            if (is_list(data)) break;
            if (is_nil(data)) continue;
            if (!binary_is_binary(data)) return false;
            add_binary(p, c, data, tails, depth);
        }
    }
}

/* latin1, unicode/utf8, utf16 and utf32 (big-endian), or {utf16|utf32, big|little}. */
static int encoding(Term a)
{
    if (a == AM_latin1) return ENC_LATIN1;
    if (a == AM_unicode || a == AM_utf8) return ENC_UTF8;
    if (a == AM_utf16) return ENC_UTF16BE;
    if (a == AM_utf32) return ENC_UTF32BE;
    if (!is_tuple(a) || tuple_arity(a) != 2) return -1;
    const Term *e = tuple_elems(a);
    if (e[1] != AM_big && e[1] != AM_little) return -1;
    bool little = e[1] == AM_little;
    if (e[0] == AM_utf16) return little ? ENC_UTF16LE : ENC_UTF16BE;
    if (e[0] == AM_utf32) return little ? ENC_UTF32LE : ENC_UTF32BE;
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
    int enc = encoding(args[1]);
    if (enc < 0) return bif_error(p, AM_badarg);
    Chars c = {.enc = (Enc)enc, .rest = THE_NON_VALUE};
    Term data = args[0];
    /* OTP's characters_to_binary takes [Bin] as Bin: a rest is then no list */
    if (make == utf8_binary && is_list(data) && is_nil(list_tail(data)) && binary_is_binary(list_head(data)))
        data = list_head(data);
    bool ok = collect(p, &c, data);
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
