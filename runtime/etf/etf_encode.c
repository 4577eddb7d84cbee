/*
 * etf_encode.c - the external term format encoder (term_to_binary; see etf.h).
 *
 * One walk writes into a growing buffer (a separate sizing pass would cost
 * as much as the encoding itself). The walk uses an explicit stack of
 * pending work, never the C stack, and a pending item stands for a whole
 * run (the rest of a list, of a tuple's elements, of a map's pairs), so the
 * stack grows with the nesting depth only, not with the length of lists or
 * tuples.
 */
#include "runtime/etf/etf.h"

#include "runtime/term/atom.h"
#include "runtime/term/big.h"
#include "runtime/term/binary.h"
#include "runtime/term/bits.h"
#include "runtime/loader/export.h"
#include "runtime/term/map.h"
#include "runtime/loader/module.h"

#include <stdio.h>
#include <stdlib.h>
#include <zlib.h>

/* Longest list that STRING_EXT can hold. */
#define STRING_EXT_MAX 65535

/* What OTP writes for the local node when it is not distributed. */
#define LOCAL_CREATION 0u

/* The stem of FLOAT_EXT: "%.20e" text in 31 bytes, NUL-padded. */
#define OLD_FLOAT_BYTES 31

/* ---- output ---- */

/* A growing buffer (the encoding's size is not known in advance). */
typedef struct Out {
    uint8_t *buf;
    size_t pos, cap;
} Out;

static __attribute__((cold, noinline)) void out_grow(Out *o, size_t n)
{
    size_t cap = o->cap ? o->cap : 256;
    while (cap - o->pos < n) cap *= 2;
    uint8_t *b = realloc(o->buf, cap);
    if (!b) abort(); /* the VM cannot continue without memory */
    o->buf = b;
    o->cap = cap;
}

/* n bytes to write at the end of the output. */
static inline uint8_t *room(Out *o, size_t n)
{
    if (o->cap - o->pos < n) out_grow(o, n);
    uint8_t *at = o->buf + o->pos;
    o->pos += n;
    return at;
}

static void put_bytes(Out *o, const void *data, size_t n)
{
    if (n) memcpy(room(o, n), data, n);
}

static inline void put_u8(Out *o, unsigned v) { *room(o, 1) = (uint8_t)v; }

static inline void put_u16(Out *o, unsigned v)
{
    uint8_t *at = room(o, 2);
    at[0] = (uint8_t)(v >> 8);
    at[1] = (uint8_t)v;
}

static inline void put_u32(Out *o, uint32_t v)
{
    uint8_t *at = room(o, 4);
    for (int i = 0; i < 4; i++) at[i] = (uint8_t)(v >> (24 - 8 * i));
}

static void put_u64(Out *o, uint64_t v)
{
    put_u32(o, (uint32_t)(v >> 32));
    put_u32(o, (uint32_t)v);
}

/* ---- the work stack ---- */

enum work_kind {
    W_TERM,     /* encode one term */
    W_SEQ,      /* encode terms at[0..n) in order */
    W_LIST,     /* encode the heads of a list from this cell on, then its tail */
    W_MAP,      /* encode a map's pairs from index i on, in list order */
    W_PAIRS,    /* encode pairs i.. of keys at[0..n), values at[n..2n) */
    W_FUN_SIZE, /* write a NEW_FUN's size field (at position n) */
};

typedef struct Work {
    size_t kind;
    uintptr_t a; /* W_TERM, W_LIST, W_MAP: a term; W_SEQ, W_PAIRS: a Term pointer */
    size_t n;    /* W_SEQ, W_PAIRS: count; W_FUN_SIZE: position */
    size_t i;    /* W_MAP, W_PAIRS: the next pair */
} Work;

/* Key/value arrays made for `deterministic` hash maps, freed at the end. */
typedef struct Sorted {
    struct Sorted *next;
    Term kv[];
} Sorted;

/* Where an atom was last written in the output: the same bytes can be
   copied for its next occurrence (a direct-mapped cache by atom index). */
#define ATOM_CACHE_SIZE 64
typedef struct AtomCopy {
    Term atom;
    uint32_t pos, len;
} AtomCopy;

typedef struct Encoder {
    Out out;
    AtomCopy atoms[ATOM_CACHE_SIZE];
    const EtfEncodeOptions *opt;
    Work *stack;
    size_t depth, cap;
    Work local[32];
    Sorted *sorted;
} Encoder;

static __attribute__((cold, noinline)) void grow(Encoder *e)
{
    size_t cap = e->cap * 2;
    Work *s = e->stack == e->local ? malloc(cap * sizeof *s) : realloc(e->stack, cap * sizeof *s);
    if (!s) abort(); /* the VM cannot continue without memory */
    if (e->stack == e->local) memcpy(s, e->local, sizeof e->local);
    e->stack = s;
    e->cap = cap;
}

/* Fields are stored one by one (not as a struct value): popping reads
   them one by one too, so each load is forwarded from its store. */
static inline void push(Encoder *e, enum work_kind kind, uintptr_t a, size_t n, size_t i)
{
    if (e->depth == e->cap) grow(e);
    Work *w = &e->stack[e->depth++];
    w->kind = kind;
    w->a = a;
    w->n = n;
    w->i = i;
}

static void push_term(Encoder *e, Term t) { push(e, W_TERM, t, 0, 0); }

static void push_seq(Encoder *e, const Term *at, size_t n)
{
    if (n > 0) push(e, W_SEQ, (uintptr_t)at, n, 0);
}

/* ---- atoms ---- */

/* The atom's text in Latin-1 (out has room for ATOM_MAX_CHARS bytes), or
   false if it has a character beyond U+00FF. */
static bool latin1_text(Term atom, uint8_t *out, size_t *len)
{
    const uint8_t *s = (const uint8_t *)atom_text(atom);
    size_t n = atom_len(atom), k = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < 0x80) {
            out[k++] = s[i];
        } else if ((s[i] == 0xC2 || s[i] == 0xC3) && i + 1 < n) {
            out[k++] = (uint8_t)((s[i] & 0x03) << 6 | (s[i + 1] & 0x3F));
            i++;
        } else {
            return false;
        }
    }
    *len = k;
    return true;
}

static void write_atom(Encoder *e, Term atom)
{
    uint8_t latin1[ATOM_MAX_CHARS];
    size_t n;
    if (e->opt->minor_version < 2 && latin1_text(atom, latin1, &n)) {
        put_u8(&e->out, TAG_ATOM);
        put_u16(&e->out, (unsigned)n);
        put_bytes(&e->out, latin1, n);
        return;
    }
    n = atom_len(atom);
    if (n <= 255) {
        put_u8(&e->out, TAG_SMALL_ATOM_UTF8);
        put_u8(&e->out, (unsigned)n);
    } else {
        put_u8(&e->out, TAG_ATOM_UTF8);
        put_u16(&e->out, (unsigned)n);
    }
    put_bytes(&e->out, atom_text(atom), n);
}

static void encode_atom(Encoder *e, Term atom)
{
    AtomCopy *c = &e->atoms[atom_val(atom) % ATOM_CACHE_SIZE];
    if (c->atom == atom) {
        uint8_t *at = room(&e->out, c->len);
        memcpy(at, e->out.buf + c->pos, c->len);
        return;
    }
    size_t start = e->out.pos;
    write_atom(e, atom);
    if (start <= UINT32_MAX) *c = (AtomCopy){atom, (uint32_t)start, (uint32_t)(e->out.pos - start)};
}

/* ---- numbers ---- */

/* SMALL_BIG / LARGE_BIG from a magnitude given as 64-bit limbs, least
   significant first, with a non-zero top limb. */
static void encode_big_limbs(Encoder *e, const mp_limb_t *limbs, size_t n, bool negative)
{
    uint64_t top = limbs[n - 1];
    size_t bytes = (n - 1) * 8;
    while (top) {
        bytes++;
        top >>= 8;
    }
    if (bytes <= 255) {
        put_u8(&e->out, TAG_SMALL_BIG);
        put_u8(&e->out, (unsigned)bytes);
    } else {
        put_u8(&e->out, TAG_LARGE_BIG);
        put_u32(&e->out, (uint32_t)bytes);
    }
    put_u8(&e->out, negative);
    for (size_t i = 0; i < bytes; i++) put_u8(&e->out, (uint64_t)limbs[i / 8] >> (8 * (i % 8)) & 0xFF);
}

static void encode_small(Encoder *e, intptr_t v)
{
    if (v >= 0 && v <= 255) {
        put_u8(&e->out, TAG_SMALL_INTEGER);
        put_u8(&e->out, (unsigned)v);
    } else if (v >= INT32_MIN && v <= INT32_MAX) {
        put_u8(&e->out, TAG_INTEGER);
        put_u32(&e->out, (uint32_t)(int32_t)v);
    } else {
        mp_limb_t mag = v < 0 ? (mp_limb_t)0 - (mp_limb_t)v : (mp_limb_t)v;
        encode_big_limbs(e, &mag, 1, v < 0);
    }
}

static void encode_float(Encoder *e, double d)
{
    if (e->opt->minor_version == 0) {
        char text[OLD_FLOAT_BYTES + 8] = {0};
        snprintf(text, sizeof text, "%.20e", d);
        put_u8(&e->out, TAG_FLOAT);
        put_bytes(&e->out, text, OLD_FLOAT_BYTES);
        return;
    }
    uint64_t bits;
    memcpy(&bits, &d, sizeof bits);
    put_u8(&e->out, TAG_NEW_FLOAT);
    put_u64(&e->out, bits);
}

/* ---- binaries ---- */

/* BINARY_EXT, or BIT_BINARY_EXT with the unused low bits of the last byte 0. */
static void encode_bitstring(Encoder *e, Term t)
{
    BitSlice s;
    bitstring_slice(t, &s);
    size_t bytes = (s.bits + 7) / 8;
    unsigned tail = (unsigned)(s.bits % 8);
    put_u8(&e->out, tail ? TAG_BIT_BINARY : TAG_BINARY);
    put_u32(&e->out, (uint32_t)bytes);
    if (tail) put_u8(&e->out, tail);
    if (s.offset % 8 == 0 && tail == 0) {
        put_bytes(&e->out, s.data + s.offset / 8, bytes);
    } else if (bytes > 0) {
        uint8_t *dst = room(&e->out, bytes);
        dst[bytes - 1] = 0;
        bits_copy(dst, 0, s.data, s.offset, s.bits);
    }
}

/* ---- identifiers of the local node ---- */

static void encode_pid(Encoder *e, Term t)
{
    uint64_t n = pid_number(t);
    put_u8(&e->out, TAG_NEW_PID);
    encode_atom(e, AM_nonode_at_nohost);
    put_u32(&e->out, (uint32_t)n);         /* <0.N.0>: N */
    put_u32(&e->out, (uint32_t)(n >> 32)); /* serial */
    put_u32(&e->out, LOCAL_CREATION);
}

static void encode_port(Encoder *e, Term t)
{
    uint64_t n = port_number(t);
    put_u8(&e->out, n >> 32 ? TAG_V4_PORT : TAG_NEW_PORT);
    encode_atom(e, AM_nonode_at_nohost);
    if (n >> 32) put_u64(&e->out, n);
    else put_u32(&e->out, (uint32_t)n);
    put_u32(&e->out, LOCAL_CREATION);
}

/* The three 32-bit numbers of #Ref<0.C.B.A>, written A, B, C as OTP does. */
static void encode_ref(Encoder *e, Term t)
{
    const Term *id = boxed_val(t) + 1;
    put_u8(&e->out, TAG_NEWER_REFERENCE);
    put_u16(&e->out, 3);
    encode_atom(e, AM_nonode_at_nohost);
    put_u32(&e->out, LOCAL_CREATION);
    put_u32(&e->out, (uint32_t)id[0]);
    put_u32(&e->out, (uint32_t)(id[0] >> 32));
    put_u32(&e->out, (uint32_t)id[1]);
}

/* ---- funs ---- */

static void encode_export(Encoder *e, const Export *ex)
{
    put_u8(&e->out, TAG_EXPORT);
    encode_atom(e, ex->module);
    encode_atom(e, ex->function);
    put_u8(&e->out, TAG_SMALL_INTEGER);
    put_u8(&e->out, ex->arity);
}

/*
 * NEW_FUN: the size field counts itself and everything after it, including
 * the captured values, so it is written once they are (W_FUN_SIZE).
 */
static void encode_local_fun(Encoder *e, const Term *f)
{
    const FunEntry *fe = (const FunEntry *)f[1];
    put_u8(&e->out, TAG_NEW_FUN);
    size_t size_at = e->out.pos;
    put_u32(&e->out, 0);
    put_u8(&e->out, fe->arity);
    put_bytes(&e->out, fe->md5, 16);
    put_u32(&e->out, fe->index);
    put_u32(&e->out, fe->num_free);
    encode_atom(e, fe->module);
    encode_small(e, fe->index);
    encode_small(e, fe->old_uniq);
    encode_pid(e, f[2]);
    push(e, W_FUN_SIZE, 0, size_at, 0);
    push_seq(e, f + 3, fe->num_free); /* after header, FunEntry*, creator pid */
}

static void patch_fun_size(Encoder *e, size_t at)
{
    uint32_t size = (uint32_t)(e->out.pos - at);
    for (int i = 0; i < 4; i++) e->out.buf[at + (size_t)i] = (uint8_t)(size >> (24 - 8 * i));
}

/* ---- maps ---- */

/*
 * A map's pairs in list order (key order for a flat map, OTP's order for a
 * hash map), or in key order for a hash map under `deterministic`.
 */
static void encode_map(Encoder *e, Term map)
{
    size_t n = map_size(map);
    put_u8(&e->out, TAG_MAP);
    put_u32(&e->out, (uint32_t)n);
    if (n == 0) return;
    if (map_is_flat(map) || !e->opt->deterministic) {
        push(e, W_MAP, map, 0, 0);
        return;
    }
    Sorted *s = malloc(sizeof *s + 2 * n * sizeof(Term));
    if (!s) abort(); /* the VM cannot continue without memory */
    s->next = e->sorted;
    e->sorted = s;
    map_sorted_pairs(map, s->kv, s->kv + n);
    push(e, W_PAIRS, (uintptr_t)s->kv, n, 0);
}

/* Pair i of a map: its key, then its value; then pair i + 1. List order is
   iteration order reversed for a hash map, key order for a flat one. */
static void map_step(Encoder *e, Term map, size_t i)
{
    size_t n = map_size(map);
    Term key, value;
    if (map_is_flat(map)) {
        key = tuple_elems(boxed_val(map)[2])[i];
        value = boxed_val(map)[3 + i];
    } else {
        map_pair_at(map, n - 1 - i, &key, &value);
    }
    if (i + 1 < n) push(e, W_MAP, map, 0, i + 1);
    push_term(e, value);
    push_term(e, key);
}

static void pairs_step(Encoder *e, const Term *kv, size_t n, size_t i)
{
    if (i + 1 < n) push(e, W_PAIRS, (uintptr_t)kv, n, i + 1);
    push_term(e, kv[n + i]);
    push_term(e, kv[i]);
}

/* ---- lists ---- */

/* STRING_EXT for a proper list of 1..65535 bytes, else LIST_EXT: its
   length, then its elements and tail (W_LIST). One walk decides and counts. */
static void encode_list(Encoder *e, Term t)
{
    size_t n = 0;
    bool bytes = true;
    Term c = t;
    for (; is_list(c); c = list_tail(c), n++) {
        if (bytes) {
            Term h = list_head(c);
            bytes = is_small(h) && (uintptr_t)small_val(h) <= 255;
        }
    }
    if (bytes && is_nil(c) && n <= STRING_EXT_MAX) {
        uint8_t *at = room(&e->out, 3 + n);
        at[0] = TAG_STRING;
        at[1] = (uint8_t)(n >> 8);
        at[2] = (uint8_t)n;
        for (size_t k = 0; k < n; k++, t = list_tail(t)) at[3 + k] = (uint8_t)small_val(list_head(t));
        return;
    }
    put_u8(&e->out, TAG_LIST);
    put_u32(&e->out, (uint32_t)n);
    push(e, W_LIST, t, 0, 0);
}

/*
 * Terms whose encoding leaves work on the stack: a sibling after one of
 * them must wait, so it is pushed first. Everything else is encoded at
 * once, which spares most pushes (numbers, atoms, binaries).
 */
static bool has_parts(Term t) { return is_list(t) || (is_boxed(t) && (is_tuple(t) || is_map(t) || is_fun(t))); }

static void encode_term(Encoder *e, Term t);

/* The heads of a list from cell t on, then its final tail. */
static void list_step(Encoder *e, Term t)
{
    for (;;) {
        Term head = list_head(t), tail = list_tail(t);
        if (has_parts(head)) {
            if (is_list(tail)) push(e, W_LIST, tail, 0, 0);
            else push_term(e, tail);
            encode_term(e, head);
            return;
        }
        encode_term(e, head);
        if (!is_list(tail)) {
            encode_term(e, tail);
            return;
        }
        t = tail;
    }
}

/* Terms at[0..n) in order. */
static void seq_step(Encoder *e, const Term *at, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (has_parts(at[i]) && i + 1 < n) {
            push_seq(e, at + i + 1, n - i - 1);
            encode_term(e, at[i]);
            return;
        }
        encode_term(e, at[i]);
    }
}

/* ---- one term ---- */

static void encode_tuple(Encoder *e, Term t)
{
    size_t n = tuple_arity(t);
    if (n <= 255) {
        put_u8(&e->out, TAG_SMALL_TUPLE);
        put_u8(&e->out, (unsigned)n);
    } else {
        put_u8(&e->out, TAG_LARGE_TUPLE);
        put_u32(&e->out, (uint32_t)n);
    }
    push_seq(e, tuple_elems(t), n);
}

static void encode_boxed(Encoder *e, Term t)
{
    const Term *hp = boxed_val(t);
    switch (header_subtag(hp[0])) {
    case HDR_TUPLE: encode_tuple(e, t); return;
    case HDR_POS_BIG:
    case HDR_NEG_BIG: encode_big_limbs(e, big_digits(t), big_limbs(t), big_is_negative(t)); return;
    case HDR_FLOAT: encode_float(e, float_val(t)); return;
    case HDR_REF: encode_ref(e, t); return;
    case HDR_FUN: encode_local_fun(e, hp); return;
    case HDR_EXPORT: encode_export(e, (const Export *)hp[1]); return;
    case HDR_MAP:
    case HDR_HASHMAP: encode_map(e, t); return;
    default: encode_bitstring(e, t); return;
    }
}

static void encode_term(Encoder *e, Term t)
{
    if (is_small(t)) encode_small(e, small_val(t));
    else if (is_atom(t)) encode_atom(e, t);
    else if (is_nil(t)) put_u8(&e->out, TAG_NIL);
    else if (is_list(t)) encode_list(e, t);
    else if (is_boxed(t)) encode_boxed(e, t);
    else if (is_pid(t)) encode_pid(e, t);
    else if (is_port(t)) encode_port(e, t);
}

static void run(Encoder *e, Term t)
{
    e->stack = e->local;
    e->cap = sizeof e->local / sizeof e->local[0];
    e->depth = 0;
    put_u8(&e->out, ETF_VERSION);
    push_term(e, t);
    while (e->depth > 0) {
        const Work *w = &e->stack[--e->depth];
        size_t kind = w->kind, n = w->n, i = w->i;
        uintptr_t a = w->a;
        switch (kind) {
        case W_TERM: encode_term(e, a); break;
        case W_SEQ: seq_step(e, (const Term *)a, n); break;
        case W_LIST: list_step(e, a); break;
        case W_MAP: map_step(e, a, i); break;
        case W_PAIRS: pairs_step(e, (const Term *)a, n, i); break;
        case W_FUN_SIZE: patch_fun_size(e, n); break;
        }
    }
    if (e->stack != e->local) free(e->stack);
    while (e->sorted) {
        Sorted *next = e->sorted->next;
        free(e->sorted);
        e->sorted = next;
    }
}

uint8_t *etf_encode(Term t, const EtfEncodeOptions *o, size_t *len)
{
    Encoder e = {.out = {NULL, 0, 0}, .opt = o, .sorted = NULL};
    run(&e, t);
    *len = e.out.pos;
    return e.out.buf;
}

/* ---- compression ---- */

/*
 * OTP gives zlib an output buffer 5 bytes shorter than the uncompressed
 * term (without the version byte) and keeps the uncompressed form if the
 * stream does not fit; deflate with default parameters and one Z_FINISH
 * call produces the same stream as OTP's zlib calls.
 */
size_t etf_compress(const uint8_t *enc, size_t len, int level, uint8_t *out)
{
    size_t plain = len - 1;
    if (plain < 6 || plain > UINT32_MAX) return 0;
    z_stream z = {0};
    if (deflateInit(&z, level) != Z_OK) return 0;
    z.next_in = (Bytef *)(enc + 1);
    z.avail_in = (uInt)plain;
    z.next_out = out + 6;
    z.avail_out = (uInt)(plain - 5);
    int rc = deflate(&z, Z_FINISH);
    size_t n = z.total_out;
    deflateEnd(&z);
    if (rc != Z_STREAM_END) return 0;
    out[0] = ETF_VERSION;
    out[1] = TAG_COMPRESSED;
    for (int i = 0; i < 4; i++) out[2 + i] = (uint8_t)(plain >> (24 - 8 * i));
    return 6 + n;
}
