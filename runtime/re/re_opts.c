/* re_opts.c - the option lists of re:compile/2 and re:run/3, and pattern keys (see re.h). */
#include "runtime/re/re.h"

#include "runtime/term/atom.h"
#include "runtime/term/binary.h"

#include <stdlib.h>
#include <string.h>

/* Options that set a PCRE2 compile option. */
static const struct { Term atom; uint32_t bit; } compile_flags[] = {
    {AM_caseless, PCRE2_CASELESS},
    {AM_multiline, PCRE2_MULTILINE},
    {AM_dotall, PCRE2_DOTALL},
    {AM_extended, PCRE2_EXTENDED},
    {AM_dollar_endonly, PCRE2_DOLLAR_ENDONLY},
    {AM_firstline, PCRE2_FIRSTLINE},
    {AM_ungreedy, PCRE2_UNGREEDY},
    {AM_no_auto_capture, PCRE2_NO_AUTO_CAPTURE},
    {AM_dupnames, PCRE2_DUPNAMES},
    {AM_ucp, PCRE2_UCP},
    {AM_never_utf, PCRE2_NEVER_UTF},
    {AM_no_start_optimize, PCRE2_NO_START_OPTIMIZE},
};

/* Options of re:run that set a PCRE2 match option. */
static const struct { Term atom; uint32_t bit; } match_flags[] = {
    {AM_notbol, PCRE2_NOTBOL},
    {AM_noteol, PCRE2_NOTEOL},
    {AM_notempty, PCRE2_NOTEMPTY},
    {AM_notempty_atstart, PCRE2_NOTEMPTY_ATSTART},
};

static int newline_code(Term a)
{
    if (a == AM_cr) return PCRE2_NEWLINE_CR;
    if (a == AM_lf) return PCRE2_NEWLINE_LF;
    if (a == AM_crlf) return PCRE2_NEWLINE_CRLF;
    if (a == AM_anycrlf) return PCRE2_NEWLINE_ANYCRLF;
    if (a == AM_any) return PCRE2_NEWLINE_ANY;
    return 0;
}

static bool small_range(Term t, intptr_t lo, intptr_t hi, intptr_t *v)
{
    if (!is_small(t) || small_val(t) < lo || small_val(t) > hi) return false;
    *v = small_val(t);
    return true;
}

static bool parse_capture(Term spec, Term type, ReOpts *o)
{
    if (spec == AM_all) o->cap_kind = CAP_ALL;
    else if (spec == AM_all_but_first) o->cap_kind = CAP_ALL_BUT_FIRST;
    else if (spec == AM_first) o->cap_kind = CAP_FIRST;
    else if (spec == AM_none) o->cap_kind = CAP_NONE;
    else if (spec == AM_all_names) o->cap_kind = CAP_ALL_NAMES;
    else if (is_list(spec) || is_nil(spec)) {
        o->cap_kind = CAP_LIST;
        o->cap_list = spec;
        for (Term l = spec; is_list(l); l = list_tail(l)) {
            Term g = list_head(l);
            if (is_small(g) ? small_val(g) < 0 : !(is_atom(g) || is_list(g) || is_nil(g) || binary_is_binary(g)))
                return false;
        }
    } else return false;
    if (type == AM_index) o->cap_type = CAPT_INDEX;
    else if (type == AM_list) o->cap_type = CAPT_LIST;
    else if (type == AM_binary) o->cap_type = CAPT_BINARY;
    else return false;
    return true;
}

static bool parse_tuple(Term t, bool run, ReOpts *o)
{
    Term *tp = boxed_val(t);
    size_t n = header_arity(tp[0]);
    intptr_t v;
    if (n == 2 && tp[1] == AM_newline) {
        int nl = is_atom(tp[2]) ? newline_code(tp[2]) : 0;
        if (!nl) return false;
        o->newline = (uint8_t)nl;
        return true;
    }
    if (!run) return false;
    if (n == 2 && tp[1] == AM_offset) {
        if (!small_range(tp[2], 0, INTPTR_MAX, &v)) return false;
        o->offset = (size_t)v;
        return true;
    }
    if (n == 2 && (tp[1] == AM_match_limit || tp[1] == AM_match_limit_recursion)) {
        if (!small_range(tp[2], 0, UINT32_MAX, &v)) return false;
        uint32_t lim = v ? (uint32_t)v : 1; /* PCRE2 treats 0 as "no match allowed" too */
        if (tp[1] == AM_match_limit) o->match_limit = lim;
        else o->depth_limit = lim;
        return true;
    }
    if (tp[1] == AM_capture && (n == 2 || n == 3)) return parse_capture(tp[2], n == 3 ? tp[3] : AM_index, o);
    return false;
}

bool re_parse_opts(Term list, bool run, ReOpts *o)
{
    memset(o, 0, sizeof *o);
    o->cap_kind = CAP_ALL;
    o->cap_type = CAPT_INDEX;
    o->cap_list = NIL;
    for (; is_list(list); list = list_tail(list)) {
        Term a = list_head(list);
        if (is_tuple(a)) {
            if (!parse_tuple(a, run, o)) return false;
            continue;
        }
        if (!is_atom(a)) return false;
        bool known = false;
        for (size_t i = 0; i < sizeof compile_flags / sizeof compile_flags[0]; i++)
            if (a == compile_flags[i].atom) {
                o->compile |= compile_flags[i].bit;
                o->compile_only = known = true;
            }
        for (size_t i = 0; run && i < sizeof match_flags / sizeof match_flags[0]; i++)
            if (a == match_flags[i].atom) {
                o->match |= match_flags[i].bit;
                known = true;
            }
        if (known) continue;
        if (a == AM_unicode) {
            o->unicode = o->compile_only = true;
            o->compile |= PCRE2_UTF;
        } else if (a == AM_anchored) {
            o->compile |= PCRE2_ANCHORED; /* a match option too: see re_run.c */
        } else if (a == AM_bsr_anycrlf) {
            o->bsr = PCRE2_BSR_ANYCRLF;
        } else if (a == AM_bsr_unicode) {
            o->bsr = PCRE2_BSR_UNICODE;
        } else if (run && a == AM_global) {
            o->global = true;
        } else if (run && a == AM_report_errors) {
            o->report_errors = true;
        } else {
            return false;
        }
    }
    return is_nil(list);
}

/* ---- keys: "ERB2", compile options (4 bytes, little-endian), newline, bsr, source ---- */

#define KEY_HEAD 10
static const char key_magic[4] = {'E', 'R', 'B', '2'};

bool re_key_make(ReKey *k, const uint8_t *src, size_t n, const ReOpts *o)
{
    k->len = KEY_HEAD + n;
    k->bytes = malloc(k->len);
    if (!k->bytes) return false;
    memcpy(k->bytes, key_magic, 4);
    uint32_t opts = o->compile;
    for (int i = 0; i < 4; i++) k->bytes[4 + i] = (uint8_t)(opts >> (8 * i));
    k->bytes[8] = o->newline;
    k->bytes[9] = o->bsr;
    if (n) memcpy(k->bytes + KEY_HEAD, src, n);
    return true;
}

bool re_key_from_tuple(Term t, ReKey *k)
{
    if (!is_tuple(t)) return false;
    Term *tp = boxed_val(t);
    if (header_arity(tp[0]) != 5 || tp[1] != AM_re_pattern) return false;
    const uint8_t *d;
    size_t n;
    if (!binary_bytes(tp[5], &d, &n) || n < KEY_HEAD || memcmp(d, key_magic, 4) != 0) return false;
    k->bytes = malloc(n);
    if (!k->bytes) return false;
    memcpy(k->bytes, d, n);
    k->len = n;
    return true;
}

void re_key_override(ReKey *k, const ReOpts *o)
{
    if (o->newline) k->bytes[8] = o->newline;
    if (o->bsr) k->bytes[9] = o->bsr;
}

uint32_t re_key_options(const ReKey *k)
{
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) v |= (uint32_t)k->bytes[4 + i] << (8 * i);
    return v;
}

uint8_t re_key_newline(const ReKey *k) { return k->bytes[8]; }
uint8_t re_key_bsr(const ReKey *k) { return k->bytes[9]; }

const uint8_t *re_key_source(const ReKey *k, size_t *n)
{
    *n = k->len - KEY_HEAD;
    return k->bytes + KEY_HEAD;
}
