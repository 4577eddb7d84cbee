/*
 * io_format.h - io_lib:format/2, the text behind io:format and io:fwrite.
 *
 * Control sequences ~w ~p ~W ~P ~s ~e ~f ~g ~b ~B ~x ~X ~# ~+ ~c ~i ~n ~~
 * with field width, precision and pad character (~10.3.0f, ~-8s, ~*p,
 * ~.*.*c) and the modifiers t (Unicode) and l (no string detection in ~p),
 * exactly as OTP 25's io_lib_format. In ~p and ~P the width is the line
 * length (default 80) and the precision the starting column (default: the
 * column the text so far ends at).
 *
 * Known differences from OTP, all in Unicode corners: lengths and
 * truncation under ~ts count code points where OTP counts grapheme
 * clusters, and code points above 0x10FFFF (which io_lib:format passes
 * through but no device can print) are rejected.
 */
#ifndef ERBIUM_IO_FORMAT_H
#define ERBIUM_IO_FORMAT_H

#include "runtime/strbuf.h"
#include "runtime/term.h"

/*
 * Appends the formatted text (characters, UTF-8 encoded) to out and returns
 * 0. Format is a string (a list whose elements are characters, or
 * character lists and binaries taken literally), an atom or a binary
 * (its bytes are the characters). On a bad format or arguments returns -1
 * with *err_reason set to what io:format and io_lib:format raise (badarg),
 * leaving out as it was.
 */
int io_format(StrBuf *out, Term format, Term args, Term *err_reason);

/*
 * The shape of io_lib:format's result. OTP returns a list holding each
 * character of the plain text and of the simple controls (~c ~b ~n ...)
 * as an element, and the text of each ~w ~W ~p ~P and of ~s with a
 * non-atom argument as one nested element; literal elements of a format
 * list appear as they were given. A part is such a nested element: its
 * bytes in the output, and the literal term or THE_NON_VALUE for a text.
 */
typedef struct IoFormatPart {
    size_t start, end;
    Term literal;
} IoFormatPart;

typedef struct IoFormatParts {
    IoFormatPart *v;
    size_t n, cap;
} IoFormatParts;

/* io_format, also recording the parts (in order) when parts is not NULL. */
int io_format_parts(StrBuf *out, Term format, Term args, Term *err_reason, IoFormatParts *parts);

/* The number of characters in UTF-8 text. */
size_t io_text_chars(const char *s, size_t n);

/*
 * Decodes the character at s (n > 0 bytes left) as sb_put_utf8 encodes it,
 * surrogates included; returns its length in bytes.
 */
size_t io_text_next(const char *s, size_t n, unsigned *cp);

#endif
