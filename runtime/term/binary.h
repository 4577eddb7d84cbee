/*
 * binary.h - binaries and bitstrings: layouts, creation and access.
 *
 * Four boxed objects hold bits (subtags in term.h). Bits are numbered from
 * the most significant bit of the first byte (see bits.h).
 *
 *   heap binary    HDR_HEAP_BIN, arity 1 + W: hp[1] byte size, then the
 *                  bytes from hp + 2 (W words, zero padded). New binaries of
 *                  up to BINARY_HEAP_MAX bytes, and literals of any size.
 *
 *   refc binary    HDR_REFC_BIN, arity 3: a handle for a Binary, a
 *                  reference-counted buffer outside every heap that any
 *                  number of processes may share: hp[1] byte size, hp[2]
 *                  the Binary *, hp[3] the next handle in the owning
 *                  process's off-heap list (a Term *, NULL at the end).
 *
 *   sub binary     HDR_SUB_BIN, arity 3: bits [offset, offset + size) of an
 *                  original: hp[1] bit size, hp[2] bit offset, hp[3] the
 *                  original, always a heap or refc binary (never a sub).
 *                  Any bitstring whose size is not a whole number of bytes
 *                  is a sub binary. One whose size is starts at a byte
 *                  boundary: a part of whole bytes at another offset is
 *                  copied instead, so that the bytes of every binary can
 *                  be read in place (binary_bytes).
 *
 *   match context  HDR_MATCH_CTX, arity 3: the state of a binary match:
 *                  hp[1] position and hp[2] end, bit offsets into the bytes
 *                  of hp[3], the original (heap or refc binary). Only the
 *                  binary instructions ever see one: it is not a value.
 *
 * Every word of a heap or refc binary after the header is raw; a sub
 * binary and a match context have two raw words and then the original, a
 * term the collector follows (hdr_raw_words in term.h).
 *
 * Off-heap list: each process links the handles on its heap (and heap
 * fragments) through hp[3], from Process.off_heap.first. The collector
 * links every handle it copies into a new list and then walks the old one:
 * a handle that was not copied died, and its reference is released (gc.c).
 * heap_destroy releases them all. A term copied with term_copy_to() takes a
 * new reference for each handle it copies; the memory it was copied into
 * must be adopted by a process (binary_adopt_copy) or dropped
 * (binary_drop_copy). term_copy() adopts by itself.
 *
 * Appending in place: `<<Acc/binary, ...>>` in a loop must not copy Acc
 * each time. A Binary made for an append has spare capacity and is
 * `writable`: its `end` says how many bits of it are in use. An append to
 * a sub binary whose bits end exactly at `end` writes after them and
 * returns a longer sub binary over the same Binary; the shorter one stays
 * valid, since the bits it covers never change. Any other append copies.
 * Copying a handle to another process clears `writable`, so only the
 * process that made a Binary ever extends it. The handle of a Binary made
 * for appending has byte size 0 and is never a value itself: the values
 * are sub binaries of it.
 *
 * Process.off_heap.bytes is the capacity of the Binaries on the list (each
 * counted once per handle) and .limit a quarter more than what survived the last
 * collection: binary_vheap_full() says when a collection is due anyway.
 */
#ifndef ERBIUM_BINARY_H
#define ERBIUM_BINARY_H

#include "runtime/term/bits.h"
#include "runtime/proc/heap.h"

#include <stdatomic.h>

/* New binaries up to this many bytes live on the process heap (as in OTP). */
#define BINARY_HEAP_MAX 64

/* Words of the fixed-size objects. */
#define REFC_BIN_WORDS 4
#define SUB_BIN_WORDS 4
#define MATCH_CTX_WORDS 4

/*
 * Binary bytes on the off-heap lists of one process that trigger a
 * collection when exceeded (at least; it grows with what survives), so that
 * dead binaries are released even when the heap itself fills slowly.
 */
#define BINARY_VHEAP_MIN_BYTES ((size_t)1 << 20)

typedef struct Binary {
    atomic_size_t refc;
    size_t capacity; /* bytes in data[] */
    size_t end;      /* writable binaries: bits in use (the append point) */
    atomic_bool writable; /* only the owner sets it; any process that copies a handle clears it */
    _Alignas(8) uint8_t data[];
} Binary;

/* Bytes held by all live Binaries (erlang:memory(binary)). */
size_t binary_total_bytes(void);

/* Words of a heap binary of `bytes` bytes. */
static inline size_t heap_bin_words(size_t bytes) { return 2 + (bytes + 7) / 8; }

/* ---- reading ---- */

/* The bits of a bitstring: `bits` bits from bit `offset` of `data`. */
typedef struct BitSlice {
    const uint8_t *data;
    size_t offset;
    size_t bits;
} BitSlice;

/* Where the bytes of an original (heap or refc binary) start. */
static inline uint8_t *binary_orig_data(Term orig)
{
    Term *hp = boxed_val(orig);
    if (header_subtag(hp[0]) == HDR_HEAP_BIN) return (uint8_t *)(hp + 2);
    return ((Binary *)hp[2])->data;
}

/* Any bitstring's bits; false when t is not a bitstring. */
static inline bool bitstring_slice(Term t, BitSlice *s)
{
    *s = (BitSlice){NULL, 0, 0};
    if (!is_boxed(t)) return false;
    Term *hp = boxed_val(t);
    switch (header_subtag(hp[0])) {
    case HDR_HEAP_BIN:
        *s = (BitSlice){(const uint8_t *)(hp + 2), 0, (size_t)hp[1] * 8};
        return true;
    case HDR_REFC_BIN:
        *s = (BitSlice){((const Binary *)hp[2])->data, 0, (size_t)hp[1] * 8};
        return true;
    case HDR_SUB_BIN:
        *s = (BitSlice){binary_orig_data(hp[3]), (size_t)hp[2], (size_t)hp[1]};
        return true;
    default:
        return false;
    }
}

/* Bit size of a bitstring (t must be one). */
static inline size_t bitstring_bits(Term t)
{
    Term *hp = boxed_val(t);
    return header_subtag(hp[0]) == HDR_SUB_BIN ? (size_t)hp[1] : (size_t)hp[1] * 8;
}

/* is_binary: a bitstring of a whole number of bytes. */
static inline bool binary_is_binary(Term t) { return is_bitstring(t) && bitstring_bits(t) % 8 == 0; }

/* The bytes of any binary (see sub binaries above); false for anything else. */
bool binary_bytes(Term t, const uint8_t **data, size_t *bytes);

/* Copies a bitstring's bits to out (bitstring_bits(t) + 7) / 8 bytes, padding the last byte with 0. */
void bitstring_copy(Term t, uint8_t *out);

/* Term order of two bitstrings: bit by bit, then the shorter first. <0, 0 or >0. */
int bitstring_compare(Term a, Term b);

/* ---- making ---- */

/*
 * A new binary of `bytes` bytes on p's heap (heap_alloc: never collects),
 * with *data pointing at its writable bytes. THE_NON_VALUE when memory for
 * the bytes cannot be had (the caller raises system_limit).
 */
Term binary_new(Process *p, size_t bytes, uint8_t **data);

/* binary_new, filled with a copy of the n bytes at src. */
Term binary_from_bytes(Process *p, const uint8_t *src, size_t n);

/*
 * A bitstring of `bits` bits copied from bit `offset` of src, built with `a`
 * (a heap binary, plus a sub binary when bits is not a multiple of 8), for
 * terms outside process heaps such as literals. THE_NON_VALUE when `a`
 * fails.
 */
Term bitstring_new_in(TermAlloc a, const uint8_t *src, size_t offset, size_t bits);

/*
 * The bits [offset, offset + bits) of bitstring t: t itself when that is
 * all of it, else a sub binary (or a copy, see above), with memory from
 * heap_alloc. THE_NON_VALUE only when a copy cannot be allocated.
 */
Term binary_sub(Process *p, Term t, size_t offset, size_t bits);

/* Heap words binary_take_at needs for the n bits at bit pos of an original. */
static inline size_t binary_take_words(size_t pos, size_t n)
{
    if (n % 8 || pos % 8 == 0) return SUB_BIN_WORDS;
    return n / 8 <= BINARY_HEAP_MAX ? heap_bin_words(n / 8) : REFC_BIN_WORDS;
}

/*
 * The n bits at bit pos of original `orig` (a heap or refc binary) as a
 * sub binary, or a copy when they are whole bytes at an odd offset,
 * written at hp (binary_take_words(pos, n) words). For matching.
 */
Term binary_take_at(Process *p, Term *hp, Term orig, size_t pos, size_t n);

/* A match context over bitstring t, positioned at its start, written at hp (MATCH_CTX_WORDS). */
Term binary_match_ctx_at(Term *hp, Term t);

/* ---- shared buffers ---- */

/* A Binary with room for `capacity` bytes (refc 1), or NULL when out of memory. */
Binary *binary_alloc(size_t capacity);
/* Drops one reference; the last one frees the Binary. */
void binary_release(Binary *b);

/* A handle for b (taking over one reference) at hp (REFC_BIN_WORDS), linked into p's off-heap list. */
Term binary_handle_at(Process *p, Term *hp, Binary *b, size_t bytes);

/*
 * Appending in place (see above). If `base` is a bitstring that ends at
 * the append point of a writable Binary with room for `more` bits after
 * it, returns that Binary with *handle set to its handle term; else NULL.
 */
Binary *binary_appendable(Term base, size_t more, Term *handle);
/* Once `more` bits are written at b->end: the longer bitstring (a sub binary at hp). */
Term binary_appended_at(Term *hp, Term base, Binary *b, size_t more);

/* ---- bit syntax: matching ---- */

/* Size x Unit in bits; false when Size is not a non-negative small integer or that overflows. */
static inline bool binary_size_bits(Term size, size_t unit, size_t *bits)
{
    if (!is_small(size) || small_val(size) < 0) return false;
    return !__builtin_mul_overflow((size_t)small_val(size), unit, bits);
}

/* Heap words binary_get_integer may take for an n-bit integer. */
static inline size_t binary_integer_words(size_t n) { return n < 60 ? 0 : 1 + (n + 63) / 64; }

/* The value of an n-bit field (n < 60) read big-endian as raw: always a small integer. */
static inline intptr_t binary_small_field(uint64_t raw, unsigned n, unsigned flags)
{
    if (flags & BITS_LITTLE) raw = bits_le_swap(raw, n);
    if ((flags & BITS_SIGNED) && n > 0 && (raw >> (n - 1)) & 1) return (intptr_t)(raw | ~(uint64_t)0 << n);
    return (intptr_t)raw;
}

/*
 * The n-bit integer at bit pos of data (flags: BITS_LITTLE, BITS_SIGNED;
 * BITS_NATIVE must already be resolved). A bignum takes memory from
 * heap_alloc (binary_integer_words(n) words at most).
 */
Term binary_get_integer(Process *p, const uint8_t *data, size_t pos, size_t n, unsigned flags);

/* The n-bit float at bit pos; false when n is not 16, 32 or 64 or the bits are no finite float. */
bool binary_get_float(const uint8_t *data, size_t pos, size_t n, unsigned flags, double *out);

/* ---- bit syntax: construction (bs_create_bin) ---- */

enum bin_seg_type {
    BSEG_INTEGER,
    BSEG_FLOAT,
    BSEG_BINARY,
    BSEG_STRING,
    BSEG_UTF8,
    BSEG_UTF16,
    BSEG_UTF32,
    BSEG_APPEND, /* append and private_append: only ever the first segment */
};

/* A segment's descriptor word in i_bs_create_bin (ops_bs.def); seg: its number in the source. */
#define BSEG_DESC(type, flags, unit, seg) ((type) | (flags) << 8 | (BeamInstr)(unit) << 16 | (BeamInstr)(seg) << 32)
#define BSEG_DESC_TYPE(d) ((uint8_t)(d))
#define BSEG_DESC_FLAGS(d) ((uint8_t)((d) >> 8))
#define BSEG_DESC_UNIT(d) ((uint16_t)((d) >> 16))
#define BSEG_DESC_SEG(d) ((uint32_t)((d) >> 32))

/*
 * i_bs_create_ints and i_bs_append_ints (ops_bs.def): integer segments of
 * constant sizes up to 64 bits, one descriptor word each.
 */
#define BSEG_INT_DESC(bits, flags, seg) ((BeamInstr)(bits) | (BeamInstr)(flags) << 8 | (BeamInstr)(seg) << 32)
#define BSEG_INT_BITS(d) ((unsigned)((d)&0xFF))
#define BSEG_INT_FLAGS(d) ((unsigned)(((d) >> 8) & 0xFF))
#define BSEG_INT_SEG(d) ((uint32_t)((d) >> 32))

/* One segment, as the interpreter gathers it from the instruction's operands. */
typedef struct BinSeg {
    uint8_t type;       /* enum bin_seg_type */
    uint8_t flags;      /* BITS_LITTLE (the loader resolves native) */
    uint16_t unit;
    Term value;         /* not used by string segments */
    Term size;          /* a small integer, `all` (binaries), or anything (utf) */
    const uint8_t *str; /* string segments: the bytes (size bytes) */
    size_t bits;        /* set by binary_plan */
    uint32_t seg;       /* its number in the source, for error_info (1 the first) */
} BinSeg;

typedef struct BinPlan {
    size_t bits;  /* of the result */
    size_t words; /* heap words binary_build writes */
    Binary *bin;  /* the buffer the bits go to, or NULL for a heap binary */
    bool in_place;/* bin is the writable Binary of the first (append) segment's value */
    /* on failure: the segment at fault (an index into segs) and what is wrong with it, as
       OTP's error_info cause says it: type, size, unit, short or invalid */
    size_t failed;
    Term what;
} BinPlan;

/*
 * Checks the segments and sizes the result: false with *reason (badarg,
 * or system_limit for sizes too large) and plan->failed and plan->what
 * when bs_create_bin must fail. On success the caller reserves
 * plan->words heap words and calls binary_build, which cannot fail.
 */
bool binary_plan(BinSeg *segs, size_t n, BinPlan *plan, Term *reason);

/*
 * Writes the planned bitstring at hp and returns it. segs must hold the
 * same values as for binary_plan (re-read after a garbage collection) with
 * the `bits` binary_plan set.
 */
Term binary_build(Process *p, Term *hp, const BinSeg *segs, size_t n, const BinPlan *plan);

/*
 * bs_init_writable: an empty bitstring whose Binary has room for `capacity`
 * bytes to be appended in place, at hp (REFC_BIN_WORDS + SUB_BIN_WORDS).
 * THE_NON_VALUE when the memory cannot be had.
 */
Term binary_writable_at(Process *p, Term *hp, size_t capacity);

/* ---- off-heap lists (gc.c, term_copy.c, heap.c, messages) ---- */

/* For term_copy_to: a copied handle (at hp) holds a new reference and may no longer grow in place. */
static inline void binary_handle_copied(const Term *hp)
{
    Binary *b = (Binary *)hp[2];
    atomic_fetch_add_explicit(&b->refc, 1, memory_order_relaxed);
    atomic_store_explicit(&b->writable, false, memory_order_relaxed);
}

/*
 * n words that one term_copy_to() wrote (objects back to back) now belong to
 * p: links the handles among them into p's off-heap list. The words must
 * already be p's (on its heap or in one of its heap fragments) so that the
 * next collection sees them.
 */
void binary_adopt_copy(Process *p, Term *words, size_t n);
/* Such words are discarded without being adopted: releases their handles' references. */
void binary_drop_copy(Term *words, size_t n);

/* Releases every handle on p's off-heap list (the process's memory is going away). */
void binary_release_all(Process *p);

/* True when p's off-heap binaries are large enough that a collection is due. */
static inline bool binary_vheap_full(const Process *p)
{
    return p->off_heap.bytes > BINARY_VHEAP_MIN_BYTES && p->off_heap.bytes > p->off_heap.limit;
}

#endif
