/*
 * iodata.h - flattening iodata and unicode chardata into one C buffer, for
 * natives that hand bytes to a C library (re, zlib).
 */
#ifndef ERBIUM_IODATA_H
#define ERBIUM_IODATA_H

#include "runtime/term/term.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A growable byte buffer; free data with free(). */
typedef struct IoBuf {
    uint8_t *data;
    size_t len, cap;
} IoBuf;

/*
 * Appends the bytes of iodata t (bytes, binaries, nested lists, a binary
 * tail). With `chars`, list elements are code points (written as UTF-8)
 * and binaries are taken as UTF-8 text, as unicode:characters_to_binary
 * reads chardata. False when t is neither (or out of memory).
 */
bool iodata_append(IoBuf *b, Term t, bool chars);

/* Appends n bytes; false when out of memory. */
bool iobuf_put(IoBuf *b, const void *src, size_t n);

#endif
