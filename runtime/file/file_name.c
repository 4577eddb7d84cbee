/*
 * file_name.c - file names between Erlang and the OS, as OTP's +fnu/+fnl:
 * file:native_name_encoding/0 and prim_file:internal_name2native/1,
 * internal_native2name/1, is_translatable/1.
 *
 * The encoding is utf8 when the locale's character set (LC_ALL, LC_CTYPE,
 * LANG) is UTF-8, else latin1, read once. In utf8 mode a name given as a
 * string is written as UTF-8 and a native name is decoded from UTF-8 (a
 * name that is not valid UTF-8 gives {error, warning}, OTP's default
 * +fnuw); in latin1 mode characters above 255 are badarg and bytes are
 * characters. A binary name is taken as its bytes. A native name ends in
 * one NUL byte; a name containing NUL is badarg.
 */
#include "runtime/file/file_name.h"

#include "runtime/bif/bif.h"
#include "runtime/proc/heap.h"
#include "runtime/term/binary.h"
#include "runtime/term/strbuf.h"

#include <langinfo.h>
#include <locale.h>
#include <pthread.h>
#include <string.h>

static pthread_once_t enc_once = PTHREAD_ONCE_INIT;
static bool enc_utf8;

static void enc_init(void)
{
    /* A private locale object: setlocale() would change the whole process's. */
    locale_t loc = newlocale(LC_CTYPE_MASK, "", (locale_t)0);
    if (!loc) return;
    enc_utf8 = strcmp(nl_langinfo_l(CODESET, loc), "UTF-8") == 0;
    freelocale(loc);
}

bool file_name_utf8(void)
{
    pthread_once(&enc_once, enc_init);
    return enc_utf8;
}

static bool utf8_mode(void) { return file_name_utf8(); }

Term bif_file_native_name_encoding_0(Process *p, const Term *args)
{
    (void)p, (void)args;
    return utf8_mode() ? AM_utf8 : AM_latin1;
}

/* Length of the valid UTF-8 sequence at b (n bytes left) and its code point; 0 if invalid. */
static size_t utf8_decode(const uint8_t *b, size_t n, unsigned *cp)
{
    unsigned c = b[0];
    size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (len == 0 || len > n) return 0;
    unsigned v = len == 1 ? c : c & (0x7Fu >> len);
    for (size_t i = 1; i < len; i++) {
        if ((b[i] & 0xC0) != 0x80) return 0;
        v = v << 6 | (b[i] & 0x3F);
    }
    static const unsigned min[] = {0, 0, 0x80, 0x800, 0x10000};
    if (v < min[len] || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
    *cp = v;
    return len;
}

static bool valid_utf8(const uint8_t *b, size_t n)
{
    unsigned cp;
    for (size_t i = 0, len; i < n; i += len)
        if (!(len = utf8_decode(b + i, n - i, &cp))) return false;
    return true;
}

/* Appends a (possibly deep) list of characters; false if it is not one or holds NUL. */
static bool put_chars(StrBuf *sb, Term name, bool utf8, int depth)
{
    if (depth > 1000) return false;
    for (; is_list(name); name = list_tail(name)) {
        Term c = list_head(name);
        if (is_list(c) || is_nil(c)) {
            if (!put_chars(sb, c, utf8, depth + 1)) return false;
            continue;
        }
        intptr_t v = is_small(c) ? small_val(c) : -1;
        if (v <= 0 || (utf8 ? v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF) : v > 255)) return false;
        if (utf8) sb_put_utf8(sb, (unsigned)v);
        else sb_putc(sb, (char)v);
    }
    return is_nil(name);
}

bool file_name_put_chars(StrBuf *sb, Term chars) { return put_chars(sb, chars, utf8_mode(), 0); }

Term bif_prim_file_internal_name2native_1(Process *p, const Term *args)
{
    Term name = args[0];
    const uint8_t *data;
    size_t n;
    if (binary_bytes(name, &data, &n)) {
        if (memchr(data, 0, n)) return bif_error(p, AM_badarg);
        uint8_t *out;
        Term bin = binary_new(p, n + 1, &out);
        memcpy(out, data, n);
        out[n] = 0;
        return bin;
    }
    StrBuf sb;
    sb_init(&sb);
    if (!put_chars(&sb, name, utf8_mode(), 0)) {
        sb_free(&sb);
        return bif_error(p, AM_badarg);
    }
    sb_putc(&sb, 0);
    Term bin = binary_from_bytes(p, (const uint8_t *)sb.data, sb.len);
    sb_free(&sb);
    return bin;
}

/* The characters of n bytes: code points of UTF-8 or bytes, as a list. */
static Term chars_list(Process *p, const uint8_t *b, size_t n, bool utf8)
{
    size_t count = 0;
    unsigned cp;
    for (size_t i = 0; i < n; count++) i += utf8 ? utf8_decode(b + i, n - i, &cp) : 1;
    Term *cells = heap_alloc(p, 2 * count), list = NIL;
    size_t k = 0;
    for (size_t i = 0; i < n; k++) {
        cp = b[i];
        i += utf8 ? utf8_decode(b + i, n - i, &cp) : 1;
        cells[2 * k] = make_small(cp);
    }
    for (size_t j = count; j-- > 0;) {
        cells[2 * j + 1] = list;
        list = make_list(cells + 2 * j);
    }
    return list;
}

Term file_name_chars(Process *p, const uint8_t *bytes, size_t n)
{
    return chars_list(p, bytes, n, utf8_mode() && valid_utf8(bytes, n));
}

Term bif_prim_file_internal_native2name_1(Process *p, const Term *args)
{
    const uint8_t *data;
    size_t n;
    if (!binary_bytes(args[0], &data, &n)) return bif_error(p, AM_badarg);
    bool utf8 = utf8_mode();
    if (utf8 && !valid_utf8(data, n)) return heap_tuple2(p, AM_error, AM_warning);
    return chars_list(p, data, n, utf8);
}

Term bif_prim_file_is_translatable_1(Process *p, const Term *args)
{
    const uint8_t *data;
    size_t n;
    if (!binary_bytes(args[0], &data, &n)) return bif_error(p, AM_badarg);
    return !utf8_mode() || valid_utf8(data, n) ? AM_true : AM_false;
}
