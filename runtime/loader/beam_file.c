/*
 * beam_file.c - reading a .beam file (see beam_file.h): the IFF container,
 * the order in which the chunks are read, the module MD5, and freeing.
 *
 * The container is "FOR1", a form size, "BEAM", then chunks (id, size,
 * data, zero padding to 4 bytes). Chunks are found by id, never by
 * position, and unknown ids are skipped (BEAM_FORMAT.md 1.2). The tables
 * are read in beam_chunks.c, the instructions in beam_code.c.
 *
 * A gzip-compressed file (what beam_lib:strip writes) is inflated first,
 * as erts does. Nothing in the result points into the file's bytes.
 */
#include "runtime/loader/beam_read.h"

#include "runtime/etf/md5.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <zlib.h>

static const char CHUNK_IDS[CH_COUNT][5] = {
    [CH_ATU8] = "AtU8", [CH_CODE] = "Code", [CH_STRT] = "StrT", [CH_IMPT] = "ImpT",
    [CH_EXPT] = "ExpT", [CH_LOCT] = "LocT", [CH_FUNT] = "FunT", [CH_LITT] = "LitT",
    [CH_LINE] = "Line", [CH_ATTR] = "Attr", [CH_CINF] = "CInf", [CH_META] = "Meta",
    [CH_TYPE] = "Type",
};

int beam_error(BeamReader *r, const char *fmt, ...)
{
    if (r->errlen == 0) return -1;
    int n = snprintf(r->err, r->errlen, "%s: ", r->name);
    if (n >= 0 && (size_t)n < r->errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(r->err + n, r->errlen - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return -1;
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The chunk id as text for messages, with unprintable bytes shown as '?'. */
static void id_text(const uint8_t *id, char out[5])
{
    for (int i = 0; i < 4; i++) out[i] = id[i] >= 0x20 && id[i] < 0x7F ? (char)id[i] : '?';
    out[4] = '\0';
}

static int known_chunk(const uint8_t *id)
{
    for (int i = 0; i < CH_COUNT; i++)
        if (memcmp(id, CHUNK_IDS[i], 4) == 0) return i;
    return -1;
}

/* Records one chunk; returns the offset of the next one (padding skipped). */
static int take_chunk(BeamReader *r, const uint8_t *p, size_t room, size_t *step)
{
    char id[5];
    id_text(p, id);
    uint32_t size = be32(p + 4);
    if (size > room - 8) return beam_error(r, "truncated %s chunk", id);
    int k = known_chunk(p);
    if (k >= 0) {
        if (r->chunks[k].data) return beam_error(r, "duplicate %s chunk", id);
        r->chunks[k] = (BeamChunk){p + 8, size};
    }
    size_t padded = 8 + (size_t)size + (4 - size % 4) % 4;
    *step = padded < room ? padded : room; /* the last chunk's padding may be missing */
    return 0;
}

static int read_container(BeamReader *r, const uint8_t *data, size_t size)
{
    if (size < 12 || memcmp(data, "FOR1", 4) != 0)
        return beam_error(r, "not a BEAM file (no FOR1 header)");
    if (memcmp(data + 8, "BEAM", 4) != 0) return beam_error(r, "not a BEAM file (form type is not BEAM)");
    uint32_t form = be32(data + 4);
    if ((uint64_t)form + 8 > size)
        return beam_error(r, "truncated file (form size %u, file size %zu)", form, size);
    const uint8_t *p = data + 12, *end = data + 8 + form;
    while (p < end) {
        size_t room = (size_t)(end - p), step = room;
        if (room < 8) return beam_error(r, "truncated chunk header at offset %zu", (size_t)(p - data));
        if (take_chunk(r, p, room, &step) < 0) return -1;
        p += step;
    }
    return 0;
}

static int require_chunks(BeamReader *r)
{
    static const int required[] = {CH_ATU8, CH_CODE, CH_IMPT, CH_EXPT};
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
        if (!r->chunks[required[i]].data)
            return beam_error(r, "missing %s chunk", CHUNK_IDS[required[i]]);
    return 0;
}

/* FunT enters the MD5 with every OldUniq (last word of an entry) zeroed. */
static void md5_funt(Md5 *m, const BeamChunk *c)
{
    static const uint8_t zero[4];
    md5_update(m, c->data, 4);
    for (size_t off = 4; off + 24 <= c->size; off += 24) {
        md5_update(m, c->data + off, 20);
        md5_update(m, zero, 4);
    }
}

/* The module MD5 (BEAM_FORMAT.md 1.13): these chunks' data, in this order. */
static void module_md5(BeamReader *r)
{
    static const int order[] = {CH_ATU8, CH_CODE, CH_STRT, CH_IMPT, CH_EXPT, CH_FUNT, CH_LITT, CH_META};
    Md5 m;
    md5_init(&m);
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        const BeamChunk *c = &r->chunks[order[i]];
        if (!c->data) continue;
        if (order[i] == CH_FUNT)
            md5_funt(&m, c);
        else
            md5_update(&m, c->data, c->size);
    }
    md5_final(&m, r->bf->md5);
}

/* Deflate never compresses better than about 1032:1: a bound on the output. */
#define MAX_INFLATE_RATIO 1100
#define GZIP_WINDOW_BITS (16 + MAX_WBITS)

static bool is_gzip(const uint8_t *data, size_t size)
{
    return size >= 2 && data[0] == 0x1f && data[1] == 0x8b;
}

/* Inflates a gzip stream into a malloc'd buffer (*out, *out_size). */
static int gunzip(BeamReader *r, const uint8_t *data, size_t size, uint8_t **out, size_t *out_size)
{
    z_stream z = {.next_in = (Bytef *)data, .avail_in = (uInt)size};
    if (size > UINT_MAX || inflateInit2(&z, GZIP_WINDOW_BITS) != Z_OK)
        return beam_error(r, "cannot inflate compressed file");
    size_t cap = size * 4, limit = size * MAX_INFLATE_RATIO + 1024, len = 0;
    uint8_t *buf = NULL;
    int rc = Z_OK;
    while (rc == Z_OK && cap <= limit) {
        uint8_t *p = realloc(buf, cap);
        if (!p) break;
        buf = p;
        z.next_out = buf + len;
        z.avail_out = (uInt)(cap - len);
        rc = inflate(&z, Z_NO_FLUSH);
        len = cap - z.avail_out;
        if (z.avail_out == 0) cap *= 2;
    }
    inflateEnd(&z);
    if (rc != Z_STREAM_END) {
        free(buf);
        return beam_error(r, "bad gzip-compressed file");
    }
    *out = buf;
    *out_size = len;
    return 0;
}

static int read_parts(BeamReader *r, const uint8_t *data, size_t size)
{
    if (read_container(r, data, size) < 0 || require_chunks(r) < 0) return -1;
    r->bf->literals = literal_area_new();
    if (!r->bf->literals) return beam_error(r, "out of memory");
    if (beam_read_atoms(r) < 0 || beam_read_code_header(r) < 0 || beam_read_types(r) < 0 ||
        beam_read_functions(r) < 0 || beam_read_literals(r) < 0 || beam_read_strings(r) < 0 ||
        beam_read_lines(r) < 0 || beam_read_attributes(r) < 0 || beam_read_code(r) < 0)
        return -1;
    module_md5(r);
    return 0;
}

static int read_all(BeamReader *r, const uint8_t *data, size_t size)
{
    if (!is_gzip(data, size)) return read_parts(r, data, size);
    uint8_t *plain = NULL;
    size_t plain_size = 0;
    if (gunzip(r, data, size, &plain, &plain_size) < 0) return -1;
    int rc = read_parts(r, plain, plain_size);
    free(plain);
    return rc;
}

int beam_file_read(const uint8_t *data, size_t size, const char *name, BeamFile *out,
                   char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    out->module = NIL;
    out->attributes = NIL;
    out->compile_info = NIL;
    BeamReader r = {.name = name, .bf = out, .err = err, .errlen = errlen};
    if (read_all(&r, data, size) < 0) {
        beam_file_free(out);
        return -1;
    }
    return 0;
}

void beam_file_free(BeamFile *bf)
{
    free(bf->atoms);
    free(bf->ops);
    free(bf->args);
    free(bf->imports);
    free(bf->exports);
    free(bf->locals);
    free(bf->lambdas);
    free(bf->literal_terms);
    free(bf->strtab);
    free(bf->line_items);
    for (uint32_t i = 0; bf->file_names && i < bf->num_file_names; i++) free(bf->file_names[i]);
    free(bf->file_names);
    literal_area_free(bf->literals);
    memset(bf, 0, sizeof *bf);
    bf->module = NIL;
    bf->attributes = NIL;
    bf->compile_info = NIL;
}
