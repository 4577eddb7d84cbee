/*
 * bif_num.c - number BIFs: the arithmetic operators as functions
 * (erlang:'+'/2 ...), abs/1 and friends, integers and floats to and from
 * character lists, and the time BIFs of erlang and os.
 *
 * The operators and rounding BIFs are thin wrappers over arith.h; the time
 * BIFs over arith_time.h; float text over arith_fmt.h. The text
 * conversions follow OTP 25 to the letter, quirks included:
 * list_to_integer reads each character code modulo 256 (so [16#10031] is
 * "1"), list_to_float stops reading at a NUL character, float_to_list/2
 * lets the last format option win and truncates the digit count to a C int.
 */
#include "runtime/term/arith.h"
#include "runtime/term/arith_fmt.h"
#include "runtime/term/arith_impl.h"
#include "runtime/time/arith_time.h"
#include "runtime/bif/bif.h"
#include "runtime/proc/heap.h"

#include <stdlib.h>

/* ---- operators and rounding ---- */

Term bif_add_2(Process *p, const Term *args) { return arith_add(p, args[0], args[1]); }
Term bif_sub_2(Process *p, const Term *args) { return arith_sub(p, args[0], args[1]); }
Term bif_mul_2(Process *p, const Term *args) { return arith_mul(p, args[0], args[1]); }
Term bif_fdiv_2(Process *p, const Term *args) { return arith_fdiv(p, args[0], args[1]); }
Term bif_div_2(Process *p, const Term *args) { return arith_div(p, args[0], args[1]); }
Term bif_rem_2(Process *p, const Term *args) { return arith_rem(p, args[0], args[1]); }
Term bif_band_2(Process *p, const Term *args) { return arith_band(p, args[0], args[1]); }
Term bif_bor_2(Process *p, const Term *args) { return arith_bor(p, args[0], args[1]); }
Term bif_bxor_2(Process *p, const Term *args) { return arith_bxor(p, args[0], args[1]); }
Term bif_bsl_2(Process *p, const Term *args) { return arith_bsl(p, args[0], args[1]); }
Term bif_bsr_2(Process *p, const Term *args) { return arith_bsr(p, args[0], args[1]); }
Term bif_bnot_1(Process *p, const Term *args) { return arith_bnot(p, args[0]); }
Term bif_neg_1(Process *p, const Term *args) { return arith_neg(p, args[0]); }
Term bif_plus_1(Process *p, const Term *args) { return arith_plus(p, args[0]); }
Term bif_abs_1(Process *p, const Term *args) { return arith_abs(p, args[0]); }
Term bif_float_1(Process *p, const Term *args) { return arith_float(p, args[0]); }
Term bif_round_1(Process *p, const Term *args) { return arith_round(p, args[0]); }
Term bif_trunc_1(Process *p, const Term *args) { return arith_trunc(p, args[0]); }
Term bif_floor_1(Process *p, const Term *args) { return arith_floor(p, args[0]); }
Term bif_ceil_1(Process *p, const Term *args) { return arith_ceil(p, args[0]); }

/* ---- helpers ---- */

/* The list of the n character codes at s. */
static Term chars_to_list(Process *p, const char *s, size_t n)
{
    Term *hp = heap_alloc(p, 2 * n);
    Term list = NIL;
    for (size_t i = n; i-- > 0;) {
        hp[2 * i] = make_small((unsigned char)s[i]);
        hp[2 * i + 1] = list;
        list = make_list(hp + 2 * i);
    }
    return list;
}

/* True when t is the atom whose text is name (for atoms that atoms.def lacks). */
static bool atom_is(Term t, const char *name)
{
    size_t len = strlen(name);
    return is_atom(t) && atom_len(t) == len && memcmp(atom_text(t), name, len) == 0;
}

/* A base argument (2..36), or 0 when b is not one. */
static int base_arg(Term b)
{
    if (!is_small(b) || small_val(b) < 2 || small_val(b) > 36) return 0;
    return (int)small_val(b);
}

/* ---- integer_to_list ---- */

static Term integer_to_list(Process *p, Term n, int base)
{
    if (is_small(n)) {
        char buf[ARITH_FMT_INT_BUF];
        char *s = arith_fmt_small(small_val(n), (unsigned)base, buf + sizeof buf);
        return chars_to_list(p, s, (size_t)(buf + sizeof buf - s));
    }
    ArithView view;
    char *text = mpz_get_str(NULL, -base, arith_view(&view, n)); /* negative base: uppercase */
    size_t len = strlen(text);
    Term list = chars_to_list(p, text, len);
    void (*gmp_free)(void *, size_t);
    mp_get_memory_functions(NULL, NULL, &gmp_free);
    gmp_free(text, len + 1);
    return list;
}

Term bif_integer_to_list_1(Process *p, const Term *args)
{
    if (!is_integer(args[0])) return bif_error(p, AM_badarg);
    return integer_to_list(p, args[0], 10);
}

Term bif_integer_to_list_2(Process *p, const Term *args)
{
    int base = base_arg(args[1]);
    if (!is_integer(args[0]) || !base) return bif_error(p, AM_badarg);
    return integer_to_list(p, args[0], base);
}

/* ---- list_to_integer ---- */

/* The value of digit character c in base, or -1. */
static int digit_value(unsigned char c, int base)
{
    int v = c >= '0' && c <= '9'   ? c - '0'
            : c >= 'a' && c <= 'z' ? c - 'a' + 10
            : c >= 'A' && c <= 'Z' ? c - 'A' + 10
                                   : -1;
    return v < base ? v : -1;
}

/* The digit character of list element t (OTP reads the code modulo 256), or -1. */
static int digit_char(Term t, int base)
{
    if (!is_small(t)) return -1;
    unsigned char c = (unsigned char)small_val(t);
    return digit_value(c, base) < 0 ? -1 : c;
}

/* Counts the digits of a list of digits ending in []; 0 when it is anything else. */
static size_t count_digits(Term list, int base)
{
    size_t n = 0;
    for (; is_list(list); list = list_tail(list), n++) {
        if (digit_char(list_head(list), base) < 0) return 0;
    }
    return is_nil(list) ? n : 0;
}

static Term digits_to_integer(Process *p, Term list, size_t n, int base, bool negative)
{
    char *text = malloc(n + 1);
    if (!text) return bif_error(p, AM_system_limit);
    for (size_t i = 0; i < n; i++, list = list_tail(list)) {
        text[i] = (char)digit_char(list_head(list), base);
    }
    text[n] = '\0';
    mpz_t r;
    mpz_init_set_str(r, text, base);
    free(text);
    if (negative) mpz_neg(r, r);
    return arith_from_mpz(p, r);
}

/* Up to this many digits the value fits a small integer in any base (36^11 < 2^59). */
#define SMALL_DIGITS 11

static Term list_to_integer(Process *p, Term list, int base)
{
    bool negative = false;
    if (is_list(list) &&
        (list_head(list) == make_small('-') || list_head(list) == make_small('+'))) {
        negative = list_head(list) == make_small('-');
        list = list_tail(list);
    }
    size_t n = count_digits(list, base);
    if (n == 0) return bif_error(p, AM_badarg);
    if (n > SMALL_DIGITS) return digits_to_integer(p, list, n, base, negative);
    intptr_t v = 0;
    for (; is_list(list); list = list_tail(list)) {
        v = v * base + digit_value((unsigned char)digit_char(list_head(list), base), base);
    }
    return make_small(negative ? -v : v);
}

Term bif_list_to_integer_1(Process *p, const Term *args)
{
    return list_to_integer(p, args[0], 10);
}

Term bif_list_to_integer_2(Process *p, const Term *args)
{
    int base = base_arg(args[1]);
    if (!base) return bif_error(p, AM_badarg);
    return list_to_integer(p, args[0], base);
}

/* ---- float_to_list ---- */

enum float_format { FF_LEGACY, FF_SHORT, FF_FIXED, FF_SCIENTIFIC };

typedef struct FloatOptions {
    enum float_format format;
    int decimals;
    bool compact;
} FloatOptions;

/* One {decimals, N} or {scientific, N} option; false when t is neither. */
static bool digits_option(Term t, FloatOptions *o)
{
    if (!is_tuple(t) || tuple_arity(t) != 2 || !is_small(tuple_elems(t)[1])) return false;
    Term tag = tuple_elems(t)[0];
    if (!atom_is(tag, "decimals") && !atom_is(tag, "scientific")) return false;
    o->format = atom_is(tag, "decimals") ? FF_FIXED : FF_SCIENTIFIC;
    o->decimals = (int)small_val(tuple_elems(t)[1]); /* truncated to int, as OTP */
    return true;
}

/* Parses the option list (later options override earlier ones); false on a bad one. */
static bool float_options(Term list, FloatOptions *o)
{
    *o = (FloatOptions){FF_LEGACY, 20, false};
    for (; is_list(list); list = list_tail(list)) {
        Term opt = list_head(list);
        if (atom_is(opt, "compact")) o->compact = true;
        else if (atom_is(opt, "short")) o->format = FF_SHORT;
        else if (!digits_option(opt, o)) return false;
    }
    return is_nil(list);
}

static Term float_to_list(Process *p, Term f, Term options)
{
    FloatOptions o;
    if (!is_float(f) || !float_options(options, &o)) return bif_error(p, AM_badarg);
    char buf[ARITH_FMT_BUF];
    double d = float_val(f);
    int len = o.format == FF_SHORT   ? arith_fmt_short(d, buf)
              : o.format == FF_FIXED ? arith_fmt_fixed(d, o.decimals, o.compact, buf, sizeof buf)
                                     : arith_fmt_scientific(d, o.decimals, buf, sizeof buf);
    if (len <= 0) return bif_error(p, AM_badarg);
    return chars_to_list(p, buf, (size_t)len);
}

Term bif_float_to_list_1(Process *p, const Term *args) { return float_to_list(p, args[0], NIL); }
Term bif_float_to_list_2(Process *p, const Term *args)
{
    return float_to_list(p, args[0], args[1]);
}

/* ---- list_to_float ---- */

/* The bytes of a proper list of bytes as a NUL-terminated string (malloc), or NULL. */
static char *list_to_cstring(Term list)
{
    size_t n = 0;
    Term t = list;
    for (; is_list(t); t = list_tail(t), n++) {
        Term c = list_head(t);
        if (!is_small(c) || small_val(c) < 0 || small_val(c) > 255) return NULL;
    }
    char *s = is_nil(t) ? malloc(n + 1) : NULL;
    if (!s) return NULL;
    for (size_t i = 0; i < n; i++, list = list_tail(list)) s[i] = (char)small_val(list_head(list));
    s[n] = '\0';
    return s;
}

Term bif_list_to_float_1(Process *p, const Term *args)
{
    char *text = list_to_cstring(args[0]);
    double d;
    bool ok = text && arith_parse_float(text, &d);
    free(text);
    return ok ? arith_float_result(p, d) : bif_error(p, AM_badarg);
}

/* ---- time ---- */

/* Native time t in the unit named by `unit`, or badarg when it names none. */
static Term time_in(Process *p, int64_t t, Term unit)
{
    Term pps = arith_time_unit(unit);
    if (!is_value(pps)) return bif_error(p, AM_badarg);
    return arith_time_in_unit(p, t, pps);
}

/* {MegaSecs, Secs, MicroSecs} for native time t (t >= 0). */
static Term timestamp_tuple(Process *p, int64_t t)
{
    int64_t us = t / 1000;
    Term *hp = heap_alloc(p, 4);
    hp[0] = make_tuple_header(3);
    hp[1] = make_small(us / 1000000000000);
    hp[2] = make_small(us / 1000000 % 1000000);
    hp[3] = make_small(us % 1000000);
    return make_boxed(hp);
}

Term bif_monotonic_time_0(Process *p, const Term *args)
{
    return int_from_i64(p, arith_time_monotonic());
}

Term bif_monotonic_time_1(Process *p, const Term *args)
{
    return time_in(p, arith_time_monotonic(), args[0]);
}

Term bif_system_time_0(Process *p, const Term *args)
{
    return int_from_i64(p, arith_time_system());
}

Term bif_system_time_1(Process *p, const Term *args)
{
    return time_in(p, arith_time_system(), args[0]);
}

Term bif_time_offset_0(Process *p, const Term *args)
{
    return int_from_i64(p, arith_time_offset());
}

Term bif_time_offset_1(Process *p, const Term *args)
{
    return time_in(p, arith_time_offset(), args[0]);
}

Term bif_timestamp_0(Process *p, const Term *args)
{
    return timestamp_tuple(p, arith_time_system());
}

Term bif_convert_time_unit_3(Process *p, const Term *args)
{
    Term from = arith_time_unit(args[1]), to = arith_time_unit(args[2]);
    if (!is_integer(args[0]) || !is_value(from) || !is_value(to)) return bif_error(p, AM_badarg);
    return arith_time_convert(p, args[0], from, to);
}

Term bif_os_system_time_0(Process *p, const Term *args)
{
    return int_from_i64(p, arith_time_os_system());
}

Term bif_os_system_time_1(Process *p, const Term *args)
{
    return time_in(p, arith_time_os_system(), args[0]);
}

Term bif_os_timestamp_0(Process *p, const Term *args)
{
    return timestamp_tuple(p, arith_time_os_system());
}

Term bif_os_perf_counter_0(Process *p, const Term *args)
{
    return int_from_i64(p, arith_time_perf_counter());
}
