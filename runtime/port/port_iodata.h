/* port_iodata.h - the bytes of iodata (bytes, binaries, nested lists) in a malloc'ed buffer. */
#ifndef ERBIUM_PORT_IODATA_H
#define ERBIUM_PORT_IODATA_H

#include "runtime/term/term.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct IoBytes {
    uint8_t *data;   /* points into a binary when t was one, else owned */
    size_t len;
    bool owned;
    uint8_t inline_buf[256];
} IoBytes;

/* False when t is not iodata. Binaries are not copied when t is one. */
bool port_iodata(Term t, IoBytes *out);
void port_iodata_free(IoBytes *b);

#endif
