/*
 * re_run.c - re:run/2,3, re:internal_run/4, re:compile/1,2, re:inspect/2
 * and re:version/0 (see re.h).
 */
#include "runtime/re/re.h"

#include "runtime/bif/bif.h"
#include "runtime/bif/iodata.h"
#include "runtime/term/binary.h"
#include "runtime/proc/heap.h"

#include <stdlib.h>
#include <string.h>

/* ---- the pattern ---- */

Term re_pattern_term(Process *p, const ReCode *c, const ReKey *k)
{
    Term bin = binary_from_bytes(p, k->bytes, k->len);
    if (!is_value(bin)) return THE_NON_VALUE;
    Term *hp = heap_alloc(p, 6);
    hp[0] = make_tuple_header(5);
    hp[1] = AM_re_pattern;
    hp[2] = make_small((intptr_t)c->captures);
    hp[3] = make_small(c->unicode);
    hp[4] = make_small(c->crlf);
    hp[5] = bin;
    return make_boxed(hp);
}

/* The key of a pattern given as source (iodata, or chardata with unicode). */
static bool key_from_source(Term re, const ReOpts *o, ReKey *k)
{
    IoBuf b = {0};
    bool ok = iodata_append(&b, re, o->unicode) && re_key_make(k, b.data, b.len, o);
    free(b.data);
    return ok;
}

static Term compile_error_tuple(Process *p, const char *msg, size_t pos)
{
    size_t n = strlen(msg);
    Term s = NIL;
    Term *hp = heap_alloc(p, 2 * n);
    for (size_t i = n; i-- > 0;) {
        hp[0] = make_small((uint8_t)msg[i]);
        hp[1] = s;
        s = make_list(hp);
        hp += 2;
    }
    return heap_tuple2(p, s, make_small((intptr_t)pos));
}

static Term do_compile(Process *p, Term re, Term opts)
{
    ReOpts o;
    ReKey k = {0};
    if (!re_parse_opts(opts, false, &o) || !key_from_source(re, &o, &k)) {
        free(k.bytes);
        return bif_error(p, AM_badarg);
    }
    char msg[RE_MSG_MAX];
    size_t pos;
    const ReCode *c = re_cache_get(&k, msg, &pos);
    Term r = c ? heap_tuple2(p, AM_ok, re_pattern_term(p, c, &k))
               : heap_tuple2(p, AM_error, compile_error_tuple(p, msg, pos));
    free(k.bytes);
    return r;
}

Term bif_re_compile_1(Process *p, const Term *args) { return do_compile(p, args[0], NIL); }
Term bif_re_compile_2(Process *p, const Term *args) { return do_compile(p, args[0], args[1]); }

/* ---- matching ---- */

/* Subjects longer than this are matched on the dirty CPU pool: PCRE2 cannot
   stop halfway and resume, and a global match over them may take milliseconds. */
#define RE_DIRTY_BYTES (128 * 1024)
/* Subjects longer than this are worth JIT-compiling a pattern used only once. */
#define RE_JIT_BYTES (16 * 1024)

typedef struct Subject {
    const uint8_t *data;
    size_t len;
    Term bin;     /* the subject as a binary term, once one is needed (THE_NON_VALUE before) */
    Term orig;    /* the subject as given */
    uint8_t *own; /* flattened copy (free) */
} Subject;

typedef struct Run {
    Process *p;
    const ReCode *code;
    const ReOpts *o;
    Subject *s;
    pcre2_match_data *md;
} Run;

/* A binary of the subject for binary captures: the subject itself or one copy. */
static Term subject_binary(Run *r)
{
    if (!is_value(r->s->bin)) r->s->bin = binary_from_bytes(r->p, r->s->data, r->s->len);
    return r->s->bin;
}

static Term chars_list(Process *p, const uint8_t *d, size_t n, bool utf8)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++) count += !utf8 || (d[i] & 0xC0) != 0x80;
    Term *hp = heap_alloc(p, 2 * count);
    Term head = NIL, *tail = &head;
    for (size_t i = 0; i < n;) {
        uint32_t c = d[i];
        unsigned len = 1;
        if (utf8 && c >= 0x80) {
            len = bits_get_utf8(d, i * 8, (n - i) * 8, &c) / 8;
            if (!len) { c = d[i]; len = 1; }
        }
        hp[0] = make_small((intptr_t)c);
        hp[1] = NIL;
        *tail = make_list(hp);
        tail = &hp[1];
        hp += 2;
        i += len;
    }
    return head;
}

/* The value of group g of the last match (an unset group when g is out of range). */
static Term group_value(Run *r, uint32_t g, int rc)
{
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(r->md);
    bool set = g < (uint32_t)rc && ov[2 * g] != PCRE2_UNSET;
    size_t start = set ? ov[2 * g] : 0, end = set ? ov[2 * g + 1] : 0;
    if (end < start) end = start; /* \K can put the start after the end */
    switch (r->o->cap_type) {
    case CAPT_INDEX:
        return heap_tuple2(r->p, make_small(set ? (intptr_t)start : -1), make_small((intptr_t)(end - start)));
    case CAPT_LIST:
        return chars_list(r->p, r->s->data + start, end - start, r->code->unicode);
    case CAPT_BINARY:
    default: {
        Term b = subject_binary(r);
        if (!is_value(b)) return THE_NON_VALUE;
        return binary_sub(r->p, b, start * 8, (end - start) * 8);
    }
    }
}

/* The group a name stands for: with duplicate names the first that is set. */
static int name_group(Run *r, const uint8_t *name, size_t n, int rc)
{
    uint32_t count = 0, esize = 0;
    PCRE2_SPTR table = NULL;
    pcre2_pattern_info(r->code->code, PCRE2_INFO_NAMECOUNT, &count);
    pcre2_pattern_info(r->code->code, PCRE2_INFO_NAMEENTRYSIZE, &esize);
    pcre2_pattern_info(r->code->code, PCRE2_INFO_NAMETABLE, &table);
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(r->md);
    int found = -1;
    for (uint32_t i = 0; i < count; i++) {
        PCRE2_SPTR e = table + (size_t)i * esize;
        const char *ename = (const char *)e + 2;
        if (strlen(ename) != n || memcmp(ename, name, n) != 0) continue;
        int g = (e[0] << 8) | e[1];
        if (found < 0) found = g;
        if (g < rc && ov[2 * g] != PCRE2_UNSET) return g;
    }
    return found;
}

/* A group named in a {capture, [...]} list: number, atom, string or binary. */
static int list_group(Run *r, Term g, int rc)
{
    if (is_small(g)) return small_val(g) > (intptr_t)r->code->captures ? -1 : (int)small_val(g);
    IoBuf b = {0};
    if (is_atom(g)) {
        iobuf_put(&b, atom_text(g), atom_len(g));
    } else if (!iodata_append(&b, g, true)) {
        free(b.data);
        return -1;
    }
    int grp = name_group(r, b.data, b.len, rc);
    free(b.data);
    return grp;
}

/* The captured values of one match, as {capture, ...} asks. */
static Term match_captures(Run *r, int rc)
{
    const ReOpts *o = r->o;
    Term items[64], *v = items;
    size_t n = 0, cap = 64;
    int first = 0, last = rc; /* groups [first, last) for the numbered kinds */
    uint32_t count = 0, esize = 0;
    PCRE2_SPTR table = NULL;
    Term list = o->cap_list;
    switch (o->cap_kind) {
    case CAP_ALL: break;
    case CAP_ALL_BUT_FIRST: first = 1; break;
    case CAP_FIRST: last = 1; break;
    case CAP_NONE: return AM_match;
    case CAP_ALL_NAMES:
        pcre2_pattern_info(r->code->code, PCRE2_INFO_NAMECOUNT, &count);
        pcre2_pattern_info(r->code->code, PCRE2_INFO_NAMEENTRYSIZE, &esize);
        pcre2_pattern_info(r->code->code, PCRE2_INFO_NAMETABLE, &table);
        first = last = 0;
        break;
    case CAP_LIST: first = last = 0; break;
    }
    Term result = NIL;
    size_t want = (size_t)(last > first ? last - first : 0) + count;
    for (Term l = list; is_list(l); l = list_tail(l)) want++;
    if (want > cap) {
        v = malloc(want * sizeof *v);
        if (!v) return THE_NON_VALUE;
    }
    for (int g = first; g < last; g++) v[n++] = group_value(r, (uint32_t)g, rc);
    const char *prev = NULL;
    for (uint32_t i = 0; i < count; i++) { /* the name table is sorted by name */
        PCRE2_SPTR e = table + (size_t)i * esize;
        const char *name = (const char *)e + 2;
        if (prev && strcmp(prev, name) == 0) continue;
        prev = name;
        int g = name_group(r, (const uint8_t *)name, strlen(name), rc);
        v[n++] = group_value(r, (uint32_t)g, rc);
    }
    for (Term l = list; is_list(l); l = list_tail(l)) {
        int g = list_group(r, list_head(l), rc);
        v[n++] = group_value(r, g < 0 ? UINT32_MAX : (uint32_t)g, rc);
    }
    bool ok = true;
    for (size_t i = n; i-- > 0;) {
        if (!is_value(v[i])) ok = false;
        else result = heap_cons(r->p, v[i], result);
    }
    if (v != items) free(v);
    if (!ok) return THE_NON_VALUE;
    if (n == 0 && (o->cap_kind == CAP_ALL_NAMES || o->cap_kind == CAP_LIST)) return AM_match;
    return result;
}

/* Where to try after an empty match that could not be extended: one character on. */
static size_t next_char(const Run *r, size_t at)
{
    const Subject *s = r->s;
    if (at + 1 < s->len && r->code->crlf && s->data[at] == '\r' && s->data[at + 1] == '\n') return at + 2;
    at++;
    if (r->code->unicode)
        while (at < s->len && (s->data[at] & 0xC0) == 0x80) at++;
    return at;
}

enum { RUN_NOMATCH = 0, RUN_BADARG = -1, RUN_LIMIT = -2, RUN_DEPTH = -3 };

/* One pcre2_match: rc > 0, or one of the RUN_ codes. */
static int match_at(Run *r, size_t start, uint32_t flags, pcre2_match_context *mc)
{
    const ReOpts *o = r->o;
    /* OTP's limits count PCRE's interpreter steps: use the interpreter when they are given */
    if (o->match_limit || o->depth_limit) flags |= PCRE2_NO_JIT;
    int rc = pcre2_match(r->code->code, r->s->data, r->s->len, start, flags, r->md, mc);
    if (rc > 0) return rc;
    if (rc == 0) return RUN_BADARG; /* the match data was too small: cannot happen */
    if (rc == PCRE2_ERROR_NOMATCH || rc == PCRE2_ERROR_PARTIAL) return RUN_NOMATCH;
    if (rc == PCRE2_ERROR_MATCHLIMIT) return RUN_LIMIT;
    if (rc == PCRE2_ERROR_DEPTHLIMIT || rc == PCRE2_ERROR_HEAPLIMIT || rc == PCRE2_ERROR_JIT_STACKLIMIT)
        return RUN_DEPTH;
    return RUN_BADARG; /* invalid UTF-8, bad offset */
}

static Term limit_result(Run *r, int code)
{
    if (!r->o->report_errors) return AM_nomatch;
    return heap_tuple2(r->p, AM_error, code == RUN_LIMIT ? AM_match_limit : AM_match_limit_recursion);
}

/* The matches of a global run, in order. */
typedef struct GlobalAcc {
    Term head, *tail;
    bool any;  /* a match at all */
    bool none; /* {capture,none}: no lists */
} GlobalAcc;

/* Adds the match in r->md (rc from match_at) to acc. False when rc ends the
   run instead, with *out its result (THE_NON_VALUE for an exception). */
static bool global_add(Run *r, int rc, GlobalAcc *acc, Term *out)
{
    if (rc == RUN_BADARG) {
        *out = bif_error(r->p, AM_badarg);
        return false;
    }
    if (rc < 0) {
        *out = limit_result(r, rc);
        return false;
    }
    Term c = match_captures(r, rc);
    if (!is_value(c)) {
        *out = bif_error(r->p, AM_system_limit);
        return false;
    }
    acc->any = true;
    if (c == AM_match) {
        acc->none = true;
        return true;
    }
    Term *cell = heap_alloc(r->p, 2);
    cell[0] = c;
    cell[1] = NIL;
    *acc->tail = make_list(cell);
    acc->tail = &cell[1];
    return true;
}

/* match_at for the global loop: a limit reached without report_errors ends
   the loop as a failed match would, keeping the matches found before (OTP's
   internal_run says nomatch). */
static int global_match(Run *r, size_t start, uint32_t flags, pcre2_match_context *mc)
{
    int rc = match_at(r, start, flags, mc);
    if ((rc == RUN_LIMIT || rc == RUN_DEPTH) && !r->o->report_errors) return RUN_NOMATCH;
    return rc;
}

/* OTP's global loop (re:grun in re.erl): from x, a match {a,len}; non-empty,
   the next search starts at its end. Empty, one more match is tried anchored
   with notempty_atstart, but at x, where the search started, not at a: so it
   finds nothing when the empty match was further on (a lookbehind, (?=b)...),
   and "(?<=a).*?" on "abcabc" gives [{1,0}],[{4,0}]. A match found is added
   and the search goes on len after a; else one character after a. The loop
   runs while x is at most the subject's length. False as global_add. */
static bool global_loop(Run *r, uint32_t flags, pcre2_match_context *mc, GlobalAcc *acc, Term *out)
{
    size_t len = r->s->len;
    for (size_t x = r->o->offset; x <= len;) {
        int rc = global_match(r, x, flags, mc);
        if (rc == RUN_NOMATCH) break;
        if (!global_add(r, rc, acc, out)) return false;
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(r->md);
        size_t a = ov[0];
        if (ov[1] > ov[0]) {
            x = ov[1];
            continue;
        }
        rc = global_match(r, x, flags | PCRE2_NOTEMPTY_ATSTART | PCRE2_ANCHORED, mc);
        size_t step = 0;
        if (rc != RUN_NOMATCH) {
            if (!global_add(r, rc, acc, out)) return false;
            step = ov[1] > ov[0] ? ov[1] - ov[0] : 0;
        }
        x = step ? a + step : next_char(r, a);
    }
    return true;
}

static Term run_matches(Run *r)
{
    const ReOpts *o = r->o;
    pcre2_match_context *mc = re_match_context(o->match_limit, o->depth_limit);
    r->md = re_match_data(r->code->captures + 1);
    if (!mc || !r->md) return bif_error(r->p, AM_system_limit);
    uint32_t flags = o->match | (o->compile & PCRE2_ANCHORED);
    if (!o->global) {
        int rc = match_at(r, o->offset, flags, mc);
        if (rc == RUN_NOMATCH) return AM_nomatch;
        if (rc == RUN_BADARG) return bif_error(r->p, AM_badarg);
        if (rc < 0) return limit_result(r, rc);
        Term c = match_captures(r, rc);
        if (!is_value(c)) return bif_error(r->p, AM_system_limit);
        return c == AM_match ? c : heap_tuple2(r->p, AM_match, c);
    }
    GlobalAcc acc = {NIL, NULL, false, false};
    acc.tail = &acc.head;
    Term out;
    if (!global_loop(r, flags, mc, &acc, &out)) return out;
    if (!acc.any) return AM_nomatch;
    if (acc.none) return AM_match;
    return heap_tuple2(r->p, AM_match, acc.head);
}

/* The compiled code for re:run's pattern argument; NULL with *result set when there is none. */
static const ReCode *run_code(Process *p, Term re, const ReOpts *o, Term *result)
{
    ReKey k = {0};
    bool compiled = re_key_from_tuple(re, &k);
    if (compiled ? o->compile_only : !key_from_source(re, o, &k)) {
        free(k.bytes);
        *result = bif_error(p, AM_badarg);
        return NULL;
    }
    if (compiled) re_key_override(&k, o);
    char msg[RE_MSG_MAX];
    size_t pos;
    const ReCode *c = re_cache_get(&k, msg, &pos);
    free(k.bytes);
    if (!c) {
        if (o->report_errors && !compiled) {
            Term err = heap_tuple2(p, AM_compile, compile_error_tuple(p, msg, pos));
            *result = heap_tuple2(p, AM_error, err);
        } else {
            *result = bif_error(p, AM_badarg);
        }
    }
    return c;
}

static bool subject_of(Term t, bool unicode, Subject *s)
{
    *s = (Subject){NULL, 0, THE_NON_VALUE, t, NULL};
    if (binary_bytes(t, &s->data, &s->len)) {
        s->bin = t;
        return true;
    }
    IoBuf b = {0};
    if (!iodata_append(&b, t, unicode)) {
        free(b.data);
        return false;
    }
    s->own = b.data;
    s->data = b.data ? b.data : (const uint8_t *)"";
    s->len = b.len;
    return true;
}

static Term do_run(Process *p, Term subject, Term re, Term opts)
{
    ReOpts o;
    if (!re_parse_opts(opts, true, &o)) return bif_error(p, AM_badarg);
    Term result = THE_NON_VALUE;
    const ReCode *code = run_code(p, re, &o, &result);
    if (!code) return result;
    Subject s;
    if (!subject_of(subject, code->unicode, &s)) return bif_error(p, AM_badarg);
    if (o.offset > s.len) {
        free(s.own);
        return bif_error(p, AM_badarg);
    }
    if (s.len - o.offset > RE_DIRTY_BYTES && !bif_on_dirty()) {
        free(s.own);
        return bif_redo_dirty();
    }
    if (s.len - o.offset > RE_JIT_BYTES) re_code_jit(code);
    Run r = {p, code, &o, &s, NULL};
    result = run_matches(&r);
    free(s.own);
    return result;
}

Term bif_re_run_2(Process *p, const Term *args) { return do_run(p, args[0], args[1], NIL); }
Term bif_re_run_3(Process *p, const Term *args) { return do_run(p, args[0], args[1], args[2]); }
/* grun's loop: the fourth argument (first call or not) changes nothing here. */
Term bif_re_internal_run_4(Process *p, const Term *args) { return do_run(p, args[0], args[1], args[2]); }

/* ---- inspect and version ---- */

Term bif_re_inspect_2(Process *p, const Term *args)
{
    ReKey k = {0};
    if (args[1] != AM_namelist || !re_key_from_tuple(args[0], &k)) {
        free(k.bytes);
        return bif_error(p, AM_badarg);
    }
    char msg[RE_MSG_MAX];
    size_t pos;
    const ReCode *c = re_cache_get(&k, msg, &pos);
    free(k.bytes);
    if (!c) return bif_error(p, AM_badarg);
    uint32_t count = 0, esize = 0;
    PCRE2_SPTR table = NULL;
    pcre2_pattern_info(c->code, PCRE2_INFO_NAMECOUNT, &count);
    pcre2_pattern_info(c->code, PCRE2_INFO_NAMEENTRYSIZE, &esize);
    pcre2_pattern_info(c->code, PCRE2_INFO_NAMETABLE, &table);
    Term names = NIL;
    const char *next = NULL;
    for (uint32_t i = count; i-- > 0;) { /* sorted: skip repeats of the name after it */
        const char *name = (const char *)table + (size_t)i * esize + 2;
        if (next && strcmp(next, name) == 0) continue;
        next = name;
        names = heap_cons(p, binary_from_bytes(p, (const uint8_t *)name, strlen(name)), names);
    }
    return heap_tuple2(p, AM_namelist, names);
}

Term bif_re_version_0(Process *p, const Term *args)
{
    char v[64];
    int n = pcre2_config(PCRE2_CONFIG_VERSION, v);
    return binary_from_bytes(p, (const uint8_t *)v, n > 0 ? (size_t)n - 1 : 0);
}
