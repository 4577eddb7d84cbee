/*
 * bif_string.c - string:list_to_integer/1 and string:list_to_float/1, the C
 * parts of OTP's string module: read a number at the start of a string and
 * return {Number, Rest}, or {error, no_integer | no_float | not_a_list}.
 */
#include "runtime/bif/bif.h"
#include "runtime/term/big.h"
#include "runtime/proc/heap.h"

#include <gmp.h>
#include <math.h>
#include <stdlib.h>

/* The leading characters of a list as bytes (up to max); stops at a non-byte or the end. */
static size_t leading_bytes(Term list, char *out, size_t max, Term *rest)
{
    size_t n = 0;
    while (is_list(list) && n < max) {
        Term h = list_head(list);
        if (!is_small(h) || small_val(h) < 0 || small_val(h) > 255) break;
        out[n++] = (char)small_val(h);
        list = list_tail(list);
    }
    *rest = list;
    out[n] = '\0';
    return n;
}

/* The list after skipping k elements. */
static Term drop(Term list, size_t k)
{
    while (k-- > 0) list = list_tail(list);
    return list;
}

static Term pair(Process *p, Term a, Term b) { return heap_tuple2(p, a, b); }

#define MAX_NUMBER_TEXT 4096

/* The list's leading bytes as a NUL-terminated string (freed by the caller). */
static char *number_text(Term list, size_t *n)
{
    char *text = malloc(MAX_NUMBER_TEXT + 1);
    if (!text) abort();
    Term unused;
    *n = leading_bytes(list, text, MAX_NUMBER_TEXT, &unused);
    return text;
}

Term bif_string_list_to_integer_1(Process *p, const Term *args)
{
    Term list = args[0];
    if (!is_list(list) && !is_nil(list)) return pair(p, AM_error, atom_from_cstr("not_a_list"));
    size_t n;
    char *text = number_text(list, &n);
    size_t i = (n > 0 && (text[0] == '-' || text[0] == '+')) ? 1 : 0, digits = i;
    while (digits < n && text[digits] >= '0' && text[digits] <= '9') digits++;
    Term result;
    if (digits == i) {
        result = pair(p, AM_error, atom_from_cstr("no_integer"));
    } else {
        text[digits] = '\0';
        mpz_t z;
        mpz_init_set_str(z, text[0] == '+' ? text + 1 : text, 10);
        result = pair(p, int_from_mpz(p, z), drop(list, digits));
        mpz_clear(z);
    }
    free(text);
    return result;
}

/* A float needs digits, a point, digits; an exponent may follow (as OTP's list_to_float). */
static size_t float_length(const char *s, size_t n)
{
    size_t i = (n > 0 && (s[0] == '-' || s[0] == '+')) ? 1 : 0, start = i;
    while (i < n && s[i] >= '0' && s[i] <= '9') i++;
    if (i == start || i + 1 >= n || s[i] != '.' || s[i + 1] < '0' || s[i + 1] > '9') return 0;
    i++;
    while (i < n && s[i] >= '0' && s[i] <= '9') i++;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        size_t j = i + 1;
        if (j < n && (s[j] == '-' || s[j] == '+')) j++;
        if (j < n && s[j] >= '0' && s[j] <= '9') {
            while (j < n && s[j] >= '0' && s[j] <= '9') j++;
            i = j;
        }
    }
    return i;
}

Term bif_string_list_to_float_1(Process *p, const Term *args)
{
    Term list = args[0];
    if (!is_list(list) && !is_nil(list)) return pair(p, AM_error, atom_from_cstr("not_a_list"));
    size_t n;
    char *text = number_text(list, &n);
    size_t len = float_length(text, n);
    Term result;
    double d = 0;
    if (len > 0) {
        text[len] = '\0';
        d = strtod(text, NULL);
    }
    if (len == 0 || !isfinite(d)) result = pair(p, AM_error, atom_from_cstr("no_float"));
    else result = pair(p, make_float(heap_alloc(p, FLOAT_WORDS), d), drop(list, len));
    free(text);
    return result;
}
