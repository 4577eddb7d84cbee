/*
 * binary.c - binary objects: reading any bitstring, making heap, refc and
 * sub binaries and match contexts, shared Binary buffers and the per-process
 * off-heap lists of their handles (see binary.h for the layouts).
 */
#include "runtime/term/binary.h"
#include "runtime/term/binary_cache.h"
#include "runtime/term/offheap.h"

#include "runtime/term/arith.h"
#include "runtime/term/atom.h"
#include "runtime/term/big.h"
#include "runtime/term/bits.h"

#include <stdio.h>
#include <stdlib.h>

/* ---- reading ---- */

bool binary_bytes(Term t, const uint8_t **data, size_t *bytes)
{
    BitSlice s;
    if (!bitstring_slice(t, &s) || (s.offset | s.bits) % 8 != 0) return false;
    *data = s.data + s.offset / 8;
    *bytes = s.bits / 8;
    return true;
}

void bitstring_copy(Term t, uint8_t *out)
{
    BitSlice s;
    bitstring_slice(t, &s);
    if (s.bits % 8) out[s.bits / 8] = 0;
    bits_copy(out, 0, s.data, s.offset, s.bits);
}

int bitstring_compare(Term a, Term b)
{
    BitSlice x, y;
    bitstring_slice(a, &x);
    bitstring_slice(b, &y);
    int c = bits_cmp(x.data, x.offset, y.data, y.offset, x.bits < y.bits ? x.bits : y.bits);
    if (c != 0) return c;
    return (x.bits > y.bits) - (x.bits < y.bits);
}

/* Writes a sub binary of bits [offset, offset + bits) of an original at hp. */
static Term write_sub(Term *hp, Term orig, size_t offset, size_t bits)
{
    hp[0] = make_header(SUB_BIN_WORDS - 1, HDR_SUB_BIN);
    hp[1] = bits;
    hp[2] = offset;
    hp[3] = orig;
    return make_boxed(hp);
}

/* ---- shared buffers ---- */

/* Bytes of all live Binaries, for erlang:memory(binary). */
static atomic_size_t live_bytes;

size_t binary_total_bytes(void) { return atomic_load_explicit(&live_bytes, memory_order_relaxed); }

Binary *binary_alloc(size_t capacity)
{
    if (capacity > SIZE_MAX / 2 - sizeof(Binary)) return NULL;
    Binary *b = bincache_take(sizeof(Binary) + capacity);
    if (!b) b = malloc(sizeof(Binary) + capacity);
    if (!b) return NULL;
    atomic_fetch_add_explicit(&live_bytes, sizeof(Binary) + capacity, memory_order_relaxed);
    atomic_init(&b->refc, 1);
    b->capacity = capacity;
    b->end = 0;
    atomic_init(&b->writable, false);
    return b;
}

void binary_release(Binary *b)
{
    if (atomic_fetch_sub_explicit(&b->refc, 1, memory_order_acq_rel) != 1) return;
    atomic_fetch_sub_explicit(&live_bytes, sizeof(Binary) + b->capacity, memory_order_relaxed);
    if (!bincache_give(b)) free(b);
}

Term binary_handle_at(Process *p, Term *hp, Binary *b, size_t bytes)
{
    hp[0] = make_header(REFC_BIN_WORDS - 1, HDR_REFC_BIN);
    hp[1] = bytes;
    hp[2] = (Term)b;
    hp[3] = (Term)p->off_heap.first;
    p->off_heap.first = hp;
    p->off_heap.bytes += b->capacity;
    /* As on OTP, a BIF or NIF that leaves big binaries behind (file reads in a loop)
       makes its process collect when it returns, even if the heap has room: else the
       dead ones would live until the heap fills. */
    if (binary_vheap_full(p)) process_attention_set(p, PATTN_BINARIES);
    return make_boxed(hp);
}

/* ---- making ---- */

Term binary_new(Process *p, size_t bytes, uint8_t **data)
{
    if (bytes <= BINARY_HEAP_MAX) {
        size_t words = heap_bin_words(bytes);
        Term *hp = heap_alloc(p, words);
        hp[0] = make_header(words - 1, HDR_HEAP_BIN);
        hp[1] = bytes;
        hp[words - 1] = 0; /* the padding */
        *data = (uint8_t *)(hp + 2);
        return make_boxed(hp);
    }
    Binary *b = binary_alloc(bytes);
    if (!b) return THE_NON_VALUE;
    *data = b->data;
    return binary_handle_at(p, heap_alloc(p, REFC_BIN_WORDS), b, bytes);
}

Term binary_from_bytes(Process *p, const uint8_t *src, size_t n)
{
    uint8_t *data;
    Term t = binary_new(p, n, &data);
    if (is_value(t) && n) memcpy(data, src, n);
    return t;
}

Term bitstring_new_in(TermAlloc a, const uint8_t *src, size_t offset, size_t bits)
{
    size_t bytes = (bits + 7) / 8, words = heap_bin_words(bytes);
    bool partial = bits % 8 != 0;
    Term *hp = a.alloc(a.ctx, words + (partial ? SUB_BIN_WORDS : 0));
    if (!hp) return THE_NON_VALUE;
    hp[0] = make_header(words - 1, HDR_HEAP_BIN);
    hp[1] = bytes;
    hp[words - 1] = 0;
    bits_copy((uint8_t *)(hp + 2), 0, src, offset, bits);
    Term bin = make_boxed(hp);
    if (!partial) return bin;
    return write_sub(hp + words, bin, 0, bits);
}

/* The original under bitstring t and the bit offset of t's first bit in it. */
static Term orig_of(Term t, size_t *base)
{
    Term *hp = boxed_val(t);
    if (header_subtag(hp[0]) != HDR_SUB_BIN) {
        *base = 0;
        return t;
    }
    *base = (size_t)hp[2];
    return hp[3];
}

/* Whole bytes at an odd bit offset: a copy, at hp (binary_take_words words). */
static Term copy_unaligned(Process *p, Term *hp, Term orig, size_t pos, size_t n)
{
    size_t bytes = n / 8;
    uint8_t *data;
    Term t;
    if (bytes <= BINARY_HEAP_MAX) {
        size_t words = heap_bin_words(bytes);
        hp[0] = make_header(words - 1, HDR_HEAP_BIN);
        hp[1] = bytes;
        hp[words - 1] = 0;
        data = (uint8_t *)(hp + 2);
        t = make_boxed(hp);
    } else {
        Binary *b = binary_alloc(bytes);
        if (!b) return THE_NON_VALUE;
        data = b->data;
        t = binary_handle_at(p, hp, b, bytes);
    }
    bits_copy(data, 0, binary_orig_data(orig), pos, n);
    return t;
}

Term binary_take_at(Process *p, Term *hp, Term orig, size_t pos, size_t n)
{
    if (n % 8 || pos % 8 == 0) return write_sub(hp, orig, pos, n);
    Term t = copy_unaligned(p, hp, orig, pos, n);
    if (!is_value(t)) {
        fprintf(stderr, "erbium: out of memory copying a binary of %zu bytes\n", n / 8);
        abort();
    }
    return t;
}

Term binary_sub(Process *p, Term t, size_t offset, size_t bits)
{
    if (offset == 0 && bits == bitstring_bits(t)) return t;
    size_t base;
    Term orig = orig_of(t, &base);
    size_t pos = base + offset;
    Term *hp = heap_alloc(p, binary_take_words(pos, bits));
    if (bits % 8 || pos % 8 == 0) return write_sub(hp, orig, pos, bits);
    return copy_unaligned(p, hp, orig, pos, bits);
}

Term binary_match_ctx_at(Term *hp, Term t)
{
    size_t base;
    Term orig = orig_of(t, &base);
    hp[0] = make_header(MATCH_CTX_WORDS - 1, HDR_MATCH_CTX);
    hp[1] = base;
    hp[2] = base + bitstring_bits(t);
    hp[3] = orig;
    return make_boxed(hp);
}

static inline Binary *appendable(Term base, size_t more, Term *handle)
{
    Term *hp = boxed_val(base);
    Term orig = base;
    size_t end;
    switch (header_subtag(hp[0])) {
    case HDR_SUB_BIN:
        if (hp[2] % 8) return NULL; /* the result would be whole bytes at an odd offset */
        orig = hp[3];
        end = (size_t)hp[2] + (size_t)hp[1];
        break;
    case HDR_REFC_BIN:
        end = (size_t)hp[1] * 8;
        break;
    default:
        return NULL;
    }
    Term *oh = boxed_val(orig);
    if (header_subtag(oh[0]) != HDR_REFC_BIN) return NULL;
    Binary *b = (Binary *)oh[2];
    if (!atomic_load_explicit(&b->writable, memory_order_relaxed) || b->end != end) return NULL;
    if (more > b->capacity * 8 - end) return NULL;
    *handle = orig;
    return b;
}

Binary *binary_appendable(Term base, size_t more, Term *handle) { return appendable(base, more, handle); }

Term binary_appended_at(Term *hp, Term base, Binary *b, size_t more)
{
    size_t offset;
    Term handle = orig_of(base, &offset);
    b->end += more;
    return write_sub(hp, handle, offset, bitstring_bits(base) + more);
}

Term binary_writable_at(Process *p, Term *hp, size_t capacity)
{
    Binary *b = binary_alloc(capacity);
    if (!b) return THE_NON_VALUE;
    atomic_store_explicit(&b->writable, true, memory_order_relaxed);
    Term handle = binary_handle_at(p, hp, b, 0);
    return write_sub(hp + REFC_BIN_WORDS, handle, 0, 0);
}

/* ---- off-heap lists ---- */

/* Calls fn on every off-heap handle (offheap.h) among n words that term_copy_to wrote back to back. */
static void each_copied_handle(Term *words, size_t n, void (*fn)(Term *hp, void *ctx), void *ctx)
{
    for (Term *w = words, *end = words + n; w < end;) {
        if (!is_header(*w)) { /* a cons cell */
            w += 2;
            continue;
        }
        if (offheap_is_handle(*w)) fn(w, ctx);
        w += 1 + header_arity(*w);
    }
}

static void adopt_one(Term *hp, void *ctx)
{
    Process *p = ctx;
    hp[3] = (Term)p->off_heap.first;
    p->off_heap.first = hp;
    p->off_heap.bytes += offheap_bytes(hp);
}

static void drop_one(Term *hp, void *ctx) { offheap_release(hp); }

void binary_adopt_copy(Process *p, Term *words, size_t n) { each_copied_handle(words, n, adopt_one, p); }

void binary_drop_copy(Term *words, size_t n) { each_copied_handle(words, n, drop_one, NULL); }

void binary_release_all(Process *p)
{
    for (Term *hp = p->off_heap.first, *next; hp; hp = next) {
        next = (Term *)hp[3];
        offheap_release(hp);
    }
    p->off_heap.first = NULL;
    p->off_heap.bytes = 0;
}

/* ---- matching ---- */

/* A little buffer on the stack, or malloc'd when larger; zero-filled. */
typedef struct ByteBuf {
    uint8_t *p;
    uint8_t small[64];
} ByteBuf;

static uint8_t *bytebuf_init(ByteBuf *b, size_t n)
{
    b->p = n <= sizeof b->small ? b->small : malloc(n);
    if (!b->p) {
        fprintf(stderr, "erbium: out of memory in binary syntax\n");
        abort();
    }
    memset(b->p, 0, n);
    return b->p;
}

static void bytebuf_free(ByteBuf *b)
{
    if (b->p != b->small) free(b->p);
}

/* Integers of more than 64 bits, through GMP. */
static __attribute__((noinline)) Term get_big_integer(Process *p, const uint8_t *src, size_t pos, size_t n,
                                                      unsigned flags)
{
    size_t nbytes = (n + 7) / 8;
    ByteBuf bb;
    uint8_t *buf = bytebuf_init(&bb, nbytes);
    mpz_t z;
    mpz_init(z);
    if (flags & BITS_LITTLE) {
        bits_copy(buf, 0, src, pos, n);
        if (n % 8) buf[n / 8] >>= 8 - n % 8;
        mpz_import(z, nbytes, -1, 1, 0, 0, buf);
    } else {
        bits_copy(buf, nbytes * 8 - n, src, pos, n);
        mpz_import(z, nbytes, 1, 1, 0, 0, buf);
    }
    bytebuf_free(&bb);
    if ((flags & BITS_SIGNED) && mpz_tstbit(z, n - 1)) {
        mpz_t top;
        mpz_init(top);
        mpz_setbit(top, n);
        mpz_sub(z, z, top);
        mpz_clear(top);
    }
    Term r = int_from_mpz(p, z);
    mpz_clear(z);
    return r;
}

Term binary_get_integer(Process *p, const uint8_t *data, size_t pos, size_t n, unsigned flags)
{
    if (n > 64) return get_big_integer(p, data, pos, n, flags);
    uint64_t u = bits_get_u64(data, pos, (unsigned)n);
    if (flags & BITS_LITTLE) u = bits_le_swap(u, (unsigned)n);
    if ((flags & BITS_SIGNED) && n > 0 && (u >> (n - 1)) & 1) {
        if (n < 64) u |= ~(uint64_t)0 << n; /* sign-extend */
        return int_from_i64(p, (int64_t)u);
    }
    return int_from_u64(p, u);
}

bool binary_get_float(const uint8_t *data, size_t pos, size_t n, unsigned flags, double *out)
{
    if (n != 16 && n != 32 && n != 64) return false;
    uint64_t raw = bits_get_u64(data, pos, (unsigned)n);
    if (flags & BITS_LITTLE) raw = bits_le_swap(raw, (unsigned)n);
    return bits_float_decode(raw, (unsigned)n, out);
}

/* ---- construction ---- */

/* Results beyond this many bits are system_limit (OTP's limit is of this order). */
#define BINARY_MAX_BITS ((size_t)1 << 59)

/* Spare room a new appendable Binary gets: twice the size, at least this. */
#define APPEND_MIN_CAPACITY 256

/* Why a size is no good: system_limit when it is a huge positive integer, else badarg. */
static __attribute__((cold, noinline)) bool size_error(Term size, Term *reason)
{
    bool huge = is_integer(size) && (is_small(size) ? small_val(size) > 0 : !big_is_negative(size));
    *reason = huge ? AM_system_limit : AM_badarg;
    return false;
}

/* Size x Unit for construction; false with *what = size. */
static inline bool seg_size(BinSeg *s, Term *reason, Term *what)
{
    *what = AM_size;
    if (binary_size_bits(s->size, s->unit, &s->bits) && s->bits < BINARY_MAX_BITS) return true;
    return size_error(s->size, reason);
}

/* bits is a multiple of unit (0: anything); units are mostly powers of two, which need no division. */
static inline bool unit_divides(size_t bits, size_t unit)
{
    if ((unit & (unit - 1)) == 0) return (bits & (unit - 1)) == 0 || unit == 0;
    return bits % unit == 0;
}

/* The code point of a utf segment's value, or -1. */
static int64_t seg_code_point(Term v)
{
    return is_small(v) && bits_is_code_point(small_val(v)) ? small_val(v) : -1;
}

/* Sets *what (OTP's order of checks: the size first, then the value) and returns false. */
static inline bool seg_fail(Term *what, Term why)
{
    *what = why;
    return false;
}

/* A binary or append segment's value whose size is all of it: a bitstring whose size the unit divides. */
static inline bool seg_whole(BinSeg *s, Term *what)
{
    if (!is_bitstring(s->value)) return seg_fail(what, AM_type);
    s->bits = bitstring_bits(s->value);
    return unit_divides(s->bits, s->unit) || seg_fail(what, AM_unit);
}

/* Sizes one segment and checks its value; false with *reason and *what set. */
static inline bool seg_plan(BinSeg *s, Term *reason, Term *what)
{
    Term v = s->value;
    double d;
    *reason = AM_badarg;
    switch (s->type) {
    case BSEG_INTEGER:
        return seg_size(s, reason, what) && (is_integer(v) || seg_fail(what, AM_type));
    case BSEG_FLOAT:
        if (!seg_size(s, reason, what)) return false;
        if (s->bits != 16 && s->bits != 32 && s->bits != 64) return seg_fail(what, AM_invalid);
        return arith_to_double(v, &d) || seg_fail(what, AM_type);
    case BSEG_BINARY:
        if (s->size == AM_all) return seg_whole(s, what);
        if (!seg_size(s, reason, what)) return false;
        if (!is_bitstring(v)) return seg_fail(what, AM_type);
        return s->bits <= bitstring_bits(v) || seg_fail(what, AM_short);
    case BSEG_STRING:
        s->bits = (size_t)small_val(s->size) * 8;
        return true;
    case BSEG_UTF8:
    case BSEG_UTF16:
    case BSEG_UTF32: {
        int64_t c = seg_code_point(v);
        if (c < 0) return seg_fail(what, AM_type);
        s->bits = s->type == BSEG_UTF8    ? bits_utf8_size((uint32_t)c)
                  : s->type == BSEG_UTF16 ? bits_utf16_size((uint32_t)c)
                                          : 32;
        return true;
    }
    case BSEG_APPEND: return seg_whole(s, what);
    default: return seg_fail(what, AM_type);
    }
}

/* An append: extend the first segment's Binary in place if it allows, else start a new one with room. */
static bool plan_append(const BinSeg *segs, BinPlan *plan, Term *reason)
{
    Term handle;
    plan->bin = appendable(segs[0].value, plan->bits - segs[0].bits, &handle);
    if (plan->bin) {
        plan->in_place = true;
        plan->words = SUB_BIN_WORDS;
        return true;
    }
    size_t bytes = (plan->bits + 7) / 8;
    size_t capacity = bytes < APPEND_MIN_CAPACITY / 2 ? APPEND_MIN_CAPACITY : 2 * bytes;
    plan->bin = binary_alloc(capacity);
    if (!plan->bin) {
        *reason = AM_system_limit;
        return false;
    }
    plan->words = REFC_BIN_WORDS + SUB_BIN_WORDS;
    return true;
}

bool binary_plan(BinSeg *segs, size_t n, BinPlan *plan, Term *reason)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i++) {
        plan->failed = i;
        if (!seg_plan(&segs[i], reason, &plan->what)) return false;
        total += segs[i].bits; /* each below 2^59: no overflow */
        if (total >= BINARY_MAX_BITS) {
            *reason = AM_system_limit;
            plan->what = AM_size;
            return false;
        }
    }
    *plan = (BinPlan){.bits = total};
    if (n > 0 && segs[0].type == BSEG_APPEND) return plan_append(segs, plan, reason);
    size_t bytes = (total + 7) / 8, sub = total % 8 ? SUB_BIN_WORDS : 0;
    if (bytes <= BINARY_HEAP_MAX) {
        plan->words = heap_bin_words(bytes) + sub;
        return true;
    }
    plan->bin = binary_alloc(bytes);
    if (!plan->bin) {
        *reason = AM_system_limit;
        return false;
    }
    plan->words = REFC_BIN_WORDS + sub;
    return true;
}

static __attribute__((noinline)) void put_big_integer(uint8_t *dst, size_t off, Term v, size_t n, bool little)
{
    size_t nbytes = (n + 7) / 8, count;
    ByteBuf bb;
    uint8_t *buf = bytebuf_init(&bb, nbytes);
    mpz_t z;
    mpz_init(z);
    int_to_mpz(v, z);
    mpz_fdiv_r_2exp(z, z, n); /* two's complement: the value modulo 2^n, in [0, 2^n) */
    if (little) {
        mpz_export(buf, &count, -1, 1, 0, 0, z);
        if (n % 8) buf[n / 8] = (uint8_t)(buf[n / 8] << (8 - n % 8));
        bits_copy(dst, off, buf, 0, n);
    } else {
        size_t len = (mpz_sizeinbase(z, 2) + 7) / 8;
        mpz_export(buf + nbytes - len, &count, 1, 1, 0, 0, z);
        bits_copy(dst, off, buf, nbytes * 8 - n, n);
    }
    mpz_clear(z);
    bytebuf_free(&bb);
}

static inline void put_integer(uint8_t *dst, size_t off, Term v, size_t n, bool little)
{
    if (n == 0) return;
    if (n <= 64 && is_small(v)) {
        uint64_t u = (uint64_t)small_val(v);
        bits_put_u64(dst, off, little ? bits_le_unswap(u, (unsigned)n) : u, (unsigned)n);
        return;
    }
    put_big_integer(dst, off, v, n, little);
}

static inline void put_seg(uint8_t *dst, size_t off, const BinSeg *s)
{
    bool little = s->flags & BITS_LITTLE;
    switch (s->type) {
    case BSEG_INTEGER:
        put_integer(dst, off, s->value, s->bits, little);
        break;
    case BSEG_FLOAT: {
        double d;
        arith_to_double(s->value, &d);
        uint64_t raw = bits_float_encode(d, (unsigned)s->bits);
        bits_put_u64(dst, off, little ? bits_le_unswap(raw, (unsigned)s->bits) : raw, (unsigned)s->bits);
        break;
    }
    case BSEG_BINARY:
    case BSEG_APPEND: {
        BitSlice sl;
        bitstring_slice(s->value, &sl);
        bits_copy(dst, off, sl.data, sl.offset, s->bits);
        break;
    }
    case BSEG_STRING:
        bits_copy(dst, off, s->str, 0, s->bits);
        break;
    case BSEG_UTF8:
        bits_put_utf8(dst, off, (uint32_t)small_val(s->value));
        break;
    case BSEG_UTF16:
        bits_put_utf16(dst, off, (uint32_t)small_val(s->value), little);
        break;
    case BSEG_UTF32:
        bits_put_utf32(dst, off, (uint32_t)small_val(s->value), little);
        break;
    }
}

/* Writes segments [first, n) from bit off of dst. */
static void put_segs(uint8_t *dst, size_t off, const BinSeg *segs, size_t first, size_t n)
{
    for (size_t i = first; i < n; i++) {
        put_seg(dst, off, &segs[i]);
        off += segs[i].bits;
    }
}

/* The first `bits` bits of an original: itself when whole, else a sub binary at hp. */
static Term whole_or_sub(Term *hp, Term orig, size_t bits)
{
    return bits == bitstring_bits(orig) ? orig : write_sub(hp, orig, 0, bits);
}

Term binary_build(Process *p, Term *hp, const BinSeg *segs, size_t n, const BinPlan *plan)
{
    size_t bytes = (plan->bits + 7) / 8;
    Binary *b = plan->bin;
    if (plan->in_place) {
        put_segs(b->data, b->end, segs, 1, n);
        return binary_appended_at(hp, segs[0].value, b, plan->bits - segs[0].bits);
    }
    if (b) {
        bool append = n > 0 && segs[0].type == BSEG_APPEND;
        if (bytes) b->data[bytes - 1] = 0;
        if (append) {
            atomic_store_explicit(&b->writable, true, memory_order_relaxed);
            b->end = plan->bits;
        }
        /* An appendable Binary's handle is never a value itself, only sub binaries of it. */
        Term handle = binary_handle_at(p, hp, b, append ? 0 : bytes);
        put_segs(b->data, 0, segs, 0, n);
        return append ? write_sub(hp + REFC_BIN_WORDS, handle, 0, plan->bits)
                      : whole_or_sub(hp + REFC_BIN_WORDS, handle, plan->bits);
    }
    size_t words = heap_bin_words(bytes);
    hp[0] = make_header(words - 1, HDR_HEAP_BIN);
    hp[1] = bytes;
    hp[words - 1] = 0;
    put_segs((uint8_t *)(hp + 2), 0, segs, 0, n);
    return whole_or_sub(hp + words, make_boxed(hp), plan->bits);
}
