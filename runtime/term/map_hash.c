/*
 * map_hash.c - the hash that places a key in a large map (see map.h).
 *
 * This is OTP 25's make_internal_hash() as its hashmaps use it, rewritten
 * from its description: a 32-bit state starts from a salt and absorbs the
 * term's parts in a fixed walk, each absorption being Bob Jenkins' 96-bit
 * mix of two 32-bit words (plus a per-type constant) into the state.
 *
 *  - Immediates (small integers, atoms, pids, ports, []) absorb their raw
 *    64-bit word as (low, high). erbium tags small integers and [] exactly
 *    as OTP does, so their hashes match OTP's. Atoms are hashed by their
 *    index (OTP 25 does the same: there the order of atom keys depends on
 *    the order in which the VM created the atoms, so it cannot be matched),
 *    pids and ports by erbium's numbering; references, funs and export
 *    funs by erbium's words for them. Those orders differ from OTP's.
 *  - Lists absorb runs of byte elements four at a time; any other element
 *    is walked as a term, between markers for the cons cell and a non-list
 *    tail. Tuples absorb their arity, then their elements in order.
 *  - Floats absorb their IEEE bits (as +0.0 for -0.0); bignums their
 *    64-bit limbs; binaries go through Jenkins' block hash.
 *  - Maps absorb their size, then key and value of every pair: flat maps
 *    in key order, hash maps in the reverse of their iteration order.
 *
 * Keys deeper than eight trie levels (32 hash bits) need more bits: round
 * r > 0 first mixes (r, 1) into a zero state and uses that as the salt,
 * as OTP 25's make_map_hash(Key, Depth) does.
 */
#include "runtime/term/map_internal.h"

#include "runtime/term/big.h"
#include "runtime/term/binary.h"
#include "runtime/loader/export.h"
#include "runtime/loader/module.h"

#include <stdio.h>
#include <stdlib.h>

/* OTP's HCONST_n: the golden ratio times n, one constant per kind of term. */
enum hconst_factor {
    K_STRING4 = 4, K_REF = 7, K_REF2 = 8, K_TUPLE = 9, K_NEG_BIG = 10, K_POS_BIG = 11,
    K_FLOAT = 12, K_BINARY = 13, K_EXPORT = 14, K_BIT_TAIL = 15, K_MAP = 16,
    K_CONS = 17, K_CDR = 18, K_FUN = 20, K_FUN2 = 21, K_STRING_TAIL = 22,
};

static inline uint32_t hconst(enum hconst_factor n) { return MAP_GOLDEN * (uint32_t)n; }

/* Absorbs two words with a type constant (OTP's UINT32_HASH_2). */
static inline void absorb2(uint32_t *h, uint32_t x, uint32_t y, uint32_t k)
{
    uint32_t a = k + x, b = k + y;
    map_mix(&a, &b, h);
}

static inline void absorb_word(uint32_t *h, uint64_t w, uint32_t k)
{
    absorb2(h, (uint32_t)w, (uint32_t)(w >> 32), k);
}

/* A cheap mark in the state for list structure (OTP's CONST_HASH). */
static inline void mark(uint32_t *h, uint32_t k)
{
    *h ^= k;
    *h = (*h << 17) | (*h >> 15);
}

/* ---- the walk's stack of terms still to absorb ---- */

/* Stands for "absorb the end of a cons cell here"; never a term to hash. */
#define CDR_MARK THE_NON_VALUE

typedef struct Pending {
    Term *items;
    size_t len, cap;
    Term inline_items[64];
} Pending;

static __attribute__((cold, noinline)) void pending_grow(Pending *s)
{
    size_t cap = s->cap * 2;
    Term *items = malloc(cap * sizeof *items);
    if (!items) {
        fprintf(stderr, "erbium: out of memory hashing a map key\n");
        abort();
    }
    memcpy(items, s->items, s->len * sizeof *items);
    if (s->items != s->inline_items) free(s->items);
    s->items = items;
    s->cap = cap;
}

static inline void push(Pending *s, Term t)
{
    if (s->len == s->cap) pending_grow(s);
    s->items[s->len++] = t;
}

/* ---- one step per kind of term ---- */

static inline bool is_byte(Term t) { return is_small(t) && (uintptr_t)small_val(t) <= 255; }

/*
 * A list: runs of bytes are absorbed four at a time; at the first element
 * that is not a byte, returns that element as the next term to walk, with
 * the rest of the list (and a marker if the rest is not a list) pending.
 * When the bytes run to the end, returns the tail.
 */
static Term step_list(uint32_t *h, Pending *s, Term t)
{
    uint32_t packed = 0, count = 0;
    const Term *cell = list_val(t);
    while (is_byte(CAR(cell))) {
        packed = (packed << 8) + (uint32_t)small_val(CAR(cell));
        if (count == 3) {
            absorb2(h, packed, 0, hconst(K_STRING4));
            packed = count = 0;
        } else {
            count++;
        }
        t = CDR(cell);
        if (!is_list(t)) break;
        cell = list_val(t);
    }
    if (count > 0) absorb2(h, packed, count, hconst(K_STRING_TAIL));
    if (!is_list(t)) return t;
    Term rest = CDR(cell);
    mark(h, hconst(K_CONS));
    push(s, rest);
    if (!is_list(rest)) push(s, CDR_MARK);
    return CAR(cell);
}

/* A tuple: absorbs the arity; returns the first element (or NON_VALUE). */
static Term step_tuple(uint32_t *h, Pending *s, Term t)
{
    size_t n = tuple_arity(t);
    const Term *e = tuple_elems(t);
    absorb2(h, (uint32_t)n, 0, hconst(K_TUPLE));
    if (n == 0) return THE_NON_VALUE;
    for (size_t i = n; i-- > 1;) push(s, e[i]);
    return e[0];
}

typedef struct PushPairs {
    Pending *s;
} PushPairs;

static void push_pair(void *ctx, Term key, Term value)
{
    Pending *s = ((PushPairs *)ctx)->s;
    push(s, value);
    push(s, key);
}

/*
 * A map: its size, then key and value of each pair. Pushing the pairs in
 * iteration order makes the last one absorbed first: for a flat map that
 * is wanted in key order, so its pairs are pushed backwards.
 */
static void step_map(uint32_t *h, Pending *s, Term t)
{
    size_t n = map_size(t);
    absorb2(h, (uint32_t)n, 0, hconst(K_MAP));
    if (map_is_flat(t)) {
        const Term *keys = flat_keys(t), *values = flat_values(t);
        for (size_t i = n; i-- > 0;) push_pair(&(PushPairs){s}, keys[i], values[i]);
        return;
    }
    hamt_foreach(t, false, push_pair, &(PushPairs){s});
}

static void step_big(uint32_t *h, Term t)
{
    uint32_t k = hconst(big_is_negative(t) ? K_NEG_BIG : K_POS_BIG);
    const mp_limb_t *limb = big_digits(t);
    for (size_t i = 0, n = big_limbs(t); i < n; i++) absorb_word(h, limb[i], k);
}

static void step_float(uint32_t *h, Term t)
{
    double d = float_val(t);
    if (d == 0.0) d = 0.0; /* -0.0 hashes as 0.0 */
    uint64_t bits;
    memcpy(&bits, &d, sizeof bits);
    absorb_word(h, bits, hconst(K_FLOAT));
}

/* Jenkins' block hash of n bytes, starting from `init`. */
static uint32_t block_hash(const uint8_t *k, size_t n, uint32_t init)
{
    uint32_t a = MAP_GOLDEN, b = MAP_GOLDEN, c = init;
    size_t left = n;
    for (; left >= 12; k += 12, left -= 12) {
        a += (uint32_t)k[0] | (uint32_t)k[1] << 8 | (uint32_t)k[2] << 16 | (uint32_t)k[3] << 24;
        b += (uint32_t)k[4] | (uint32_t)k[5] << 8 | (uint32_t)k[6] << 16 | (uint32_t)k[7] << 24;
        c += (uint32_t)k[8] | (uint32_t)k[9] << 8 | (uint32_t)k[10] << 16 | (uint32_t)k[11] << 24;
        map_mix(&a, &b, &c);
    }
    c += (uint32_t)n;
    /* The last 0..11 bytes: c's lowest byte is taken by the length. */
    for (size_t i = 0; i < left; i++) {
        uint32_t byte = k[i];
        if (i < 4) a += byte << (8 * i);
        else if (i < 8) b += byte << (8 * (i - 4));
        else c += byte << (8 * (i - 7));
    }
    map_mix(&a, &b, &c);
    return c;
}

static void step_bitstring(uint32_t *h, Term t)
{
    BitSlice bs;
    bitstring_slice(t, &bs);
    size_t bytes = bs.bits / 8, tail_bits = bs.bits % 8;
    uint32_t init = hconst(K_BINARY) + *h;
    if (bs.bits == 0) {
        *h = init;
        return;
    }
    const uint8_t *data = bs.data + bs.offset / 8;
    uint8_t *copy = NULL;
    if (bs.offset % 8 != 0) {
        copy = malloc(bytes + 1);
        if (!copy) abort();
        bitstring_copy(t, copy);
        data = copy;
    }
    *h = block_hash(data, bytes, init);
    if (tail_bits > 0) absorb2(h, (uint32_t)tail_bits, data[bytes] >> (8 - tail_bits), hconst(K_BIT_TAIL));
    free(copy);
}

/* A local fun: its identity, then its free variables (returns the first or NON_VALUE). */
static Term step_fun(uint32_t *h, Pending *s, Term t)
{
    const Term *hp = boxed_val(t);
    const FunEntry *fe = (const FunEntry *)hp[1];
    size_t num_free = header_arity(hp[0]) - 2;
    absorb2(h, (uint32_t)num_free, (uint32_t)fe->module, hconst(K_FUN));
    absorb2(h, fe->index, fe->old_uniq, hconst(K_FUN2));
    if (num_free == 0) return THE_NON_VALUE;
    const Term *env = hp + 3;
    for (size_t i = num_free; i-- > 1;) push(s, env[i]);
    return env[0];
}

static void step_ref(uint32_t *h, Term t)
{
    const Term *w = boxed_val(t) + 1;
    absorb_word(h, w[0], hconst(K_REF));
    absorb_word(h, w[1], hconst(K_REF2));
}

/* One boxed term; returns a term to walk next, or NON_VALUE to pop one. */
static Term step_boxed(uint32_t *h, Pending *s, Term t)
{
    switch (header_subtag(boxed_val(t)[0])) {
    case HDR_TUPLE: return step_tuple(h, s, t);
    case HDR_MAP:
    case HDR_HASHMAP: step_map(h, s, t); break;
    case HDR_FUN: return step_fun(h, s, t);
    case HDR_EXPORT: absorb_word(h, boxed_val(t)[1], hconst(K_EXPORT)); break;
    case HDR_POS_BIG:
    case HDR_NEG_BIG: step_big(h, t); break;
    case HDR_FLOAT: step_float(h, t); break;
    case HDR_REF: step_ref(h, t); break;
    default: step_bitstring(h, t); break;
    }
    return THE_NON_VALUE;
}

uint32_t map_hash_salted(Term t, uint32_t salt)
{
    uint32_t h = salt ^ MAP_INTERNAL_SALT;
    if (is_immed(t)) {
        absorb_word(&h, t, MAP_GOLDEN);
        return h;
    }
    Pending s = {.len = 0, .cap = 64};
    s.items = s.inline_items;
    for (;;) {
        while (t != THE_NON_VALUE) {
            if (is_list(t)) t = step_list(&h, &s, t);
            else if (is_boxed(t)) t = step_boxed(&h, &s, t);
            else {
                absorb_word(&h, t, MAP_GOLDEN);
                t = THE_NON_VALUE;
            }
        }
        /* Pop the next pending term; a marker closes a cons cell. */
        while (s.len > 0 && s.items[s.len - 1] == CDR_MARK) {
            mark(&h, hconst(K_CDR));
            s.len--;
        }
        if (s.len == 0) break;
        t = s.items[--s.len];
    }
    if (s.items != s.inline_items) free(s.items);
    return h;
}

uint32_t map_hash(Term key, unsigned round)
{
    if (round == 0) return map_hash0(key);
    uint32_t salt = 0;
    absorb2(&salt, round, 1, hconst(K_STRING_TAIL));
    return map_hash_salted(key, salt);
}
