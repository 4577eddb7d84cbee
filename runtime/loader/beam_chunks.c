/*
 * beam_chunks.c - the tables of a .beam file: atoms (AtU8), imports,
 * exports, local functions and lambdas (ImpT, ExpT, LocT, FunT), literals
 * (LitT), the string pool (StrT), source locations (Line), the size of the
 * type table (Type) and the Attr/CInf terms. BEAM_FORMAT.md section 1.
 *
 * Every count is checked against the bytes that are really there before
 * anything is allocated, and every table must use its chunk exactly.
 */
#include "runtime/loader/beam_read.h"

#include "runtime/term/atom.h"
#include "runtime/loader/compact.h"
#include "runtime/etf/etf.h"

#include <stdlib.h>
#include <zlib.h>

/* Erlang functions take at most 255 arguments. */
#define MAX_ARITY 255

/* Deflate never compresses better than about 1032:1, so a LitT chunk that
   claims more than this is malformed; refusing it early avoids a huge malloc. */
#define MAX_INFLATE_RATIO 1100

/* ---- AtU8 ---- */

static int read_atom(BeamReader *r, ByteCursor *c, uint32_t i)
{
    if (cursor_left(c) < 1 || cursor_left(c) - 1 < c->p[0]) return beam_error(r, "truncated AtU8 chunk");
    size_t len = *c->p++;
    Term a = etf_atom_from_utf8(c->p, len);
    if (a == THE_NON_VALUE) return beam_error(r, "atom %u is not valid UTF-8 or is too long", i);
    c->p += len;
    r->bf->atoms[i] = a;
    return 0;
}

int beam_read_atoms(BeamReader *r)
{
    BeamFile *bf = r->bf;
    ByteCursor c = byte_cursor(&r->chunks[CH_ATU8]);
    uint32_t raw;
    if (cursor_u32(&c, &raw) < 0) return beam_error(r, "truncated AtU8 chunk");
    if ((int32_t)raw < 0)
        return beam_error(r, "atom table with compact lengths (negative count) is not supported");
    if (raw == 0) return beam_error(r, "empty atom table (no module name)");
    if (raw > cursor_left(&c)) return beam_error(r, "atom count %u does not fit the AtU8 chunk", raw);
    bf->atoms = malloc(((size_t)raw + 1) * sizeof(Term));
    if (!bf->atoms) return beam_error(r, "out of memory");
    bf->atoms[0] = NIL;
    for (uint32_t i = 1; i <= raw; i++)
        if (read_atom(r, &c, i) < 0) return -1;
    if (cursor_left(&c)) return beam_error(r, "trailing bytes in AtU8 chunk");
    bf->num_atoms = raw;
    bf->module = bf->atoms[1];
    return 0;
}

/* ---- Type ---- */

int beam_read_types(BeamReader *r)
{
    const BeamChunk *ch = &r->chunks[CH_TYPE];
    r->num_types = 0;
    if (!ch->data) return 0;
    ByteCursor c = byte_cursor(ch);
    uint32_t version, count;
    if (cursor_u32(&c, &version) < 0) return beam_error(r, "truncated Type chunk");
    if (version != 1) return 0; /* as erts: an unknown version means no type information */
    if (cursor_u32(&c, &count) < 0) return beam_error(r, "truncated Type chunk");
    if (count == 0 || cursor_left(&c) / 18 != count || cursor_left(&c) % 18 != 0)
        return beam_error(r, "Type chunk size does not match its %u entries", count);
    r->num_types = count;
    return 0;
}

/* ---- ImpT, ExpT, LocT, FunT ---- */

/* Reads the count of a table of `entry` bytes per entry that fills its chunk. */
static int table_count(BeamReader *r, int chunk, const char *id, size_t entry, ByteCursor *c,
                       uint32_t *count)
{
    *c = byte_cursor(&r->chunks[chunk]);
    if (cursor_u32(c, count) < 0) return beam_error(r, "truncated %s chunk", id);
    if (cursor_left(c) / entry != *count || cursor_left(c) % entry != 0)
        return beam_error(r, "%s chunk size does not match its %u entries", id, *count);
    return 0;
}

static int table_atom(BeamReader *r, ByteCursor *c, const char *id, uint32_t i, Term *out)
{
    uint32_t idx = cursor_get_u32(c); /* the size was checked by table_count */
    if (idx == 0 || idx > r->bf->num_atoms)
        return beam_error(r, "%s entry %u: atom index %u out of range", id, i, idx);
    *out = r->bf->atoms[idx];
    return 0;
}

static int table_arity(BeamReader *r, ByteCursor *c, const char *id, uint32_t i, uint32_t *out)
{
    *out = cursor_get_u32(c);
    if (*out > MAX_ARITY) return beam_error(r, "%s entry %u: arity %u is too large", id, i, *out);
    return 0;
}

static int table_label(BeamReader *r, ByteCursor *c, const char *id, uint32_t i, uint32_t *out)
{
    *out = cursor_get_u32(c);
    if (*out == 0 || *out >= r->bf->label_count)
        return beam_error(r, "%s entry %u: label %u out of range (label count %u)", id, i, *out,
                          r->bf->label_count);
    return 0;
}

static int read_imports(BeamReader *r)
{
    BeamFile *bf = r->bf;
    ByteCursor c;
    uint32_t n = 0;
    if (table_count(r, CH_IMPT, "ImpT", 12, &c, &n) < 0) return -1;
    bf->imports = calloc(n ? n : 1, sizeof *bf->imports);
    if (!bf->imports) return beam_error(r, "out of memory");
    for (uint32_t i = 0; i < n; i++) {
        BeamImport *e = &bf->imports[i];
        if (table_atom(r, &c, "ImpT", i, &e->module) < 0 || table_atom(r, &c, "ImpT", i, &e->function) < 0 ||
            table_arity(r, &c, "ImpT", i, &e->arity) < 0)
            return -1;
    }
    bf->num_imports = n;
    return 0;
}

/* ExpT and LocT: (function, arity, entry label) triples. A missing LocT is empty. */
static int read_function_table(BeamReader *r, int chunk, const char *id, BeamExport **out,
                               uint32_t *count)
{
    ByteCursor c;
    uint32_t n = 0;
    if (r->chunks[chunk].data && table_count(r, chunk, id, 12, &c, &n) < 0) return -1;
    *out = calloc(n ? n : 1, sizeof **out);
    if (!*out) return beam_error(r, "out of memory");
    for (uint32_t i = 0; i < n; i++) {
        BeamExport *e = &(*out)[i];
        if (table_atom(r, &c, id, i, &e->function) < 0 || table_arity(r, &c, id, i, &e->arity) < 0 ||
            table_label(r, &c, id, i, &e->label) < 0)
            return -1;
    }
    *count = n;
    return 0;
}

static int read_lambda(BeamReader *r, ByteCursor *c, uint32_t i, BeamLambda *e)
{
    if (table_atom(r, c, "FunT", i, &e->function) < 0 || table_arity(r, c, "FunT", i, &e->arity) < 0 ||
        table_label(r, c, "FunT", i, &e->label) < 0)
        return -1;
    e->index = cursor_get_u32(c);
    e->num_free = cursor_get_u32(c);
    e->old_uniq = cursor_get_u32(c);
    if (e->index != i) return beam_error(r, "FunT entry %u: index %u should be %u", i, e->index, i);
    if (e->num_free > e->arity)
        return beam_error(r, "FunT entry %u: %u free variables but arity %u", i, e->num_free, e->arity);
    return 0;
}

static int read_lambdas(BeamReader *r)
{
    BeamFile *bf = r->bf;
    ByteCursor c;
    uint32_t n = 0;
    if (r->chunks[CH_FUNT].data && table_count(r, CH_FUNT, "FunT", 24, &c, &n) < 0) return -1;
    bf->lambdas = calloc(n ? n : 1, sizeof *bf->lambdas);
    if (!bf->lambdas) return beam_error(r, "out of memory");
    for (uint32_t i = 0; i < n; i++)
        if (read_lambda(r, &c, i, &bf->lambdas[i]) < 0) return -1;
    bf->num_lambdas = n;
    return 0;
}

int beam_read_functions(BeamReader *r)
{
    BeamFile *bf = r->bf;
    if (read_imports(r) < 0 ||
        read_function_table(r, CH_EXPT, "ExpT", &bf->exports, &bf->num_exports) < 0 ||
        read_function_table(r, CH_LOCT, "LocT", &bf->locals, &bf->num_locals) < 0)
        return -1;
    return read_lambdas(r);
}

/* ---- LitT ---- */

static int inflate_literals(BeamReader *r, uint8_t **data, uint32_t *size)
{
    ByteCursor c = byte_cursor(&r->chunks[CH_LITT]);
    if (cursor_u32(&c, size) < 0) return beam_error(r, "truncated LitT chunk");
    if (*size > (uint64_t)cursor_left(&c) * MAX_INFLATE_RATIO + 1024)
        return beam_error(r, "LitT chunk claims an impossible inflated size %u", *size);
    *data = malloc(*size ? *size : 1);
    if (!*data) return beam_error(r, "out of memory");
    uLongf out_len = *size;
    uLong in_len = cursor_left(&c);
    if (uncompress2(*data, &out_len, c.p, &in_len) != Z_OK || out_len != *size || in_len != cursor_left(&c))
        return beam_error(r, "LitT chunk does not inflate to its stated size %u", *size);
    return 0;
}

static int decode_literal(BeamReader *r, ByteCursor *c, uint32_t i)
{
    uint32_t size;
    if (cursor_u32(c, &size) < 0 || size > cursor_left(c)) return beam_error(r, "truncated literal %u", i);
    char msg[128];
    size_t used;
    Term t = etf_binary_to_term(c->p, size, literal_allocator(r->bf->literals), &used, msg, sizeof msg);
    if (t == THE_NON_VALUE) return beam_error(r, "literal %u: %s", i, msg);
    if (used != size) return beam_error(r, "literal %u: %zu bytes after the term", i, size - used);
    c->p += size;
    r->bf->literal_terms[i] = t;
    return 0;
}

static int parse_literals(BeamReader *r, const uint8_t *data, uint32_t size)
{
    ByteCursor c = {data, data + size};
    uint32_t n;
    if (cursor_u32(&c, &n) < 0) return beam_error(r, "truncated LitT data");
    if (n > cursor_left(&c) / 4) return beam_error(r, "literal count %u does not fit the LitT data", n);
    r->bf->literal_terms = malloc((n ? n : 1) * sizeof(Term));
    if (!r->bf->literal_terms) return beam_error(r, "out of memory");
    for (uint32_t i = 0; i < n; i++) {
        if (decode_literal(r, &c, i) < 0) return -1;
        r->bf->num_literals = i + 1;
    }
    if (cursor_left(&c)) return beam_error(r, "trailing bytes in LitT data");
    return 0;
}

int beam_read_literals(BeamReader *r)
{
    if (!r->chunks[CH_LITT].data) return 0;
    uint8_t *data = NULL;
    uint32_t size = 0;
    int rc = inflate_literals(r, &data, &size);
    if (rc == 0) rc = parse_literals(r, data, size);
    free(data);
    return rc;
}

/* ---- StrT ---- */

int beam_read_strings(BeamReader *r)
{
    const BeamChunk *ch = &r->chunks[CH_STRT];
    if (!ch->data || ch->size == 0) return 0;
    r->bf->strtab = malloc(ch->size);
    if (!r->bf->strtab) return beam_error(r, "out of memory");
    memcpy(r->bf->strtab, ch->data, ch->size);
    r->bf->strtab_size = ch->size;
    return 0;
}

/* ---- Line ---- */

/* Item 0 (no location) and file 0 ("<module>.erl"), present even without a Line chunk. */
static int line_defaults(BeamReader *r, uint32_t items, uint32_t names)
{
    BeamFile *bf = r->bf;
    bf->line_items = calloc((size_t)items + 1, sizeof *bf->line_items);
    bf->file_names = calloc((size_t)names + 1, sizeof *bf->file_names);
    if (!bf->line_items || !bf->file_names) return beam_error(r, "out of memory");
    bf->num_file_names = names + 1;
    size_t len = atom_len(bf->module);
    bf->file_names[0] = malloc(len + 5);
    if (!bf->file_names[0]) return beam_error(r, "out of memory");
    memcpy(bf->file_names[0], atom_text(bf->module), len);
    memcpy(bf->file_names[0] + len, ".erl", 5);
    bf->num_line_items = 1;
    return 0;
}

/* Line items: `a` N switches to file N, `i` L adds (file, L). */
static int read_line_items(BeamReader *r, CompactCursor *cc, uint32_t count, uint32_t names)
{
    BeamFile *bf = r->bf;
    uint32_t file = 0;
    while (bf->num_line_items <= count) {
        CompactValue v;
        if (compact_read(cc, &v) < 0) return beam_error(r, "Line chunk: %s", cc->error);
        if (!v.fits || v.val < 0 || v.val > UINT32_MAX || (v.tag != CT_A && v.tag != CT_I))
            return beam_error(r, "Line chunk: bad item");
        if (v.tag == CT_A && v.val > names)
            return beam_error(r, "Line chunk: file index %lld out of range", (long long)v.val);
        if (v.tag == CT_A)
            file = (uint32_t)v.val;
        else
            bf->line_items[bf->num_line_items++] = (BeamLineItem){file, (uint32_t)v.val};
    }
    return 0;
}

static int read_file_names(BeamReader *r, ByteCursor *c, uint32_t names)
{
    for (uint32_t i = 1; i <= names; i++) {
        uint16_t len;
        if (cursor_u16(c, &len) < 0 || len > cursor_left(c)) return beam_error(r, "truncated Line chunk");
        char *s = malloc((size_t)len + 1);
        if (!s) return beam_error(r, "out of memory");
        memcpy(s, c->p, len);
        s[len] = '\0';
        c->p += len;
        r->bf->file_names[i] = s;
    }
    return 0;
}

int beam_read_lines(BeamReader *r)
{
    const BeamChunk *ch = &r->chunks[CH_LINE];
    ByteCursor c = byte_cursor(ch);
    uint32_t h[5] = {0}; /* version, flags, line instructions, items, names */
    for (int i = 0; ch->data && i < 5; i++)
        if (cursor_u32(&c, &h[i]) < 0) return beam_error(r, "truncated Line chunk");
    r->line_table = ch->data && h[0] == 0; /* erts ignores other versions */
    if (!r->line_table) return line_defaults(r, 0, 0);
    if (h[3] > cursor_left(&c) || h[4] > cursor_left(&c) / 2)
        return beam_error(r, "Line chunk counts do not fit the chunk");
    if (line_defaults(r, h[3], h[4]) < 0) return -1;
    CompactCursor cc;
    compact_init(&cc, c.p, cursor_left(&c));
    if (read_line_items(r, &cc, h[3], h[4]) < 0) return -1;
    c.p = cc.p;
    if (read_file_names(r, &c, h[4]) < 0) return -1;
    if (cursor_left(&c)) return beam_error(r, "trailing bytes in Line chunk");
    return 0;
}

/* ---- Attr, CInf ---- */

static int read_term_chunk(BeamReader *r, int chunk, const char *id, Term *out)
{
    const BeamChunk *ch = &r->chunks[chunk];
    *out = NIL;
    if (!ch->data) return 0;
    char msg[128];
    size_t used;
    TermAlloc a = literal_allocator(r->bf->literals);
    Term t = etf_binary_to_term(ch->data, ch->size, a, &used, msg, sizeof msg);
    if (t == THE_NON_VALUE) return beam_error(r, "%s chunk: %s", id, msg);
    if (used != ch->size) return beam_error(r, "trailing bytes in %s chunk", id);
    *out = t;
    return 0;
}

int beam_read_attributes(BeamReader *r)
{
    if (read_term_chunk(r, CH_ATTR, "Attr", &r->bf->attributes) < 0) return -1;
    return read_term_chunk(r, CH_CINF, "CInf", &r->bf->compile_info);
}
