/* strbuf.h - a growable byte buffer for building text (printing, errors). */
#ifndef ERBIUM_STRBUF_H
#define ERBIUM_STRBUF_H

#include "runtime/term/term.h"

#include <stdarg.h>
#include <stddef.h>

typedef struct StrBuf {
    char *data; /* always NUL-terminated once anything was added */
    size_t len, cap;
} StrBuf;

void sb_init(StrBuf *sb);
void sb_free(StrBuf *sb);
void sb_putc(StrBuf *sb, char c);
void sb_puts(StrBuf *sb, const char *s);
void sb_put(StrBuf *sb, const char *s, size_t n);
void sb_printf(StrBuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends the UTF-8 encoding of code point cp. */
void sb_put_utf8(StrBuf *sb, unsigned cp);
/* Appends a string term, a proper list of code points 0..0x10FFFF, as UTF-8;
   false (with part of it appended) if s is none. */
bool sb_put_string(StrBuf *sb, Term s);

/* The number of characters in text sb_put_utf8 wrote. */
size_t utf8_text_chars(const char *s, size_t n);
/* Decodes the character at s (n > 0 bytes left) as sb_put_utf8 encodes it,
   surrogates included; returns its length in bytes. */
size_t utf8_text_next(const char *s, size_t n, unsigned *cp);

#endif
