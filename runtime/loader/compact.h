/*
 * compact.h - reading the compact operand encoding of .beam code
 * (BEAM_FORMAT.md section 2), as used by the Code and Line chunks.
 *
 * A CompactCursor walks a byte range and never reads outside it. Each
 * compact_read() returns one operand head: its tag and value. For the
 * extended tag (CT_Z) the value is the extended kind (enum compact_ext) and
 * the caller reads the operands that follow it with further calls.
 */
#ifndef ERBIUM_COMPACT_H
#define ERBIUM_COMPACT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum compact_tag { CT_U, CT_I, CT_A, CT_X, CT_Y, CT_F, CT_H, CT_Z };

/* Kinds of extended (CT_Z) operands: the first byte is kind << 4 | 7. */
enum compact_ext { CZ_FLOAT, CZ_LIST, CZ_FR, CZ_ALLOC, CZ_LITERAL, CZ_TYPED };

typedef struct CompactCursor {
    const uint8_t *p, *end;
    const char *error; /* why the last read failed */
} CompactCursor;

typedef struct CompactValue {
    uint8_t tag;          /* enum compact_tag */
    bool fits;            /* the value fits an int64 and is in val */
    int64_t val;          /* the value (for CT_Z: the extended kind) */
    const uint8_t *bytes; /* n-byte forms: the big-endian two's-complement bytes */
    size_t nbytes;        /* their count; 0 for the 1- and 2-byte forms */
} CompactValue;

void compact_init(CompactCursor *c, const uint8_t *data, size_t len);
static inline bool compact_at_end(const CompactCursor *c) { return c->p >= c->end; }
static inline size_t compact_left(const CompactCursor *c) { return (size_t)(c->end - c->p); }

/* Reads one operand head. Returns 0, or -1 with c->error set. */
int compact_read(CompactCursor *c, CompactValue *v);

/* Reads a `u` operand whose value fits in a uint32. Returns 0 or -1. */
int compact_read_u32(CompactCursor *c, uint32_t *out);

#endif
