/* strbuf.c - growable byte buffer (see strbuf.h). */
#include "runtime/term/strbuf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sb_init(StrBuf *sb) { *sb = (StrBuf){0}; }

void sb_free(StrBuf *sb)
{
    free(sb->data);
    *sb = (StrBuf){0};
}

static void reserve(StrBuf *sb, size_t extra)
{
    if (sb->len + extra + 1 <= sb->cap) return;
    size_t cap = sb->cap ? sb->cap : 64;
    while (cap < sb->len + extra + 1) cap *= 2;
    char *d = realloc(sb->data, cap);
    if (!d) abort();
    sb->data = d;
    sb->cap = cap;
}

void sb_put(StrBuf *sb, const char *s, size_t n)
{
    reserve(sb, n);
    memcpy(sb->data + sb->len, s, n);
    sb->len += n;
    sb->data[sb->len] = '\0';
}

void sb_putc(StrBuf *sb, char c) { sb_put(sb, &c, 1); }
void sb_puts(StrBuf *sb, const char *s) { sb_put(sb, s, strlen(s)); }

void sb_printf(StrBuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n <= 0) return;
    reserve(sb, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sb->len += (size_t)n;
}

void sb_put_utf8(StrBuf *sb, unsigned cp)
{
    char b[4];
    if (cp < 0x80) {
        sb_putc(sb, (char)cp);
    } else if (cp < 0x800) {
        b[0] = (char)(0xC0 | (cp >> 6));
        b[1] = (char)(0x80 | (cp & 0x3F));
        sb_put(sb, b, 2);
    } else if (cp < 0x10000) {
        b[0] = (char)(0xE0 | (cp >> 12));
        b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (char)(0x80 | (cp & 0x3F));
        sb_put(sb, b, 3);
    } else {
        b[0] = (char)(0xF0 | (cp >> 18));
        b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[3] = (char)(0x80 | (cp & 0x3F));
        sb_put(sb, b, 4);
    }
}

size_t utf8_text_chars(const char *s, size_t n)
{
    size_t count = 0;
    for (size_t k = 0; k < n; k++) count += ((uint8_t)s[k] & 0xC0) != 0x80;
    return count;
}

size_t utf8_text_next(const char *s, size_t n, unsigned *cp)
{
    const uint8_t *b = (const uint8_t *)s;
    size_t len = b[0] < 0x80 ? 1 : b[0] < 0xE0 ? 2 : b[0] < 0xF0 ? 3 : 4;
    if (len > n) len = n;
    unsigned v = len == 1 ? (unsigned)b[0] : b[0] & (0x7Fu >> len);
    for (size_t k = 1; k < len; k++) v = (v << 6) | (b[k] & 0x3F);
    *cp = v;
    return len;
}

bool sb_put_string(StrBuf *sb, Term s)
{
    for (; is_list(s); s = list_tail(s)) {
        Term c = list_head(s);
        if (!is_small(c) || small_val(c) < 0 || small_val(c) > 0x10FFFF) return false;
        sb_put_utf8(sb, (unsigned)small_val(c));
    }
    return is_nil(s);
}
