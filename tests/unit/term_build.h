/*
 * term_build.h - building terms by hand in unit tests: a static arena and
 * short constructors (A atom, I small, F float, T tuple, L/LT list, S string,
 * SEQ integer list, B heap binary, BIG bignum, M flat map). Call tb_reset() in each
 * suite's setup. Everything is static inline, so unused helpers cost nothing.
 */
#ifndef ERBIUM_TEST_TERM_BUILD_H
#define ERBIUM_TEST_TERM_BUILD_H

#include "runtime/term/atom.h"
#include "runtime/term/term.h"
#include "runtime/term/term_cmp.h"

#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static Term arena[1 << 22];
static size_t used;

static inline void tb_reset(void) { used = 0; }

static inline Term *words(size_t n)
{
    cr_assert_leq(used + n, sizeof arena / sizeof arena[0]);
    Term *p = arena + used;
    used += n;
    return p;
}

static inline Term A(const char *s) { return atom_from_cstr(s); }

static inline Term I(intptr_t v) { return make_small(v); }

static inline Term F(double d) { return make_float(words(FLOAT_WORDS), d); }

static inline Term T(size_t n, ...)
{
    va_list ap;
    Term *hp = words(1 + n);
    hp[0] = make_tuple_header(n);
    va_start(ap, n);
    for (size_t i = 0; i < n; i++) hp[1 + i] = va_arg(ap, Term);
    va_end(ap);
    return make_boxed(hp);
}

static inline Term cons(Term h, Term t)
{
    Term *c = words(2);
    c[0] = h;
    c[1] = t;
    return make_list(c);
}

/* A list of n elements ending in tail. */
static inline Term LT(Term tail, size_t n, ...)
{
    va_list ap;
    Term *elems = malloc((n ? n : 1) * sizeof *elems);
    va_start(ap, n);
    for (size_t i = 0; i < n; i++) elems[i] = va_arg(ap, Term);
    va_end(ap);
    for (size_t i = n; i-- > 0;) tail = cons(elems[i], tail);
    free(elems);
    return tail;
}

#define L(n, ...) LT(NIL, n, __VA_ARGS__)

/* The bytes of s as a list of character codes (a string). */
static inline Term S(const char *s)
{
    size_t n = strlen(s);
    Term t = NIL;
    for (size_t i = n; i-- > 0;) t = cons(make_small((uint8_t)s[i]), t);
    return t;
}

static inline Term SEQ(intptr_t from, intptr_t to)
{
    Term t = NIL;
    for (intptr_t i = to; i >= from; i--) t = cons(make_small(i), t);
    return t;
}

static inline Term B(const char *bytes, size_t n)
{
    Term *hp = words(2 + (n + 7) / 8);
    hp[0] = make_header(1 + (n + 7) / 8, HDR_HEAP_BIN);
    hp[1] = n;
    memcpy(hp + 2, bytes, n);
    return make_boxed(hp);
}

/* A bignum from n 64-bit limbs, least significant first. */
static inline Term BIG(bool negative, size_t n, ...)
{
    va_list ap;
    Term *hp = words(1 + n);
    hp[0] = make_header(n, negative ? HDR_NEG_BIG : HDR_POS_BIG);
    va_start(ap, n);
    for (size_t i = 0; i < n; i++) hp[1 + i] = (Term)va_arg(ap, unsigned long long);
    va_end(ap);
    return make_boxed(hp);
}

/* A flat map from n key/value pairs in any order (sorted here by key). */
static inline Term M(size_t n, ...)
{
    va_list ap;
    Term keys[16], vals[16];
    va_start(ap, n);
    for (size_t i = 0; i < n; i++) {
        keys[i] = va_arg(ap, Term);
        vals[i] = va_arg(ap, Term);
    }
    va_end(ap);
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && term_compare_exact(keys[j - 1], keys[j]) > 0; j--) {
            Term k = keys[j], v = vals[j];
            keys[j] = keys[j - 1], vals[j] = vals[j - 1];
            keys[j - 1] = k, vals[j - 1] = v;
        }
    Term *kt = words(1 + n), *hp = words(3 + n);
    kt[0] = make_tuple_header(n);
    hp[0] = make_header(2 + n, HDR_MAP);
    hp[1] = n;
    hp[2] = make_boxed(kt);
    for (size_t i = 0; i < n; i++) {
        kt[1 + i] = keys[i];
        hp[3 + i] = vals[i];
    }
    return make_boxed(hp);
}

#endif
