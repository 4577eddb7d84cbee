/*
 * hash.c - OTP's portable term hashes (see hash.h).
 *
 * make_hash2 (phash2) keeps one 32-bit running value and feeds it, term
 * by term in depth-first order, through Bob Jenkins' 96-bit mix: each
 * piece of data is added to a per-type constant (multiples of the golden
 * ratio) and mixed into the running value. Byte runs in lists are packed
 * four to a word; binaries go through Jenkins' block hash with the running
 * value as its seed. A map must hash the same whatever its internal order,
 * so each key/value pair is hashed from zero on its own and the pair
 * hashes are combined with xor, then mixed in after the map's size.
 *
 * make_hash (phash) is the older multiplicative hash: value = value * P + x
 * modulo 2^32 with primes just above 2^28, over the bytes of numbers, and
 * with a closing step after each tuple and each list tail.
 *
 * Both walk the term with an explicit stack of (operation, value) entries;
 * the pending operations are what OTP's recursion would do on return.
 */
#include "runtime/etf/hash.h"

#include "runtime/term/atom.h"
#include "runtime/term/big.h"
#include "runtime/term/binary.h"
#include "runtime/term/map.h"
#include "runtime/loader/module.h"

#include <stdatomic.h>
#include <stdlib.h>

/* ---- atoms ---- */

/*
 * hashpjw over the characters of the atom's Latin-1 form: a two-byte UTF-8
 * sequence for U+0080..U+00FF counts as the one character it encodes (the
 * hash predates UTF-8 atoms); all other bytes count alone.
 */
static uint32_t atom_text_hash(const uint8_t *s, size_t len)
{
    uint32_t h = 0;
    for (size_t i = 0; i < len; i++) {
        uint8_t v = s[i];
        if (i + 1 < len && (v & 0xFE) == 0xC2 && (s[i + 1] & 0xC0) == 0x80) {
            v = (uint8_t)(v << 6 | (s[i + 1] & 0x3F));
            i++;
        }
        h = (h << 4) + v;
        uint32_t g = h & 0xF0000000u;
        if (g) h ^= g >> 24 ^ g;
    }
    return h;
}

/*
 * Cache of atom hashes by atom index. hashpjw never leaves the top bit set,
 * so a stored value has it set as a "present" mark and 0 means "not yet".
 * Racing writers store the same value, hence relaxed atomics suffice.
 */
static _Atomic uint32_t atom_hashes[ATOM_MAX_COUNT];
#define ATOM_HASH_PRESENT 0x80000000u

uint32_t hash_atom(Term atom)
{
    uint32_t i = atom_val(atom);
    uint32_t h = atomic_load_explicit(&atom_hashes[i], memory_order_relaxed);
    if (h) return h & ~ATOM_HASH_PRESENT;
    h = atom_text_hash((const uint8_t *)atom_text(atom), atom_len(atom));
    atomic_store_explicit(&atom_hashes[i], h | ATOM_HASH_PRESENT, memory_order_relaxed);
    return h;
}

/* ---- the work stack ---- */

typedef struct Entry {
    uint64_t op, val;
} Entry;

typedef struct Stack {
    Entry *e;
    size_t n, cap;
    Entry local[64];
} Stack;

static void stack_init(Stack *s)
{
    s->e = s->local;
    s->n = 0;
    s->cap = sizeof s->local / sizeof s->local[0];
}

static void stack_free(Stack *s)
{
    if (s->e != s->local) free(s->e);
}

static __attribute__((cold, noinline)) void grow(Stack *s)
{
    size_t cap = s->cap * 2;
    Entry *e = s->e == s->local ? malloc(cap * sizeof *e) : realloc(s->e, cap * sizeof *e);
    if (!e) abort(); /* the VM cannot continue without memory */
    if (s->e == s->local) memcpy(e, s->local, sizeof s->local);
    s->e = e;
    s->cap = cap;
}

/* Fields are stored (and popped) one by one, not as a struct value, so
   that each load is forwarded from its store. */
static inline void push(Stack *s, uint32_t op, uint64_t val)
{
    if (s->n == s->cap) grow(s);
    Entry *e = &s->e[s->n++];
    e->op = op;
    e->val = val;
}

/* ---- shared helpers ---- */

static bool is_byte(Term t) { return is_small(t) && (uintptr_t)small_val(t) <= 255; }

/* OTP's "first number" of a reference: the last part of #Ref<0.C.B.A>. */
static uint32_t ref_low_word(Term t) { return (uint32_t)boxed_val(t)[1]; }

static void float_words(Term t, uint32_t *hi, uint32_t *lo)
{
    double d = float_val(t);
    if (d == 0.0) d = 0.0; /* -0.0 hashes as 0.0 */
    uint64_t bits;
    memcpy(&bits, &d, sizeof bits);
    *hi = (uint32_t)(bits >> 32);
    *lo = (uint32_t)bits;
}

/* A bitstring's bytes from a bit offset: bytes whole bytes, then tail bits. */
typedef struct Bits {
    const uint8_t *data;
    unsigned offset; /* 0..7: bits to skip in data[0] */
    size_t bytes;
    unsigned tail;   /* 0..7 */
} Bits;

static Bits bits_of(Term t)
{
    BitSlice s;
    bitstring_slice(t, &s);
    return (Bits){s.data + s.offset / 8, (unsigned)(s.offset % 8), s.bits / 8, (unsigned)(s.bits % 8)};
}

/* Byte i of the bitstring (i == bytes gives the tail bits, left-aligned). */
static uint8_t bits_byte(const Bits *b, size_t i)
{
    if (b->offset == 0) return b->data[i];
    return (uint8_t)(b->data[i] << b->offset | b->data[i + 1] >> (8 - b->offset));
}

/* The tail bits as a number (0 .. 2^tail - 1). */
static unsigned bits_tail_value(const Bits *b)
{
    uint8_t last = b->offset == 0 || (size_t)b->offset + b->tail <= 8
                       ? (uint8_t)(b->data[b->bytes] << b->offset)
                       : bits_byte(b, b->bytes);
    return last >> (8 - b->tail);
}

/* ================= make_hash2 (phash2) ================= */

#define HCONST 0x9e3779b9u /* the golden ratio */
#define HCONST_2 0x3c6ef372u
#define HCONST_3 0xdaa66d2bu
#define HCONST_4 0x78dde6e4u
#define HCONST_5 0x1715609du
#define HCONST_6 0xb54cda56u
#define HCONST_7 0x5384540fu
#define HCONST_9 0x8ff34781u
#define HCONST_10 0x2e2ac13au
#define HCONST_11 0xcc623af3u
#define HCONST_12 0x6a99b4acu
#define HCONST_13 0x08d12e65u
#define HCONST_14 0xa708a81eu
#define HCONST_15 0x454021d7u
#define HCONST_16 0xe3779b90u
#define HCONST_19 0xbe1e08bbu

/* The value OTP mixes in for [] (its internal tag number for nil). */
#define NIL_TAG_VALUE 2u

static inline void mix(uint32_t *a, uint32_t *b, uint32_t *c)
{
    *a -= *b; *a -= *c; *a ^= *c >> 13;
    *b -= *c; *b -= *a; *b ^= *a << 8;
    *c -= *a; *c -= *b; *c ^= *b >> 13;
    *a -= *b; *a -= *c; *a ^= *c >> 12;
    *b -= *c; *b -= *a; *b ^= *a << 16;
    *c -= *a; *c -= *b; *c ^= *b >> 5;
    *a -= *b; *a -= *c; *a ^= *c >> 3;
    *b -= *c; *b -= *a; *b ^= *a << 10;
    *c -= *a; *c -= *b; *c ^= *b >> 15;
}

/* Mixes two 32-bit values, each offset by the type constant k, into h. */
static inline void mix2(uint32_t *h, uint32_t x, uint32_t y, uint32_t k)
{
    uint32_t a = k + x, b = k + y;
    mix(&a, &b, h);
}

static inline void mix1(uint32_t *h, uint32_t x, uint32_t k) { mix2(h, x, 0, k); }

static uint32_t le32(const uint8_t *k)
{
    return (uint32_t)k[0] | (uint32_t)k[1] << 8 | (uint32_t)k[2] << 16 | (uint32_t)k[3] << 24;
}

/* Jenkins' block hash of a bitstring's whole bytes, seeded with `seed`. */
static uint32_t block_hash(const Bits *bits, uint32_t seed)
{
    uint32_t a = HCONST, b = HCONST, c = seed;
    size_t len = bits->bytes, i = 0;
    uint8_t k[12];
    for (; len - i >= 12; i += 12) {
        for (int j = 0; j < 12; j++) k[j] = bits_byte(bits, i + (size_t)j);
        a += le32(k);
        b += le32(k + 4);
        c += le32(k + 8);
        mix(&a, &b, &c);
    }
    c += (uint32_t)len;
    size_t rest = len - i;
    memset(k, 0, sizeof k);
    for (size_t j = 0; j < rest; j++) k[j] = bits_byte(bits, i + j);
    /* the low byte of c is taken by the length: bytes 8..10 go above it */
    a += le32(k);
    b += le32(k + 4);
    c += (uint32_t)k[8] << 8 | (uint32_t)k[9] << 16 | (uint32_t)k[10] << 24;
    mix(&a, &b, &c);
    return c;
}

enum hash2_op {
    H2_TERM,     /* hash the term in val */
    H2_PAIR,     /* a map pair is done: fold it into the pairs' xor */
    H2_MAP_END,  /* a map's pairs are done; val = saved xor << 32 | saved hash */
};

typedef struct Hash2 {
    uint32_t hash;
    uint32_t pairs_xor; /* xor of the finished pairs of the innermost map */
    Stack s;
} Hash2;

/* Integers in 28 bits hash as a signed 32-bit number; larger ones by magnitude. */
static void hash2_small(Hash2 *h, intptr_t v)
{
    if (v >= -(1 << 27) && v < (1 << 27)) {
        int32_t y = (int32_t)v;
        if (y < 0) mix1(&h->hash, (uint32_t)-y, HCONST);
        mix1(&h->hash, (uint32_t)y, HCONST);
        return;
    }
    uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    mix2(&h->hash, (uint32_t)mag, (uint32_t)(mag >> 32), v < 0 ? HCONST_10 : HCONST_11);
}

static void hash2_big(Hash2 *h, Term t)
{
    uint32_t k = big_is_negative(t) ? HCONST_10 : HCONST_11;
    const mp_limb_t *d = big_digits(t);
    for (size_t i = 0, n = big_limbs(t); i < n; i++)
        mix2(&h->hash, (uint32_t)d[i], (uint32_t)((uint64_t)d[i] >> 32), k);
}

static void hash2_bitstring(Hash2 *h, Term t)
{
    Bits b = bits_of(t);
    b.bytes &= 0xFFFFFFFF; /* as OTP: the bytes beyond 4 GB are not hashed */
    uint32_t seed = HCONST_13 + h->hash;
    if (b.bytes == 0 && b.tail == 0) {
        h->hash = seed;
        return;
    }
    h->hash = block_hash(&b, seed);
    if (b.tail) mix2(&h->hash, b.tail, bits_tail_value(&b), HCONST_15);
}

static void hash2_fun(Hash2 *h, Term t)
{
    const Term *f = boxed_val(t);
    if (header_subtag(f[0]) == HDR_EXPORT) {
        const Export *e = (const Export *)f[1];
        mix2(&h->hash, e->arity, hash_atom(e->module), HCONST);
        mix1(&h->hash, hash_atom(e->function), HCONST_14);
        return;
    }
    const FunEntry *fe = (const FunEntry *)f[1];
    mix2(&h->hash, fe->num_free, hash_atom(fe->module), HCONST);
    mix2(&h->hash, fe->index, fe->old_uniq, HCONST);
    /* the captured values follow the fixed words (header, FunEntry*, creator pid) */
    for (uint32_t i = fe->num_free; i > 0; i--) push(&h->s, H2_TERM, f[2 + i]);
}

static void hash2_push_pair(void *ctx, Term key, Term value)
{
    Stack *s = ctx;
    push(s, H2_PAIR, 0);
    push(s, H2_TERM, value);
    push(s, H2_TERM, key);
}

static void hash2_map(Hash2 *h, Term t)
{
    size_t n = map_size(t);
    mix1(&h->hash, (uint32_t)n, HCONST_16);
    if (n == 0) return;
    push(&h->s, H2_MAP_END, (uint64_t)h->pairs_xor << 32 | h->hash);
    h->hash = 0;
    h->pairs_xor = 0;
    map_foreach(t, false, hash2_push_pair, &h->s); /* any order: pairs combine by xor */
}

static void hash2_boxed(Hash2 *h, Term t)
{
    const Term *hp = boxed_val(t);
    switch (header_subtag(hp[0])) {
    case HDR_TUPLE: {
        size_t n = header_arity(hp[0]);
        mix1(&h->hash, (uint32_t)n, HCONST_9);
        for (size_t i = n; i > 0; i--) push(&h->s, H2_TERM, hp[i]);
        return;
    }
    case HDR_MAP:
    case HDR_HASHMAP: hash2_map(h, t); return;
    case HDR_FUN:
    case HDR_EXPORT: hash2_fun(h, t); return;
    case HDR_POS_BIG:
    case HDR_NEG_BIG: hash2_big(h, t); return;
    case HDR_REF: mix1(&h->hash, ref_low_word(t), HCONST_7); return;
    case HDR_FLOAT: {
        uint32_t hi, lo;
        float_words(t, &hi, &lo);
        mix2(&h->hash, hi, lo, HCONST_12);
        return;
    }
    default: hash2_bitstring(h, t); return;
    }
}

/* A list: runs of bytes are packed four to a word; other heads are hashed
   as terms, and the tail after the last cell as a term too. */
static void hash2_list(Hash2 *h, Term t)
{
    uint32_t packed = 0;
    int count = 0;
    while (is_list(t) && is_byte(list_head(t))) {
        packed = packed << 8 | (uint32_t)small_val(list_head(t));
        if (++count == 4) {
            mix1(&h->hash, packed, HCONST_4);
            packed = 0;
            count = 0;
        }
        t = list_tail(t);
    }
    if (count > 0) mix1(&h->hash, packed, HCONST_4);
    if (is_list(t)) {
        push(&h->s, H2_TERM, list_tail(t));
        push(&h->s, H2_TERM, list_head(t));
    } else {
        push(&h->s, H2_TERM, t);
    }
}

static void hash2_term(Hash2 *h, Term t)
{
    if (is_list(t)) {
        hash2_list(h, t);
    } else if (is_boxed(t)) {
        hash2_boxed(h, t);
    } else if (is_small(t)) {
        hash2_small(h, small_val(t));
    } else if (is_atom(t)) {
        /* the first term of a hash takes the atom's hash unmixed */
        if (h->hash == 0) h->hash = hash_atom(t);
        else mix1(&h->hash, hash_atom(t), HCONST_3);
    } else if (is_nil(t)) {
        if (h->hash == 0) h->hash = 3468870702u; /* what mixing would give from 0 */
        else mix1(&h->hash, NIL_TAG_VALUE, HCONST_2);
    } else if (is_pid(t)) {
        mix1(&h->hash, (uint32_t)pid_number(t), HCONST_5);
    } else if (is_port(t)) {
        uint64_t n = port_number(t);
        mix2(&h->hash, (uint32_t)n, (uint32_t)(n >> 32), HCONST_6);
    }
}

uint32_t hash_phash2(Term t)
{
    Hash2 h = {.hash = 0, .pairs_xor = 0};
    stack_init(&h.s);
    push(&h.s, H2_TERM, t);
    while (h.s.n > 0) {
        const Entry *e = &h.s.e[--h.s.n];
        uint64_t op = e->op, val = e->val;
        if (op == H2_TERM) {
            hash2_term(&h, (Term)val);
        } else if (op == H2_PAIR) {
            h.pairs_xor ^= h.hash;
            h.hash = 0;
        } else {
            h.hash = (uint32_t)val;
            mix1(&h.hash, h.pairs_xor, HCONST_19);
            h.pairs_xor = (uint32_t)(val >> 32);
        }
    }
    stack_free(&h.s);
    return h.hash;
}

/* ================= make_hash (phash) ================= */

/* primes just above 2^28 */
#define P1 268440163u
#define P2 268439161u
#define P3 268435459u
#define P4 268436141u
#define P5 268438633u
#define P6 268437017u
#define P8 268437511u
#define P9 268439627u
#define P10 268440479u
#define P11 268440577u
#define P12 268440581u
#define P13 268440593u
#define P14 268440611u

enum hash1_op {
    H1_TERM,      /* hash the term in val */
    H1_TUPLE_END, /* a tuple's elements are done; val = its arity */
    H1_TAIL,      /* val is a list's tail after a non-byte head */
    H1_TAIL_END,  /* a list's final tail is done */
};

/* The four bytes of x, least significant first. */
static uint32_t step_u32(uint32_t h, uint32_t x, uint32_t prime)
{
    for (int i = 0; i < 4; i++) h = h * prime + (x >> (8 * i) & 0xFF);
    return h;
}

/* Integers: the bytes of the magnitude in whole 32-bit words, then the sign. */
static uint32_t hash1_small(uint32_t h, intptr_t v)
{
    uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    h = step_u32(h, (uint32_t)mag, P2);
    if (mag >> 32) h = step_u32(h, (uint32_t)(mag >> 32), P2);
    return h * (v < 0 ? P4 : P3);
}

static uint32_t hash1_big(uint32_t h, Term t)
{
    const mp_limb_t *d = big_digits(t);
    size_t n = big_limbs(t);
    for (size_t i = 0; i < n; i++) {
        uint64_t limb = d[i];
        h = step_u32(h, (uint32_t)limb, P2);
        if (i + 1 < n || limb >> 32) h = step_u32(h, (uint32_t)(limb >> 32), P2);
    }
    return h * (big_is_negative(t) ? P4 : P3);
}

static uint32_t hash1_bitstring(uint32_t h, Term t)
{
    Bits b = bits_of(t);
    for (size_t i = 0; i < b.bytes; i++) h = h * P1 + bits_byte(&b, i);
    if (b.tail) h = (h * P1 + bits_tail_value(&b)) * P12 + b.tail;
    return h * P4 + (uint32_t)b.bytes;
}

static uint32_t hash1_fun(uint32_t h, Term t, Stack *s)
{
    const Term *f = boxed_val(t);
    if (header_subtag(f[0]) == HDR_EXPORT) {
        const Export *e = (const Export *)f[1];
        h = h * P11 + e->arity;
        h = h * P1 + hash_atom(e->module);
        return h * P1 + hash_atom(e->function);
    }
    const FunEntry *fe = (const FunEntry *)f[1];
    h = h * P10 + fe->num_free;
    h = h * P1 + hash_atom(fe->module);
    h = h * P2 + fe->index;
    h = h * P2 + fe->old_uniq;
    for (uint32_t i = fe->num_free; i > 0; i--) push(s, H1_TERM, f[2 + i]);
    return h;
}

static uint32_t hash1_boxed(uint32_t h, Term t, Stack *s)
{
    const Term *hp = boxed_val(t);
    switch (header_subtag(hp[0])) {
    case HDR_TUPLE: {
        size_t n = header_arity(hp[0]);
        push(s, H1_TUPLE_END, n);
        for (size_t i = n; i > 0; i--) push(s, H1_TERM, hp[i]);
        return h;
    }
    case HDR_MAP:
    case HDR_HASHMAP: return h * P13 + P14 + hash_phash2(t);
    case HDR_FUN:
    case HDR_EXPORT: return hash1_fun(h, t, s);
    case HDR_POS_BIG:
    case HDR_NEG_BIG: return hash1_big(h, t);
    case HDR_REF: return step_u32(h, ref_low_word(t), P9) * P10;
    case HDR_FLOAT: {
        uint32_t hi, lo;
        float_words(t, &hi, &lo);
        return h * P6 + (hi ^ lo);
    }
    default: return hash1_bitstring(h, t);
    }
}

/* A list: byte heads are added directly; a non-byte head is hashed as a
   term before the rest; the final tail is hashed, then closed with P8. */
static uint32_t hash1_list(uint32_t h, Term t, Stack *s)
{
    while (is_byte(list_head(t))) {
        h = h * P2 + (uint32_t)small_val(list_head(t));
        Term tail = list_tail(t);
        if (!is_list(tail)) {
            push(s, H1_TAIL_END, 0);
            push(s, H1_TERM, tail);
            return h;
        }
        t = tail;
    }
    push(s, H1_TAIL, list_tail(t));
    push(s, H1_TERM, list_head(t));
    return h;
}

static uint32_t hash1_term(uint32_t h, Term t, Stack *s)
{
    if (is_list(t)) return hash1_list(h, t, s);
    if (is_boxed(t)) return hash1_boxed(h, t, s);
    if (is_small(t)) return hash1_small(h, small_val(t));
    if (is_atom(t)) return h * P1 + hash_atom(t);
    if (is_nil(t)) return h * P3 + 1;
    if (is_pid(t)) return step_u32(h, (uint32_t)pid_number(t), P5) * P6;
    if (is_port(t)) {
        uint64_t n = port_number(t);
        if (n >> 32) h = step_u32(h, (uint32_t)(n >> 32), P11);
        return step_u32(h, (uint32_t)n, P9) * P10;
    }
    return h;
}

uint32_t hash_phash(Term t)
{
    uint32_t h = 0;
    Stack s;
    stack_init(&s);
    push(&s, H1_TERM, t);
    while (s.n > 0) {
        const Entry *e = &s.e[--s.n];
        uint64_t op = e->op, val = e->val;
        switch (op) {
        case H1_TERM: h = hash1_term(h, (Term)val, &s); break;
        case H1_TUPLE_END: h = h * P9 + (uint32_t)val; break;
        case H1_TAIL:
            if (is_list((Term)val)) {
                h = hash1_list(h, (Term)val, &s);
            } else {
                push(&s, H1_TAIL_END, 0);
                push(&s, H1_TERM, val);
            }
            break;
        default: h *= P8; break;
        }
    }
    stack_free(&s);
    return h;
}

bool hash_range_arg(Term t, uint64_t *range)
{
    if (!is_small(t) || small_val(t) < 1 || small_val(t) > ((intptr_t)1 << 32)) return false;
    *range = (uint64_t)small_val(t);
    return true;
}
