/*
 * etf_decode.c - the external term format decoder (see etf.h).
 *
 * Decoding is a loop over a stack of frames instead of recursion. A frame
 * is a run of slots still to be filled: the elements of a tuple, the heads
 * of a list's cons cells, the tail of a list, or the alternating keys and
 * values of a map. Each step decodes one term into the next slot of the top
 * frame; a compound term is allocated at once (its size is in its header),
 * written into the slot, and pushes a frame for its own elements. A map is
 * finished (keys sorted, duplicates refused) when its frame is exhausted,
 * which is after all its keys and values are complete.
 *
 * Before allocating a compound term the decoder checks that enough input
 * is left for its elements (at least one byte each), so a lying length
 * cannot make it allocate more than a small multiple of the input size.
 */
#include "runtime/etf/etf.h"

#include "runtime/term/atom.h"
#include "runtime/term/big.h"
#include "runtime/term/binary.h"
#include "runtime/term/magic.h"
#include "runtime/loader/export.h"
#include "runtime/term/map.h"
#include "runtime/loader/module.h"
#include "runtime/term/term_cmp.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <zlib.h>

/* Length of the text of FLOAT_EXT (99): "%.20e" padded with NULs. */
#define OLD_FLOAT_BYTES 31

enum frame_kind {
    FR_SLOTS, /* consecutive slots: tuple elements, a list tail */
    FR_HEADS, /* the heads of consecutive cons cells (every second word) */
    FR_MAP,   /* a map's keys and values, alternating (built flat, see finish_map) */
};

typedef struct Frame {
    Term *at;    /* FR_SLOTS/FR_HEADS: the next slot; FR_MAP: the map object */
    Term *dest;  /* FR_MAP: the slot holding the map (a large one is rebuilt as a hash map) */
    size_t left; /* terms still to decode */
    uint8_t kind;
} Frame;

typedef struct Decoder {
    const uint8_t *p, *end;
    TermAlloc a;
    bool safe;        /* create no atoms and no export entries (binary_to_term's `safe`) */
    Process *owner;   /* binaries for this process (binary_new), or NULL */
    Frame *stack;
    size_t depth, cap;
    char *err;
    size_t errlen;
} Decoder;

static int fail(Decoder *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(Decoder *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (d->errlen) vsnprintf(d->err, d->errlen, fmt, ap);
    va_end(ap);
    return -1;
}

/* ---- input ---- */

static size_t left(const Decoder *d) { return (size_t)(d->end - d->p); }

static int need(Decoder *d, size_t n)
{
    return left(d) >= n ? 0 : fail(d, "truncated term");
}

static uint8_t take_u8(Decoder *d) { return *d->p++; }

static uint16_t take_u16(Decoder *d)
{
    uint16_t v = (uint16_t)(d->p[0] << 8 | d->p[1]);
    d->p += 2;
    return v;
}

static uint32_t take_u32(Decoder *d)
{
    uint32_t v = (uint32_t)d->p[0] << 24 | (uint32_t)d->p[1] << 16 | (uint32_t)d->p[2] << 8 | d->p[3];
    d->p += 4;
    return v;
}

/* Reads a length field of `width` bytes (1, 2 or 4), then checks that
   at least len * per_item bytes remain. */
static int take_len(Decoder *d, int width, size_t per_item, size_t *len)
{
    if (need(d, (size_t)width) < 0) return -1;
    *len = width == 1 ? take_u8(d) : width == 2 ? take_u16(d) : take_u32(d);
    return need(d, *len * per_item);
}

/* ---- output ---- */

static Term *alloc(Decoder *d, size_t words)
{
    Term *hp = d->a.alloc(d->a.ctx, words);
    if (!hp) fail(d, "out of memory");
    return hp;
}

/* For a process, the id of a live magic reference (magic.h) gives a working handle, as on OTP. */
static int make_ref_term(Decoder *d, const uint32_t num[3], Term *out)
{
    Term id[REF_WORDS] = {(Term)num[0] | (Term)num[1] << 32, num[2]};
    Magic *m = d->owner ? magic_lookup(id) : NULL;
    if (m) {
        *out = magic_ref_new(d->owner, m);
        return 0;
    }
    Term *hp = alloc(d, 1 + REF_WORDS);
    if (!hp) return -1;
    hp[0] = make_header(REF_WORDS, HDR_REF);
    hp[1] = (Term)num[0] | (Term)num[1] << 32;
    hp[2] = num[2];
    *out = make_boxed(hp);
    return 0;
}

static int push(Decoder *d, enum frame_kind kind, Term *at, size_t n)
{
    if (n == 0) return 0;
    if (d->depth == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 32;
        Frame *s = realloc(d->stack, cap * sizeof *s);
        if (!s) return fail(d, "out of memory");
        d->stack = s;
        d->cap = cap;
    }
    d->stack[d->depth++] = (Frame){at, NULL, n, (uint8_t)kind};
    return 0;
}

static Term *next_slot(Frame *f)
{
    Term *slot;
    if (f->kind == FR_SLOTS) {
        slot = f->at++;
    } else if (f->kind == FR_HEADS) {
        slot = f->at;
        f->at += 2;
    } else {
        size_t n = f->at[1];
        size_t j = 2 * n - f->left;
        slot = j % 2 == 0 ? boxed_val(f->at[2]) + 1 + j / 2 : f->at + 3 + j / 2;
    }
    f->left--;
    return slot;
}

/* ---- atoms ---- */

/* Length of the valid UTF-8 sequence starting at s[0], or 0 if invalid. */
static size_t utf8_sequence(const uint8_t *s, size_t len)
{
    uint8_t c = s[0];
    if (c < 0x80) return 1;
    size_t n;
    uint8_t lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0) lo = 0xA0; /* overlong */
        if (c == 0xED) hi = 0x9F; /* surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0) lo = 0x90; /* overlong */
        if (c == 0xF4) hi = 0x8F; /* above U+10FFFF */
    } else {
        return 0;
    }
    if (len < n || s[1] < lo || s[1] > hi) return 0;
    for (size_t k = 2; k < n; k++)
        if ((s[k] & 0xC0) != 0x80) return 0;
    return n;
}

Term etf_atom_from_utf8(const uint8_t *text, size_t len)
{
    for (size_t i = 0; i < len;) {
        size_t n = utf8_sequence(text + i, len - i);
        if (n == 0) return THE_NON_VALUE;
        i += n;
    }
    return atom_put((const char *)text, len);
}

static Term atom_from_latin1(const uint8_t *text, size_t len, bool existing)
{
    if (len > ATOM_MAX_CHARS) return THE_NON_VALUE;
    uint8_t utf8[2 * ATOM_MAX_CHARS];
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if (text[i] < 0x80) {
            utf8[n++] = text[i];
        } else {
            utf8[n++] = (uint8_t)(0xC0 | text[i] >> 6);
            utf8[n++] = (uint8_t)(0x80 | (text[i] & 0x3F));
        }
    }
    return existing ? atom_find((const char *)utf8, n) : atom_put((const char *)utf8, n);
}

/* A UTF-8 atom that must already exist (safe mode). */
static Term existing_atom_from_utf8(const uint8_t *text, size_t len)
{
    for (size_t i = 0; i < len;) {
        size_t n = utf8_sequence(text + i, len - i);
        if (n == 0) return THE_NON_VALUE;
        i += n;
    }
    return atom_find((const char *)text, len);
}

static bool is_atom_tag(unsigned tag)
{
    return tag == TAG_ATOM || tag == TAG_SMALL_ATOM || tag == TAG_ATOM_UTF8 ||
           tag == TAG_SMALL_ATOM_UTF8;
}

/* The atom after an atom tag byte. */
static int decode_atom(Decoder *d, unsigned tag, Term *out)
{
    size_t len;
    int width = tag == TAG_SMALL_ATOM || tag == TAG_SMALL_ATOM_UTF8 ? 1 : 2;
    if (take_len(d, width, 1, &len) < 0) return -1;
    bool latin1 = tag == TAG_ATOM || tag == TAG_SMALL_ATOM;
    Term a = latin1       ? atom_from_latin1(d->p, len, d->safe)
             : d->safe    ? existing_atom_from_utf8(d->p, len)
                          : etf_atom_from_utf8(d->p, len);
    if (a == THE_NON_VALUE)
        return fail(d, d->safe ? "unknown atom (safe), or invalid atom"
                               : "invalid atom (bad UTF-8, too long, or atom table full)");
    d->p += len;
    *out = a;
    return 0;
}

/* ---- numbers ---- */

static int decode_small_integer(Decoder *d, unsigned tag, Term *out)
{
    if (tag == TAG_SMALL_INTEGER) {
        if (need(d, 1) < 0) return -1;
        *out = make_small(take_u8(d));
    } else {
        if (need(d, 4) < 0) return -1;
        *out = make_small((int32_t)take_u32(d));
    }
    return 0;
}

static int decode_big(Decoder *d, unsigned tag, Term *out)
{
    size_t n;
    if (take_len(d, tag == TAG_SMALL_BIG ? 1 : 4, 1, &n) < 0 || need(d, n + 1) < 0) return -1;
    bool negative = take_u8(d) != 0;
    Term t = big_from_le_magnitude(d->p, n, negative, d->a);
    if (t == THE_NON_VALUE) return fail(d, "out of memory");
    d->p += n;
    *out = t;
    return 0;
}

static int make_float_term(Decoder *d, double v, Term *out)
{
    if (!isfinite(v)) return fail(d, "float is not finite");
    Term *hp = alloc(d, FLOAT_WORDS);
    if (!hp) return -1;
    *out = make_float(hp, v);
    return 0;
}

static int decode_new_float(Decoder *d, Term *out)
{
    if (need(d, 8) < 0) return -1;
    uint64_t bits = 0;
    for (int i = 0; i < 8; i++) bits = bits << 8 | take_u8(d);
    double v;
    memcpy(&v, &bits, sizeof v);
    return make_float_term(d, v, out);
}

static size_t skip_digits(const char *s, size_t i, size_t n)
{
    while (i < n && s[i] >= '0' && s[i] <= '9') i++;
    return i;
}

/*
 * FLOAT_EXT text as OTP accepts it: [+-]digits.digits, an optional exponent
 * [eE][+-]digits, then a NUL or the end. (No spaces, no "1", "1e5" or ".5".)
 */
static bool old_float_syntax(const char *s, size_t n)
{
    size_t i = 0, start;
    if (i < n && (s[i] == '+' || s[i] == '-')) i++;
    start = i;
    if ((i = skip_digits(s, i, n)) == start || i >= n || s[i++] != '.') return false;
    start = i;
    if ((i = skip_digits(s, i, n)) == start) return false;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-')) i++;
        start = i;
        if ((i = skip_digits(s, i, n)) == start) return false;
    }
    return i == n || s[i] == '\0'; /* the text ends at its first NUL: what follows is ignored */
}

static int decode_old_float(Decoder *d, Term *out)
{
    if (need(d, OLD_FLOAT_BYTES) < 0) return -1;
    char text[OLD_FLOAT_BYTES + 1];
    memcpy(text, d->p, OLD_FLOAT_BYTES);
    text[OLD_FLOAT_BYTES] = '\0';
    d->p += OLD_FLOAT_BYTES;
    if (!old_float_syntax(text, OLD_FLOAT_BYTES)) return fail(d, "bad float text");
    return make_float_term(d, strtod(text, NULL), out);
}

/* ---- binaries ---- */

/*
 * A bitstring of the next `bits` bits of input (whole bytes consumed).
 * For a process (binary_to_term) binaries come from binary_new, so large
 * ones live off the heap; otherwise (literals) they are heap binaries from
 * the allocator, plus a sub binary for a partial last byte.
 */
static int take_bits(Decoder *d, size_t bits, Term *out)
{
    size_t n = (bits + 7) / 8;
    Term t;
    if (d->owner) {
        uint8_t *data;
        t = binary_new(d->owner, n, &data);
        if (t != THE_NON_VALUE) {
            memcpy(data, d->p, n);
            t = binary_sub(d->owner, t, 0, bits);
        }
    } else {
        t = bitstring_new_in(d->a, d->p, 0, bits);
    }
    if (t == THE_NON_VALUE) return fail(d, "out of memory");
    d->p += n;
    *out = t;
    return 0;
}

static int decode_binary(Decoder *d, Term *out)
{
    size_t n;
    if (take_len(d, 4, 1, &n) < 0) return -1;
    return take_bits(d, 8 * n, out);
}

/* BIT_BINARY: bytes, and how many bits of the last one count (1..8). */
static int decode_bit_binary(Decoder *d, Term *out)
{
    size_t n;
    if (take_len(d, 4, 1, &n) < 0 || need(d, n + 1) < 0) return -1;
    unsigned bits = take_u8(d);
    if (n == 0 ? bits != 0 : bits < 1 || bits > 8) return fail(d, "bad bit count in bit binary");
    return take_bits(d, n == 0 ? 0 : 8 * (n - 1) + bits, out);
}

/* ---- compound terms ---- */

static int decode_tuple(Decoder *d, int width, Term *out)
{
    size_t n;
    if (take_len(d, width, 1, &n) < 0) return -1;
    Term *hp = alloc(d, 1 + n);
    if (!hp) return -1;
    hp[0] = make_tuple_header(n);
    *out = make_boxed(hp);
    return push(d, FR_SLOTS, hp + 1, n);
}

static int decode_string(Decoder *d, Term *out)
{
    size_t n;
    if (take_len(d, 2, 1, &n) < 0) return -1;
    if (n == 0) {
        *out = NIL;
        return 0;
    }
    Term *cells = alloc(d, 2 * n);
    if (!cells) return -1;
    for (size_t i = 0; i < n; i++) {
        CAR(cells + 2 * i) = make_small(take_u8(d));
        CDR(cells + 2 * i) = i + 1 < n ? make_list(cells + 2 * i + 2) : NIL;
    }
    *out = make_list(cells);
    return 0;
}

/* LIST_EXT: n elements and a tail. With n = 0 the term is just the tail. */
static int decode_list(Decoder *d, Term *out)
{
    size_t n;
    if (take_len(d, 4, 1, &n) < 0 || need(d, n + 1) < 0) return -1;
    if (n == 0) return push(d, FR_SLOTS, out, 1);
    Term *cells = alloc(d, 2 * n);
    if (!cells) return -1;
    for (size_t i = 0; i + 1 < n; i++) CDR(cells + 2 * i) = make_list(cells + 2 * i + 2);
    *out = make_list(cells);
    if (push(d, FR_SLOTS, cells + 2 * n - 1, 1) < 0) return -1; /* decoded last */
    return push(d, FR_HEADS, cells, n);
}

static int decode_map(Decoder *d, Term *out)
{
    size_t n;
    if (take_len(d, 4, 2, &n) < 0) return -1;
    Term *keys = alloc(d, 1 + n);
    Term *map = keys ? alloc(d, 3 + n) : NULL;
    if (!map) return -1;
    keys[0] = make_tuple_header(n);
    map[0] = make_header(2 + n, HDR_MAP);
    map[1] = n;
    map[2] = make_boxed(keys);
    *out = make_boxed(map);
    if (n == 0) return 0;
    if (push(d, FR_MAP, map, 2 * n) < 0) return -1;
    d->stack[d->depth - 1].dest = out;
    return 0;
}

/* ---- map keys ---- */

typedef struct KeyValue {
    Term key, value;
} KeyValue;

/* Map keys are sorted in the exact order (every integer before every float). */
static int compare_pairs(const void *x, const void *y)
{
    return term_compare_exact(((const KeyValue *)x)->key, ((const KeyValue *)y)->key);
}

static bool keys_ascending(const Term *keys, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (term_compare_exact(keys[i - 1], keys[i]) >= 0) return false;
    return true;
}

/* Sorts a map's keys (with their values) and refuses duplicates. */
static int sort_map(Decoder *d, Term *map)
{
    size_t n = map[1];
    Term *keys = boxed_val(map[2]) + 1, *values = map + 3;
    if (keys_ascending(keys, n)) return 0;
    KeyValue *kv = malloc(n * sizeof *kv);
    if (!kv) return fail(d, "out of memory");
    for (size_t i = 0; i < n; i++) kv[i] = (KeyValue){keys[i], values[i]};
    qsort(kv, n, sizeof *kv, compare_pairs);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        if (i > 0 && term_compare_exact(kv[i - 1].key, kv[i].key) == 0) rc = fail(d, "duplicate map key");
        keys[i] = kv[i].key;
        values[i] = kv[i].value;
    }
    free(kv);
    return rc;
}

/* A decoded map, once complete: sorted, and a hash map beyond MAP_FLAT_MAX keys, as in OTP. */
static int finish_map(Decoder *d, Term *map, Term *dest)
{
    if (sort_map(d, map) < 0) return -1;
    size_t n = map[1];
    if (n <= MAP_FLAT_MAX) return 0;
    Term t = map_from_sorted(d->a, boxed_val(map[2]) + 1, map + 3, n);
    if (t == THE_NON_VALUE) return fail(d, "out of memory");
    *dest = t;
    return 0;
}

/* ---- export funs ---- */

/* An export fun's arity: any integer encoding of a value in 0..2^32-1. */
static int decode_arity(Decoder *d, uint32_t *arity)
{
    if (need(d, 1) < 0) return -1;
    unsigned tag = take_u8(d);
    if (tag == TAG_SMALL_INTEGER) {
        if (need(d, 1) < 0) return -1;
        *arity = take_u8(d);
        return 0;
    }
    if (tag == TAG_INTEGER) {
        if (need(d, 4) < 0) return -1;
        int32_t v = (int32_t)take_u32(d);
        if (v < 0) return fail(d, "export fun arity out of range");
        *arity = (uint32_t)v;
        return 0;
    }
    if (tag != TAG_SMALL_BIG && tag != TAG_LARGE_BIG) return fail(d, "export fun arity is not an integer");
    size_t n;
    if (take_len(d, tag == TAG_SMALL_BIG ? 1 : 4, 1, &n) < 0 || need(d, n + 1) < 0) return -1;
    bool negative = take_u8(d) != 0;
    const uint8_t *mag = d->p;
    d->p += n;
    while (n > 0 && mag[n - 1] == 0) n--;
    if (n > 4 || (negative && n > 0)) return fail(d, "export fun arity out of range");
    *arity = 0;
    for (size_t i = n; i-- > 0;) *arity = *arity << 8 | mag[i];
    return 0;
}

static int decode_export(Decoder *d, Term *out)
{
    Term mf[2];
    for (int i = 0; i < 2; i++) {
        if (need(d, 1) < 0) return -1;
        unsigned tag = take_u8(d);
        if (!is_atom_tag(tag)) return fail(d, "export fun module or function is not an atom");
        if (decode_atom(d, tag, &mf[i]) < 0) return -1;
    }
    uint32_t arity = 0;
    if (decode_arity(d, &arity) < 0) return -1;
    Export *e = d->safe ? export_find(mf[0], mf[1], arity) : export_get(mf[0], mf[1], arity);
    if (!e || (d->safe && !export_is_defined(e))) return fail(d, "export fun of an undefined function (safe)");
    Term *hp = alloc(d, 2);
    if (!hp) return -1;
    hp[0] = make_header(1, HDR_EXPORT);
    hp[1] = (Term)e;
    *out = make_boxed(hp);
    return 0;
}

/* ---- pids, ports and references ---- */

/*
 * Only identifiers of the local node can be represented: node
 * nonode@nohost with creation 0, which is what OTP writes when it is not
 * distributed. Any other node or creation (an external pid, port or
 * reference in OTP) is refused.
 */
static int decode_node(Decoder *d, const char *what)
{
    if (need(d, 1) < 0) return -1;
    unsigned tag = take_u8(d);
    if (!is_atom_tag(tag)) return fail(d, "node name is not an atom");
    Term node;
    if (decode_atom(d, tag, &node) < 0) return -1;
    if (node != AM_nonode_at_nohost) return fail(d, "%s of other nodes are not supported", what);
    return 0;
}

/* The creation field: u8 in the old formats, u32 in the new ones. */
static int decode_creation(Decoder *d, bool wide, const char *what)
{
    if (need(d, wide ? 4 : 1) < 0) return -1;
    uint32_t creation = wide ? take_u32(d) : take_u8(d);
    return creation == 0 ? 0 : fail(d, "%s of other node incarnations are not supported", what);
}

/* NEW_PID / PID: <0.ID.Serial> is pid number ID | Serial << 32 (see etf_encode.c). */
static int decode_pid(Decoder *d, unsigned tag, Term *out)
{
    if (decode_node(d, "pids") < 0 || need(d, 8) < 0) return -1;
    uint64_t id = take_u32(d);
    uint64_t serial = take_u32(d);
    if (decode_creation(d, tag == TAG_NEW_PID, "pids") < 0) return -1;
    *out = make_pid(id | serial << 32);
    return 0;
}

static int decode_port(Decoder *d, unsigned tag, Term *out)
{
    if (decode_node(d, "ports") < 0) return -1;
    uint64_t id;
    if (tag == TAG_V4_PORT) {
        if (need(d, 8) < 0) return -1;
        id = (uint64_t)take_u32(d) << 32;
        id |= take_u32(d);
    } else {
        if (need(d, 4) < 0) return -1;
        id = take_u32(d);
    }
    if (decode_creation(d, tag != TAG_PORT, "ports") < 0) return -1;
    *out = make_port(id);
    return 0;
}

/*
 * A reference's numbers A, B, C (#Ref<0.C.B.A>) are stored as two words,
 * A | B << 32 and C (bif_ref.c). Missing numbers are 0, as in OTP; OTP 25
 * refuses more than three for a local reference.
 */
static int decode_ref(Decoder *d, unsigned tag, Term *out)
{
    size_t n = 1;
    if (tag != TAG_REFERENCE && take_len(d, 2, 0, &n) < 0) return -1;
    if (decode_node(d, "references") < 0) return -1;
    if (tag == TAG_REFERENCE) {
        if (need(d, 4) < 0) return -1;
        uint32_t id = take_u32(d);
        if (decode_creation(d, false, "references") < 0) return -1;
        return make_ref_term(d, (uint32_t[3]){id, 0, 0}, out);
    }
    if (decode_creation(d, tag == TAG_NEWER_REFERENCE, "references") < 0) return -1;
    if (n > 3) return fail(d, "reference with more than three numbers");
    if (need(d, 4 * n) < 0) return -1;
    uint32_t num[3] = {0, 0, 0};
    for (size_t i = 0; i < n; i++) num[i] = take_u32(d);
    return make_ref_term(d, num, out);
}

/* ---- local funs ---- */


/* An integer field of NEW_FUN (OldIndex, OldUniq): SMALL_INTEGER or INTEGER. */
static int skip_fun_integer(Decoder *d)
{
    if (need(d, 1) < 0) return -1;
    unsigned tag = take_u8(d);
    if (tag != TAG_SMALL_INTEGER && tag != TAG_INTEGER) return fail(d, "bad integer field in a fun");
    Term ignored;
    return decode_small_integer(d, tag, &ignored);
}

/* The lambda a NEW_FUN names, which must be in the loaded version of its module. */
static const FunEntry *find_lambda(Decoder *d, Term module, const uint8_t *uniq, uint32_t index,
                                   uint32_t arity, uint32_t num_free)
{
    const Module *m = module_find(module);
    if (!m || memcmp(m->md5, uniq, 16) != 0 || index >= m->num_lambdas) {
        fail(d, "fun of a module that is not loaded, or of another version of it");
        return NULL;
    }
    const FunEntry *fe = &m->lambdas[index];
    if (fe->arity != arity || fe->num_free != num_free) {
        fail(d, "fun does not match its module's lambda table");
        return NULL;
    }
    return fe;
}

/* NEW_FUN: Size, Arity, Uniq, Index, NumFree, Module, OldIndex, OldUniq, Pid, free values. */
static int decode_fun(Decoder *d, Term *out)
{
    if (left(d) < 4 + 1 + 16 + 4 + 4) return fail(d, "truncated NEW_FUN (local funs)");
    d->p += 4; /* Size: the fields are parsed, not skipped */
    uint32_t arity = take_u8(d);
    const uint8_t *uniq = d->p;
    d->p += 16;
    uint32_t index = take_u32(d);
    uint32_t num_free = take_u32(d);
    if (need(d, num_free) < 0 || need(d, 1) < 0) return -1;
    unsigned tag = take_u8(d);
    Term module, pid;
    if (!is_atom_tag(tag)) return fail(d, "fun module is not an atom");
    if (decode_atom(d, tag, &module) < 0 || skip_fun_integer(d) < 0 || skip_fun_integer(d) < 0) return -1;
    if (need(d, 1) < 0) return -1;
    tag = take_u8(d);
    if (tag != TAG_NEW_PID && tag != TAG_PID) return fail(d, "fun creator is not a pid");
    if (decode_pid(d, tag, &pid) < 0) return -1;
    const FunEntry *fe = find_lambda(d, module, uniq, index, arity, num_free);
    if (!fe) return -1;
    Term *hp = alloc(d, FUN_FIXED_WORDS + num_free);
    if (!hp) return -1;
    hp[0] = make_header(FUN_FIXED_WORDS - 1 + num_free, HDR_FUN);
    hp[1] = (Term)fe;
    hp[2] = pid;
    *out = make_boxed(hp);
    return push(d, FR_SLOTS, hp + FUN_FIXED_WORDS, num_free);
}

/* ---- one term ---- */

static int bad_tag(Decoder *d, unsigned tag)
{
    switch (tag) {
    case TAG_COMPRESSED:
        return fail(d, "compressed term inside a term");
    case TAG_ATOM_CACHE_REF:
        return fail(d, "atom cache references are only valid in distribution messages");
    default:
        return fail(d, "unknown term tag %u", tag);
    }
}

/* Decodes the term at the input into *slot; compound terms push a frame. */
static int decode_one(Decoder *d, Term *slot)
{
    if (need(d, 1) < 0) return -1;
    unsigned tag = take_u8(d);
    switch (tag) {
    case TAG_SMALL_INTEGER:
    case TAG_INTEGER: return decode_small_integer(d, tag, slot);
    case TAG_SMALL_BIG:
    case TAG_LARGE_BIG: return decode_big(d, tag, slot);
    case TAG_NEW_FLOAT: return decode_new_float(d, slot);
    case TAG_FLOAT: return decode_old_float(d, slot);
    case TAG_ATOM:
    case TAG_SMALL_ATOM:
    case TAG_ATOM_UTF8:
    case TAG_SMALL_ATOM_UTF8: return decode_atom(d, tag, slot);
    case TAG_SMALL_TUPLE: return decode_tuple(d, 1, slot);
    case TAG_LARGE_TUPLE: return decode_tuple(d, 4, slot);
    case TAG_NIL: *slot = NIL; return 0;
    case TAG_STRING: return decode_string(d, slot);
    case TAG_LIST: return decode_list(d, slot);
    case TAG_BINARY: return decode_binary(d, slot);
    case TAG_BIT_BINARY: return decode_bit_binary(d, slot);
    case TAG_MAP: return decode_map(d, slot);
    case TAG_EXPORT: return decode_export(d, slot);
    case TAG_NEW_FUN: return decode_fun(d, slot);
    case TAG_NEW_PID:
    case TAG_PID: return decode_pid(d, tag, slot);
    case TAG_NEW_PORT:
    case TAG_PORT:
    case TAG_V4_PORT: return decode_port(d, tag, slot);
    case TAG_NEWER_REFERENCE:
    case TAG_NEW_REFERENCE:
    case TAG_REFERENCE: return decode_ref(d, tag, slot);
    default: return bad_tag(d, tag);
    }
}

static Term run(Decoder *d)
{
    Term result = THE_NON_VALUE;
    if (push(d, FR_SLOTS, &result, 1) < 0) return THE_NON_VALUE;
    while (d->depth > 0) {
        Frame *f = &d->stack[d->depth - 1];
        if (f->left == 0) {
            Frame done = *f;
            d->depth--;
            if (done.kind == FR_MAP && finish_map(d, done.at, done.dest) < 0) return THE_NON_VALUE;
            continue;
        }
        if (decode_one(d, next_slot(f)) < 0) return THE_NON_VALUE;
    }
    return result;
}

static Term decode_buffer(const uint8_t *buf, size_t len, TermAlloc a, const EtfDecodeOptions *o,
                          size_t *used, char *err, size_t errlen)
{
    Decoder d = {.p = buf, .end = buf + len, .a = a, .safe = o->safe, .owner = o->owner,
                 .err = err, .errlen = errlen};
    Term t = run(&d);
    free(d.stack);
    if (used) *used = (size_t)(d.p - buf);
    return t;
}

/* Deflate never compresses better than about 1032:1, so a stated size beyond
   this bound cannot be met; refusing it early avoids a useless huge malloc. */
#define MAX_INFLATE_RATIO 1100

/* COMPRESSED: u32 size, then a zlib stream of exactly that many bytes
   holding the term (whose own trailing bytes are ignored, as in OTP). */
static Term decode_compressed(const uint8_t *buf, size_t len, TermAlloc a, const EtfDecodeOptions *o,
                              size_t *used, char *err, size_t errlen)
{
    if (len < 4) {
        snprintf(err, errlen, "truncated compressed term");
        return THE_NON_VALUE;
    }
    uLongf size = (uLongf)buf[0] << 24 | (uLongf)buf[1] << 16 | (uLongf)buf[2] << 8 | buf[3];
    if (size > (uint64_t)(len - 4) * MAX_INFLATE_RATIO + 1024) {
        snprintf(err, errlen, "bad compressed term");
        return THE_NON_VALUE;
    }
    uint8_t *data = malloc(size ? size : 1);
    if (!data) {
        snprintf(err, errlen, "out of memory");
        return THE_NON_VALUE;
    }
    uLongf out_len = size;
    uLong in_len = len - 4;
    Term t = THE_NON_VALUE;
    if (uncompress2(data, &out_len, buf + 4, &in_len) != Z_OK || out_len != size)
        snprintf(err, errlen, "bad compressed term");
    else
        t = decode_buffer(data, size, a, o, NULL, err, errlen);
    free(data);
    if (used) *used = 4 + in_len;
    return t;
}

static const EtfDecodeOptions defaults = {.safe = false, .owner = NULL};

Term etf_decode(const uint8_t *buf, size_t len, TermAlloc a, size_t *used, char *err,
                size_t errlen)
{
    return decode_buffer(buf, len, a, &defaults, used, err, errlen);
}

Term etf_binary_to_term(const uint8_t *buf, size_t len, TermAlloc a, size_t *used, char *err,
                        size_t errlen)
{
    return etf_binary_to_term_opts(buf, len, a, &defaults, used, err, errlen);
}

Term etf_binary_to_term_opts(const uint8_t *buf, size_t len, TermAlloc a, const EtfDecodeOptions *o,
                             size_t *used, char *err, size_t errlen)
{
    if (len < 1 || buf[0] != ETF_VERSION) {
        snprintf(err, errlen, "not an external term (no version byte 131)");
        return THE_NON_VALUE;
    }
    size_t n = 0;
    Term t;
    if (len >= 2 && buf[1] == TAG_COMPRESSED) {
        t = decode_compressed(buf + 2, len - 2, a, o, &n, err, errlen);
        n += 1; /* the tag byte */
    } else {
        t = decode_buffer(buf + 1, len - 1, a, o, &n, err, errlen);
    }
    if (used) *used = 1 + n;
    return t;
}
