/*
 * beam_read.h - internals shared by the .beam reader's files:
 * beam_file.c (container, orchestration, MD5), beam_chunks.c (the tables)
 * and beam_code.c (the instruction stream and its validation).
 * The public interface is beam_file.h.
 */
#ifndef ERBIUM_BEAM_READ_H
#define ERBIUM_BEAM_READ_H

#include "runtime/loader/beam_file.h"

/* Chunks the reader looks at; any other id is skipped. */
enum beam_chunk {
    CH_ATU8, CH_CODE, CH_STRT, CH_IMPT, CH_EXPT, CH_LOCT, CH_FUNT, CH_LITT,
    CH_LINE, CH_ATTR, CH_CINF, CH_META, CH_TYPE, CH_COUNT
};

typedef struct BeamChunk {
    const uint8_t *data; /* NULL when the chunk is absent */
    uint32_t size;
} BeamChunk;

typedef struct BeamReader {
    const char *name;    /* file name, for messages */
    BeamFile *bf;
    BeamChunk chunks[CH_COUNT];
    uint32_t num_types;  /* Type chunk entries; 0 = no usable table, indices ignored */
    bool line_table;     /* a Line chunk is in use: line operands must be in range */
    const uint8_t *code; /* the instructions (Code chunk after its header) */
    size_t code_size;
    char *err;
    size_t errlen;
} BeamReader;

/* Big-endian cursor over one chunk's data; the reads return -1 past the end. */
typedef struct ByteCursor {
    const uint8_t *p, *end;
} ByteCursor;

static inline ByteCursor byte_cursor(const BeamChunk *c)
{
    return (ByteCursor){c->data, c->data + c->size};
}

static inline size_t cursor_left(const ByteCursor *c) { return (size_t)(c->end - c->p); }

static inline int cursor_u32(ByteCursor *c, uint32_t *v)
{
    if (cursor_left(c) < 4) return -1;
    *v = (uint32_t)c->p[0] << 24 | (uint32_t)c->p[1] << 16 | (uint32_t)c->p[2] << 8 | c->p[3];
    c->p += 4;
    return 0;
}

static inline int cursor_u16(ByteCursor *c, uint16_t *v)
{
    if (cursor_left(c) < 2) return -1;
    *v = (uint16_t)(c->p[0] << 8 | c->p[1]);
    c->p += 2;
    return 0;
}

/* Unchecked read, for tables whose size was checked as a whole. */
static inline uint32_t cursor_get_u32(ByteCursor *c)
{
    uint32_t v = (uint32_t)c->p[0] << 24 | (uint32_t)c->p[1] << 16 | (uint32_t)c->p[2] << 8 | c->p[3];
    c->p += 4;
    return v;
}

/* Formats "<file name>: <message>" into the reader's buffer; returns -1. */
int beam_error(BeamReader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* beam_chunks.c: the tables, in this order (later ones use earlier results). */
int beam_read_atoms(BeamReader *r);
int beam_read_types(BeamReader *r);
int beam_read_functions(BeamReader *r); /* ImpT, ExpT, LocT, FunT */
int beam_read_literals(BeamReader *r);  /* LitT */
int beam_read_strings(BeamReader *r);   /* StrT */
int beam_read_lines(BeamReader *r);     /* Line */
int beam_read_attributes(BeamReader *r);/* Attr, CInf */

/* beam_code.c: the Code header (needed to check labels in the tables) and the instructions. */
int beam_read_code_header(BeamReader *r);
int beam_read_code(BeamReader *r);

#endif
