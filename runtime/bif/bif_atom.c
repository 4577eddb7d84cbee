/*
 * bif_atom.c - conversions between atoms and code-point lists (module erlang).
 *
 * Atom text is UTF-8 (atom.h); Erlang sees it as a list of code points.
 * list_to_atom's checks, as in OTP 25: each element must be an integer
 * code point (0..16#10FFFF, not a surrogate) and the list proper, else
 * badarg; a 256th element, whatever it is, is system_limit.
 */
#include "runtime/bif/bif.h"
#include "runtime/proc/heap.h"

#define UTF8_MAX_BYTES 4

typedef enum { TEXT_OK, TEXT_BADARG, TEXT_TOO_LONG } TextResult;

static bool is_code_point(intptr_t c)
{
    return c >= 0 && c <= 0x10FFFF && !(c >= 0xD800 && c <= 0xDFFF);
}

/* Writes code point c as UTF-8 at out; returns the byte count. */
static size_t utf8_encode(char *out, uint32_t c)
{
    if (c < 0x80) {
        out[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        out[0] = (char)(0xC0 | (c >> 6));
        out[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        out[0] = (char)(0xE0 | (c >> 12));
        out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        out[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (c >> 18));
    out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
    out[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

/* Decodes the UTF-8 character at s (valid: atom text); *c gets it, returns its length. */
static size_t utf8_decode(const unsigned char *s, uint32_t *c)
{
    if (s[0] < 0x80) {
        *c = s[0];
        return 1;
    }
    if (s[0] < 0xE0) {
        *c = ((uint32_t)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
        return 2;
    }
    if (s[0] < 0xF0) {
        *c = ((uint32_t)(s[0] & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
        return 3;
    }
    *c = ((uint32_t)(s[0] & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) |
         ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
    return 4;
}

/* UTF-8 text of a code-point list into buf (ATOM_MAX_CHARS * UTF8_MAX_BYTES bytes). */
static TextResult text_from_list(Term list, char *buf, size_t *len)
{
    size_t n = 0, chars = 0;
    for (; is_list(list); list = list_tail(list), chars++) {
        if (chars == ATOM_MAX_CHARS) return TEXT_TOO_LONG;
        Term c = list_head(list);
        if (!is_small(c) || !is_code_point(small_val(c))) return TEXT_BADARG;
        n += utf8_encode(buf + n, (uint32_t)small_val(c));
    }
    if (!is_nil(list)) return TEXT_BADARG;
    *len = n;
    return TEXT_OK;
}

Term bif_atom_to_list_1(Process *p, const Term *args)
{
    Term atom = args[0];
    if (!is_atom(atom)) return bif_error(p, AM_badarg);
    const unsigned char *text = (const unsigned char *)atom_text(atom);
    size_t len = atom_len(atom), chars = 0;
    for (size_t i = 0; i < len; i++) chars += (text[i] & 0xC0) != 0x80;
    if (chars == 0) return NIL;
    Term *hp = heap_alloc(p, 2 * chars);
    Term list = make_list(hp);
    for (size_t i = 0; i < len; hp += 2) {
        uint32_t c;
        i += utf8_decode(text + i, &c);
        hp[0] = make_small(c);
        hp[1] = i < len ? make_list(hp + 2) : NIL;
    }
    return list;
}

Term bif_list_to_atom_1(Process *p, const Term *args)
{
    char buf[ATOM_MAX_CHARS * UTF8_MAX_BYTES];
    size_t len = 0;
    switch (text_from_list(args[0], buf, &len)) {
    case TEXT_OK: break;
    case TEXT_TOO_LONG: return bif_error(p, AM_system_limit);
    case TEXT_BADARG: return bif_error(p, AM_badarg);
    }
    Term atom = atom_put(buf, len);
    /* The text is valid and short enough, so only a full table fails. */
    return is_value(atom) ? atom : bif_error(p, AM_system_limit);
}

/* Every failure is badarg here, a too long list included. */
Term bif_list_to_existing_atom_1(Process *p, const Term *args)
{
    char buf[ATOM_MAX_CHARS * UTF8_MAX_BYTES];
    size_t len = 0;
    if (text_from_list(args[0], buf, &len) != TEXT_OK) return bif_error(p, AM_badarg);
    Term atom = atom_find(buf, len);
    return is_value(atom) ? atom : bif_error(p, AM_badarg);
}
