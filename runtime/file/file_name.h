/*
 * file_name.h - the file name encoding (file:native_name_encoding/0), which
 * OTP also uses for environment variables.
 */
#ifndef ERBIUM_FILE_NAME_H
#define ERBIUM_FILE_NAME_H

#include "runtime/proc/process.h"
#include "runtime/term/strbuf.h"

/* True when names are UTF-8 (utf8), false when they are bytes (latin1). */
bool file_name_utf8(void);

/* Appends the characters of a (deep) list in the name encoding; false if
   it is not such a list or holds NUL or a character the encoding lacks. */
bool file_name_put_chars(StrBuf *sb, Term chars);

/* n bytes as a string: decoded from UTF-8 in utf8 mode when they are valid
   UTF-8, else one character per byte. */
Term file_name_chars(Process *p, const uint8_t *bytes, size_t n);

#endif
