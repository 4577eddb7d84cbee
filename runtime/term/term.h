/*
 * term.h - the tagged one-word term representation.
 *
 * Every Erlang value is one 64-bit word (Term). The low two bits are the
 * primary tag:
 *
 *   ..00  header word: only the first word of a boxed object on a heap, or a
 *         code pointer (a continuation) on a process stack. Never a value.
 *   ..01  list: pointer to a cons cell (two words: head, tail) | 1
 *   ..10  boxed: pointer to an object starting with a header word | 2
 *   ..11  immediate, refined by the next bits:
 *         ..0011  pid          (process number << 4)
 *         ..0111  port         (port number << 4)
 *         ..1111  small integer (signed 60-bit value << 4)
 *         ..1011  immediate-2, refined by six bits:
 *                 ..001011 atom   (atom index << 6)
 *                 ..011011 catch  (catch-table index << 6), only on stacks
 *                 ..111011 special: NIL ([]) and THE_NON_VALUE
 *
 * A header word is (arity << 6) | (subtag << 2): arity is the number of
 * words that follow the header, so every boxed object occupies 1 + arity
 * words and can be copied without knowing its kind. What those words hold
 * (terms to scan during GC, or raw data) depends on the subtag; see
 * hdr_raw_words() below.
 */
#ifndef ERBIUM_TERM_H
#define ERBIUM_TERM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef uintptr_t Term;
_Static_assert(sizeof(Term) == 8, "erbium needs a 64-bit machine");

/* ---- primary tags ---- */
#define TAG_PRIMARY_MASK 0x3u
#define TAG_PRIMARY_HEADER 0x0u
#define TAG_PRIMARY_LIST 0x1u
#define TAG_PRIMARY_BOXED 0x2u
#define TAG_PRIMARY_IMMED1 0x3u

#define TAG_IMMED1_MASK 0xFu
#define TAG_IMMED1_PID 0x3u
#define TAG_IMMED1_PORT 0x7u
#define TAG_IMMED1_IMMED2 0xBu
#define TAG_IMMED1_SMALL 0xFu

#define TAG_IMMED2_MASK 0x3Fu
#define TAG_IMMED2_ATOM 0x0Bu
#define TAG_IMMED2_CATCH 0x1Bu
#define TAG_IMMED2_SPECIAL 0x3Bu

#define NIL ((Term)((0u << 6) | TAG_IMMED2_SPECIAL))
/* Marks "no value": a failed BIF's result, an empty slot. Never a user value. */
#define THE_NON_VALUE ((Term)((1u << 6) | TAG_IMMED2_SPECIAL))

static inline unsigned term_primary(Term t) { return (unsigned)(t & TAG_PRIMARY_MASK); }

/* ---- small integers: 60-bit signed ---- */
#define SMALL_BITS 60
#define MAX_SMALL ((intptr_t)((((uintptr_t)1) << (SMALL_BITS - 1)) - 1))
#define MIN_SMALL (-MAX_SMALL - 1)

static inline bool is_small(Term t) { return (t & TAG_IMMED1_MASK) == TAG_IMMED1_SMALL; }
static inline Term make_small(intptr_t v) { return ((Term)v << 4) | TAG_IMMED1_SMALL; }
static inline intptr_t small_val(Term t) { return (intptr_t)t >> 4; }
static inline bool small_fits(intptr_t v) { return v >= MIN_SMALL && v <= MAX_SMALL; }
/* True when both a and b are small integers (one test instead of two). */
static inline bool both_small(Term a, Term b)
{
    return ((a & b) & TAG_IMMED1_MASK) == TAG_IMMED1_SMALL;
}

/* ---- atoms ---- */
static inline bool is_atom(Term t) { return (t & TAG_IMMED2_MASK) == TAG_IMMED2_ATOM; }
static inline Term make_atom(uint32_t index) { return ((Term)index << 6) | TAG_IMMED2_ATOM; }
static inline uint32_t atom_val(Term t) { return (uint32_t)(t >> 6); }

/* ---- catch tags (stack only) ---- */
static inline bool is_catch(Term t) { return (t & TAG_IMMED2_MASK) == TAG_IMMED2_CATCH; }
static inline Term make_catch(uint32_t index) { return ((Term)index << 6) | TAG_IMMED2_CATCH; }
static inline uint32_t catch_val(Term t) { return (uint32_t)(t >> 6); }

/* ---- pids and ports (local node only) ---- */
static inline bool is_pid(Term t) { return (t & TAG_IMMED1_MASK) == TAG_IMMED1_PID; }
static inline Term make_pid(uint64_t number) { return ((Term)number << 4) | TAG_IMMED1_PID; }
static inline uint64_t pid_number(Term t) { return (uint64_t)(t >> 4); }
/* As OTP prints a pid numbered n: <0.(n mod 2^15).(n div 2^15)> (its 15-bit number and serial). */
static inline uint64_t pid_text_number(uint64_t n) { return n & 0x7FFF; }
static inline uint64_t pid_text_serial(uint64_t n) { return n >> 15; }
static inline bool is_port(Term t) { return (t & TAG_IMMED1_MASK) == TAG_IMMED1_PORT; }
static inline Term make_port(uint64_t number) { return ((Term)number << 4) | TAG_IMMED1_PORT; }
static inline uint64_t port_number(Term t) { return (uint64_t)(t >> 4); }

static inline bool is_nil(Term t) { return t == NIL; }
static inline bool is_value(Term t) { return t != THE_NON_VALUE; }
static inline bool is_immed(Term t) { return term_primary(t) == TAG_PRIMARY_IMMED1; }

/* ---- lists ---- */
static inline bool is_list(Term t) { return term_primary(t) == TAG_PRIMARY_LIST; }
static inline Term make_list(const Term *cell) { return (Term)cell | TAG_PRIMARY_LIST; }
static inline Term *list_val(Term t) { return (Term *)(t - TAG_PRIMARY_LIST); }
#define CAR(cell) ((cell)[0])
#define CDR(cell) ((cell)[1])
static inline Term list_head(Term t) { return list_val(t)[0]; }
static inline Term list_tail(Term t) { return list_val(t)[1]; }

/* ---- boxed objects ---- */
static inline bool is_boxed(Term t) { return term_primary(t) == TAG_PRIMARY_BOXED; }
static inline Term make_boxed(const Term *p) { return (Term)p | TAG_PRIMARY_BOXED; }
static inline Term *boxed_val(Term t) { return (Term *)(t - TAG_PRIMARY_BOXED); }

enum header_subtag {
    HDR_TUPLE = 0x0,    /* arity elements (terms) */
    HDR_POS_BIG = 0x2,  /* arity limbs (mp_limb_t, least significant first) */
    HDR_NEG_BIG = 0x3,  /* same, negative; magnitude as for POS */
    HDR_REF = 0x4,      /* REF_WORDS raw words of id */
    HDR_FUN = 0x5,      /* FunEntry*, creator pid, free variables (terms) */
    HDR_FLOAT = 0x6,    /* one double */
    HDR_EXPORT = 0x7,   /* Export* (fun M:F/A) */
    HDR_REFC_BIN = 0x8, /* off-heap binary handle; layout in binary.h */
    HDR_HEAP_BIN = 0x9, /* byte size, then the bytes, padded to a word */
    HDR_SUB_BIN = 0xA,  /* slice of another binary; layout in binary.h */
    HDR_MATCH_CTX = 0xB,/* binary match state; layout in binary.h */
    HDR_MAP = 0xC,      /* flat map: count (raw), keys tuple, values */
    HDR_HASHMAP = 0xD,  /* large map node; layout in map.h */
};

#define HEADER_SUBTAG_MASK 0x3Cu
static inline Term make_header(size_t arity, unsigned subtag)
{
    return ((Term)arity << 6) | ((Term)subtag << 2);
}
static inline bool is_header(Term t) { return term_primary(t) == TAG_PRIMARY_HEADER; }
static inline unsigned header_subtag(Term hdr) { return (unsigned)((hdr & HEADER_SUBTAG_MASK) >> 2); }
static inline size_t header_arity(Term hdr) { return (size_t)(hdr >> 6); }

/*
 * How many words right after the header hold raw (non-term) data that the
 * GC must copy but not scan. SIZE_MAX means "all of them".
 */
static inline size_t hdr_raw_words(Term hdr)
{
    switch (header_subtag(hdr)) {
    case HDR_TUPLE: return 0;
    case HDR_FUN: return 1;
    case HDR_MAP: return 1;
    case HDR_HASHMAP: return 1;
    case HDR_SUB_BIN: return 2;  /* then the original binary term */
    case HDR_MATCH_CTX: return 2;/* then the binary term being matched */
    default: return SIZE_MAX;
    }
}

static inline bool is_boxed_of(Term t, unsigned subtag)
{
    return is_boxed(t) && header_subtag(boxed_val(t)[0]) == subtag;
}

/* ---- tuples ---- */
static inline bool is_tuple(Term t) { return is_boxed_of(t, HDR_TUPLE); }
static inline size_t tuple_arity(Term t) { return header_arity(boxed_val(t)[0]); }
/* 1-based element pointer: tuple_elems(t)[0] is element 1 */
static inline Term *tuple_elems(Term t) { return boxed_val(t) + 1; }

/* ---- floats ---- */
#define FLOAT_WORDS 2
static inline bool is_float(Term t) { return is_boxed_of(t, HDR_FLOAT); }
static inline double float_val(Term t)
{
    double d;
    memcpy(&d, boxed_val(t) + 1, sizeof d);
    return d;
}
/* Writes a float object at hp (FLOAT_WORDS words) and returns its term. */
static inline Term make_float(Term *hp, double d)
{
    hp[0] = make_header(1, HDR_FLOAT);
    memcpy(hp + 1, &d, sizeof d);
    return make_boxed(hp);
}

/* ---- bignums (see big.h for arithmetic) ---- */
static inline bool is_big(Term t)
{
    if (!is_boxed(t)) return false;
    unsigned s = header_subtag(boxed_val(t)[0]);
    return s == HDR_POS_BIG || s == HDR_NEG_BIG;
}
static inline bool is_integer(Term t) { return is_small(t) || is_big(t); }
static inline bool is_number(Term t) { return is_integer(t) || is_float(t); }

/* ---- references ---- */
#define REF_WORDS 2
static inline bool is_ref(Term t) { return is_boxed_of(t, HDR_REF); }

/* ---- funs ---- */
static inline bool is_fun(Term t)
{
    if (!is_boxed(t)) return false;
    unsigned s = header_subtag(boxed_val(t)[0]);
    return s == HDR_FUN || s == HDR_EXPORT;
}

/* ---- binaries (see binary.h) ---- */
static inline bool is_bitstring(Term t)
{
    if (!is_boxed(t)) return false;
    unsigned s = header_subtag(boxed_val(t)[0]);
    return s == HDR_HEAP_BIN || s == HDR_REFC_BIN || s == HDR_SUB_BIN;
}

/* ---- maps ---- */
static inline bool is_map(Term t)
{
    if (!is_boxed(t)) return false;
    unsigned s = header_subtag(boxed_val(t)[0]);
    return s == HDR_MAP || s == HDR_HASHMAP;
}

/* Tuples are built with hp[0] = make_header(n, HDR_TUPLE); hp[1..n] = elements. */
static inline Term make_tuple_header(size_t arity) { return make_header(arity, HDR_TUPLE); }

/*
 * An allocator for building terms outside a process heap (literal areas,
 * off-heap construction). Returns `words` words or NULL when out of memory.
 */
typedef struct TermAlloc {
    Term *(*alloc)(void *ctx, size_t words);
    void *ctx;
} TermAlloc;

#endif
