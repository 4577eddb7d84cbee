/*
 * term_cmp.c - term order and equality (see term_cmp.h).
 *
 * One loop pops pairs of terms from an explicit stack and compares them
 * shallowly: scalars are decided at once, compound terms push their parts.
 * A list pushes its tails before its heads, so walking a long list keeps
 * the stack small, and deep nesting costs heap memory instead of C stack.
 */
#include "runtime/term/term_cmp.h"

#include "runtime/term/atom.h"
#include "runtime/term/big.h"
#include "runtime/term/map.h"
#include "runtime/term/binary.h"
#include "runtime/loader/module.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* Ranks of the types in term order. */
enum type_rank {
    RANK_NUMBER,
    RANK_ATOM,
    RANK_REF,
    RANK_FUN,
    RANK_PORT,
    RANK_PID,
    RANK_TUPLE,
    RANK_MAP,
    RANK_NIL,
    RANK_LIST,
    RANK_BITSTRING,
};

typedef struct CmpPair {
    Term a, b;
    bool exact;
} CmpPair;

typedef struct CmpStack {
    CmpPair *items;
    size_t len, cap;
    CmpPair inline_items[32];
} CmpStack;

static void stack_push(CmpStack *s, Term a, Term b, bool exact)
{
    if (s->len == s->cap) {
        size_t cap = s->cap * 2;
        CmpPair *n = malloc(cap * sizeof *n);
        if (!n) abort();
        memcpy(n, s->items, s->len * sizeof *n);
        if (s->items != s->inline_items) free(s->items);
        s->items = n;
        s->cap = cap;
    }
    s->items[s->len++] = (CmpPair){a, b, exact};
}

static int sign_of(intptr_t d) { return (d > 0) - (d < 0); }

static enum type_rank rank_of(Term t)
{
    switch (term_primary(t)) {
    case TAG_PRIMARY_LIST: return RANK_LIST;
    case TAG_PRIMARY_BOXED:
        switch (header_subtag(boxed_val(t)[0])) {
        case HDR_TUPLE: return RANK_TUPLE;
        case HDR_POS_BIG:
        case HDR_NEG_BIG:
        case HDR_FLOAT: return RANK_NUMBER;
        case HDR_REF: return RANK_REF;
        case HDR_FUN:
        case HDR_EXPORT: return RANK_FUN;
        case HDR_MAP:
        case HDR_HASHMAP: return RANK_MAP;
        default: return RANK_BITSTRING;
        }
    default:
        if (is_small(t)) return RANK_NUMBER;
        if (is_atom(t)) return RANK_ATOM;
        if (is_pid(t)) return RANK_PID;
        if (is_port(t)) return RANK_PORT;
        return RANK_NIL;
    }
}

/* ---- numbers ---- */

/* A read-only mpz over a bignum's limbs (no allocation). */
static void big_view(Term t, mpz_t out)
{
    mp_size_t n = (mp_size_t)big_limbs(t);
    mpz_roinit_n(out, big_digits(t), big_is_negative(t) ? -n : n);
}

static int cmp_bigs(Term a, Term b)
{
    bool na = big_is_negative(a), nb = big_is_negative(b);
    if (na != nb) return na ? -1 : 1;
    size_t la = big_limbs(a), lb = big_limbs(b);
    int mag = la != lb ? (la < lb ? -1 : 1)
                       : sign_of(mpn_cmp(big_digits(a), big_digits(b), (mp_size_t)la));
    return na ? -mag : mag;
}

static int cmp_integers(Term a, Term b)
{
    if (is_small(a) && is_small(b)) return sign_of(small_val(a) - small_val(b));
    /* Integers are normalised: a bignum lies outside the small range. */
    if (is_small(a)) return big_is_negative(b) ? 1 : -1;
    if (is_small(b)) return big_is_negative(a) ? -1 : 1;
    return cmp_bigs(a, b);
}

static int cmp_doubles(double x, double y) { return (x > y) - (x < y); }

/*
 * Integer i against double d by exact value. Converting i to a double would
 * round above 2^53, so large integers compare with the integral part of d
 * and then its fraction.
 */
static int cmp_int_double(Term i, double d)
{
    if (is_small(i)) {
        intptr_t v = small_val(i);
        if (v > -(1LL << 53) && v < (1LL << 53)) return cmp_doubles((double)v, d);
        if (d >= 0x1p63) return -1;
        if (d < -0x1p63) return 1;
        double fl = floor(d);
        long long whole = (long long)fl;
        if (v != whole) return v < whole ? -1 : 1;
        return d > fl ? -1 : 0;
    }
    mpz_t z;
    big_view(i, z);
    return sign_of(mpz_cmp_d(z, d));
}

static int cmp_numbers(Term a, Term b, bool exact)
{
    bool fa = is_float(a), fb = is_float(b);
    if (fa && fb) return cmp_doubles(float_val(a), float_val(b));
    if (!fa && !fb) return cmp_integers(a, b);
    if (exact) return fa ? 1 : -1;
    return fa ? -cmp_int_double(b, float_val(a)) : cmp_int_double(a, float_val(b));
}

/* ---- other scalars ---- */

static int cmp_bytes(const void *a, size_t la, const void *b, size_t lb)
{
    int r = memcmp(a, b, la < lb ? la : lb);
    if (r != 0) return r < 0 ? -1 : 1;
    return (la > lb) - (la < lb);
}

/* UTF-8 byte order is code point order. */
static int cmp_atoms(Term a, Term b)
{
    if (a == b) return 0;
    return cmp_bytes(atom_text(a), atom_len(a), atom_text(b), atom_len(b));
}

/* The first id word is the least significant, as printed in #Ref<0.A.B.C>. */
static int cmp_refs(Term a, Term b)
{
    const Term *wa = boxed_val(a) + 1, *wb = boxed_val(b) + 1;
    for (size_t k = REF_WORDS; k-- > 0;)
        if (wa[k] != wb[k]) return wa[k] < wb[k] ? -1 : 1;
    return 0;
}

static int cmp_u64(uint64_t x, uint64_t y) { return (x > y) - (x < y); }

/* Any bitstrings, bit by bit and then by length (binary.h). */
static int cmp_binaries(Term a, Term b) { return bitstring_compare(a, b); }

/* ---- compound terms: decide what can be decided, push the rest ---- */

static void push_array(CmpStack *s, const Term *a, const Term *b, size_t n, bool exact)
{
    while (n-- > 0) stack_push(s, a[n], b[n], exact);
}

/*
 * Local funs: module, FunT index, old uniq, number of free variables, then
 * the free variables. Export funs: module, function, arity. Every local fun
 * sorts before every export fun.
 */
static int cmp_funs(CmpStack *s, Term a, Term b, bool exact)
{
    const Term *ha = boxed_val(a), *hb = boxed_val(b);
    bool ea = header_subtag(ha[0]) == HDR_EXPORT, eb = header_subtag(hb[0]) == HDR_EXPORT;
    if (ea != eb) return ea ? 1 : -1;
    if (ea) {
        const Export *xa = (const Export *)ha[1], *xb = (const Export *)hb[1];
        int r = cmp_atoms(xa->module, xb->module);
        if (r == 0) r = cmp_atoms(xa->function, xb->function);
        return r != 0 ? r : cmp_u64(xa->arity, xb->arity);
    }
    const FunEntry *fa = (const FunEntry *)ha[1], *fb = (const FunEntry *)hb[1];
    int r = cmp_atoms(fa->module, fb->module);
    if (r == 0) r = cmp_u64(fa->index, fb->index);
    if (r == 0) r = cmp_u64(fa->old_uniq, fb->old_uniq);
    if (r == 0) r = cmp_u64(header_arity(ha[0]), header_arity(hb[0]));
    if (r == 0) push_array(s, ha + 3, hb + 3, header_arity(ha[0]) - 2, exact);
    return r;
}

static int cmp_tuples(CmpStack *s, Term a, Term b, bool exact)
{
    size_t na = tuple_arity(a), nb = tuple_arity(b);
    if (na != nb) return na < nb ? -1 : 1;
    push_array(s, tuple_elems(a), tuple_elems(b), na, exact);
    return 0;
}

/*
 * Maps: by size, then the keys in the exact order, then the values in key
 * order. Hash maps with the same keys are compared in one walk (map.h);
 * otherwise their pairs are sorted into a temporary array first (the stack
 * holds copies of the terms, so the array can go at once).
 */
static int cmp_maps(CmpStack *s, Term a, Term b, bool exact)
{
    size_t n = map_size(a);
    if (n != map_size(b)) return n < map_size(b) ? -1 : 1;
    if (map_is_flat(a) && map_is_flat(b)) {
        const Term *ha = boxed_val(a), *hb = boxed_val(b);
        /* All keys first (popped first), then the values in key order. */
        push_array(s, ha + 3, hb + 3, n, exact);
        push_array(s, tuple_elems(ha[2]), tuple_elems(hb[2]), n, true);
        return 0;
    }
    int order;
    if (!map_is_flat(a) && !map_is_flat(b) && map_compare_values(a, b, exact, &order)) return order;
    Term *w = malloc((4 * n + 1) * sizeof(Term));
    if (!w) abort();
    map_sorted_pairs(a, w, w + n);
    map_sorted_pairs(b, w + 2 * n, w + 3 * n);
    push_array(s, w + n, w + 3 * n, n, exact);
    push_array(s, w, w + 2 * n, n, true);
    free(w);
    return 0;
}

/* Compares two list cells' heads; their tails are pushed to be compared next. */
static void push_list(CmpStack *s, Term a, Term b, bool exact)
{
    stack_push(s, list_tail(a), list_tail(b), exact);
    stack_push(s, list_head(a), list_head(b), exact);
}

static int cmp_step(CmpStack *s, Term a, Term b, bool exact)
{
    if (a == b) return 0;
    enum type_rank ra = rank_of(a), rb = rank_of(b);
    if (ra != rb) return ra < rb ? -1 : 1;
    switch (ra) {
    case RANK_NUMBER: return cmp_numbers(a, b, exact);
    case RANK_ATOM: return cmp_atoms(a, b);
    case RANK_REF: return cmp_refs(a, b);
    case RANK_FUN: return cmp_funs(s, a, b, exact);
    case RANK_PORT: return cmp_u64(port_number(a), port_number(b));
    case RANK_PID: return cmp_u64(pid_number(a), pid_number(b));
    case RANK_TUPLE: return cmp_tuples(s, a, b, exact);
    case RANK_MAP: return cmp_maps(s, a, b, exact);
    case RANK_NIL: return 0;
    case RANK_LIST: push_list(s, a, b, exact); return 0;
    case RANK_BITSTRING: return cmp_binaries(a, b);
    }
    return 0;
}

static int compare(Term a, Term b, bool exact)
{
    /* Float comparisons (loops over floats test one every iteration) skip the walk. */
    if (is_float(a) && (is_float(b) || is_small(b))) return cmp_numbers(a, b, exact);
    if (is_small(a) && is_float(b)) return cmp_numbers(a, b, exact);
    /* No initializer: zeroing the inline items would cost more than most comparisons. */
    CmpStack s;
    s.items = s.inline_items;
    s.len = 0;
    s.cap = 32;
    int r = cmp_step(&s, a, b, exact);
    while (r == 0 && s.len > 0) {
        CmpPair p = s.items[--s.len];
        r = cmp_step(&s, p.a, p.b, p.exact);
    }
    if (s.items != s.inline_items) free(s.items);
    return r;
}

int term_compare(Term a, Term b) { return a == b ? 0 : compare(a, b, false); }

int term_compare_exact(Term a, Term b) { return a == b ? 0 : compare(a, b, true); }

/* Distinct immediates are never equal: no number is both immediate and float. */
bool term_eq_exact(Term a, Term b)
{
    if (a == b) return true;
    if (is_immed(a) && is_immed(b)) return false;
    return compare(a, b, true) == 0;
}

bool term_eq(Term a, Term b)
{
    if (a == b) return true;
    if (is_immed(a) && is_immed(b)) return false;
    return compare(a, b, false) == 0;
}
