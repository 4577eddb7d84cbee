/*
 * bif_binary_search.c - binary:match/2,3, binary:matches/2,3 and
 * binary:split/2,3: finding patterns in a binary.
 *
 * A pattern is a non-empty binary, a non-empty list of them, or what
 * binary:compile_pattern/1 made of one: {bm, Ref} for one binary, {ac, Ref}
 * for several, as OTP, where Ref is a magic reference to a copy of the
 * binaries (term/magic.h); erbium searches them as it searches the
 * uncompiled form. As in
 * OTP, the leftmost match wins, and of the patterns matching there the
 * longest; matches never overlap. Options: {scope, {Start, Length}} (a
 * negative Length counts back from Start) limits where matches may lie;
 * split also takes global, trim and trim_all. Parts returned by split are
 * sub binaries of the subject. One pattern is searched with memmem; several
 * are tried at each position in turn, which is fine for the few patterns
 * programs pass.
 */
#define _GNU_SOURCE /* memmem */
#include "runtime/bif/bif.h"
#include "runtime/term/binary.h"
#include "runtime/proc/heap.h"
#include "runtime/term/magic.h"
#include "runtime/term/atom.h"

#include <stdlib.h>
#include <string.h>

typedef struct Pattern {
    const uint8_t *bytes;
    size_t len;
} Pattern;

typedef struct Search {
    const uint8_t *subject;
    size_t size;
    size_t from, end; /* the scope */
    Pattern *pats;
    size_t npats;
    bool global, trim, trim_all;
} Search;

typedef struct Found {
    size_t pos, len;
} Found;

typedef struct FoundList {
    Found *v;
    size_t n, cap;
} FoundList;

static bool pattern_of(Term t, Pattern *p)
{
    return binary_bytes(t, &p->bytes, &p->len) && p->len > 0;
}

/* A compiled pattern's data: the count, then each binary as its length and bytes. */
static const MagicType compiled_pattern = {"binary_pattern", NULL};

static bool compiled_tag(Term tag) { return tag == atom_from_cstr("bm") || tag == atom_from_cstr("ac"); }

/* The patterns of a compiled {bm | ac, Ref}; false if t is not one. */
static bool read_compiled(Term t, Search *s)
{
    if (!is_tuple(t) || tuple_arity(t) != 2 || !compiled_tag(tuple_elems(t)[0])) return false;
    Magic *m = magic_of(tuple_elems(t)[1], &compiled_pattern);
    if (!m) return false;
    const uint8_t *d = magic_data(m);
    size_t n;
    memcpy(&n, d, sizeof n);
    d += sizeof n;
    s->pats = malloc(n * sizeof *s->pats);
    if (!s->pats) abort();
    s->npats = n;
    for (size_t i = 0; i < n; i++) {
        memcpy(&s->pats[i].len, d, sizeof(size_t));
        s->pats[i].bytes = d + sizeof(size_t);
        d += sizeof(size_t) + s->pats[i].len;
    }
    return true;
}

/* Reads the pattern argument; false (badarg) if it is none. The caller frees s->pats. */
static bool read_patterns(Term t, Search *s)
{
    if (is_tuple(t)) return read_compiled(t, s);
    size_t n = 0;
    if (is_list(t)) {
        for (Term l = t; is_list(l); l = list_tail(l)) n++;
    } else {
        n = 1;
    }
    s->pats = malloc((n ? n : 1) * sizeof *s->pats);
    if (!s->pats) abort();
    s->npats = n;
    if (!is_list(t)) return pattern_of(t, &s->pats[0]);
    size_t i = 0;
    for (; is_list(t); t = list_tail(t)) if (!pattern_of(list_head(t), &s->pats[i++])) return false;
    return is_nil(t) && n > 0;
}

/* {scope, {Start, Length}}: sets s->from and s->end; false if out of the subject. */
static bool read_scope(Term arg, Search *s)
{
    if (!is_tuple(arg) || tuple_arity(arg) != 2) return false;
    Term start = tuple_elems(arg)[0], len = tuple_elems(arg)[1];
    if (!is_small(start) || !is_small(len)) return false;
    intptr_t a = small_val(start), b = small_val(start) + small_val(len);
    if (b < a) {
        intptr_t t = a;
        a = b;
        b = t;
    }
    if (a < 0 || (size_t)b > s->size) return false;
    s->from = (size_t)a;
    s->end = (size_t)b;
    return true;
}

/* The options list; split_opts allows global, trim and trim_all. */
static bool read_options(Term opts, Search *s, bool split_opts)
{
    for (; is_list(opts); opts = list_tail(opts)) {
        Term o = list_head(opts);
        if (is_tuple(o) && tuple_arity(o) == 2 && tuple_elems(o)[0] == AM_scope) {
            if (!read_scope(tuple_elems(o)[1], s)) return false;
        } else if (split_opts && o == AM_global) {
            s->global = true;
        } else if (split_opts && o == AM_trim) {
            s->trim = true;
        } else if (split_opts && o == AM_trim_all) {
            s->trim_all = true;
        } else {
            return false;
        }
    }
    return is_nil(opts);
}

/* Reads subject, pattern and options (opts may be NIL); false for badarg. */
static bool search_init(Search *s, Term subject, Term pattern, Term opts, bool split_opts)
{
    *s = (Search){0};
    if (!binary_bytes(subject, &s->subject, &s->size)) return false;
    s->end = s->size;
    if (!read_options(opts, s, split_opts)) return false;
    /* as OTP: a scope ending at 0 (an empty subject) has nothing to search,
       so the pattern is not even looked at (binary:match(<<>>, []) is nomatch) */
    return s->end == 0 || read_patterns(pattern, s);
}

/* The leftmost (then longest) match starting in [from, s->end). */
static bool find(const Search *s, size_t from, Found *out)
{
    if (s->npats == 1) {
        const Pattern *p = &s->pats[0];
        if (from > s->end || s->end - from < p->len) return false;
        const uint8_t *hit = memmem(s->subject + from, s->end - from, p->bytes, p->len);
        if (!hit) return false;
        *out = (Found){(size_t)(hit - s->subject), p->len};
        return true;
    }
    for (size_t i = from; i < s->end; i++) {
        size_t best = 0;
        for (size_t k = 0; k < s->npats; k++) {
            const Pattern *p = &s->pats[k];
            if (p->bytes[0] == s->subject[i] && p->len > best && p->len <= s->end - i &&
                memcmp(s->subject + i, p->bytes, p->len) == 0)
                best = p->len;
        }
        if (best) {
            *out = (Found){i, best};
            return true;
        }
    }
    return false;
}

/* Every match (or only the first), in order. */
static void find_all(const Search *s, bool all, FoundList *fl)
{
    Found f;
    for (size_t from = s->from; find(s, from, &f); from = f.pos + f.len) {
        if (fl->n == fl->cap) {
            fl->cap = fl->cap ? 2 * fl->cap : 16;
            Found *grown = realloc(fl->v, fl->cap * sizeof *grown);
            if (!grown) abort();
            fl->v = grown;
        }
        fl->v[fl->n++] = f;
        if (!all) break;
    }
}

static Term found_tuple(Process *p, Found f)
{
    return heap_tuple2(p, make_small((intptr_t)f.pos), make_small((intptr_t)f.len));
}

static Term match(Process *p, Term subject, Term pattern, Term opts)
{
    Search s;
    Found f;
    Term r = search_init(&s, subject, pattern, opts, false) ? (find(&s, s.from, &f) ? found_tuple(p, f) : AM_nomatch)
                                                            : bif_error(p, AM_badarg);
    free(s.pats);
    return r;
}

static Term matches(Process *p, Term subject, Term pattern, Term opts)
{
    Search s;
    FoundList fl = {0};
    Term r = NIL;
    if (search_init(&s, subject, pattern, opts, false)) {
        find_all(&s, true, &fl);
        for (size_t i = fl.n; i > 0; i--) r = heap_cons(p, found_tuple(p, fl.v[i - 1]), r);
    } else {
        r = bif_error(p, AM_badarg);
    }
    free(fl.v);
    free(s.pats);
    return r;
}

/* The parts between matches, as sub binaries; trim drops trailing empty parts, trim_all every one. */
static Term split_parts(Process *p, Term subject, const Search *s, const FoundList *fl)
{
    Term list = NIL;
    bool trailing = true;
    for (size_t i = fl->n + 1; i > 0; i--) {
        size_t start = i - 1 == 0 ? 0 : fl->v[i - 2].pos + fl->v[i - 2].len;
        size_t end = i - 1 == fl->n ? s->size : fl->v[i - 1].pos;
        bool empty = end == start;
        if (empty && (s->trim_all || (s->trim && trailing))) continue;
        trailing = false;
        Term part = binary_sub(p, subject, 8 * start, 8 * (end - start));
        if (!is_value(part)) return bif_error(p, AM_system_limit);
        list = heap_cons(p, part, list);
    }
    return list;
}

static Term split(Process *p, Term subject, Term pattern, Term opts)
{
    Search s;
    FoundList fl = {0};
    Term r;
    if (search_init(&s, subject, pattern, opts, true)) {
        find_all(&s, s.global, &fl);
        r = split_parts(p, subject, &s, &fl);
    } else {
        r = bif_error(p, AM_badarg);
    }
    free(fl.v);
    free(s.pats);
    return r;
}

Term bif_binary_match_2(Process *p, const Term *args) { return match(p, args[0], args[1], NIL); }
Term bif_binary_match_3(Process *p, const Term *args) { return match(p, args[0], args[1], args[2]); }
Term bif_binary_matches_2(Process *p, const Term *args) { return matches(p, args[0], args[1], NIL); }
Term bif_binary_matches_3(Process *p, const Term *args) { return matches(p, args[0], args[1], args[2]); }
Term bif_binary_split_2(Process *p, const Term *args) { return split(p, args[0], args[1], NIL); }
Term bif_binary_split_3(Process *p, const Term *args) { return split(p, args[0], args[1], args[2]); }

/* binary:compile_pattern(Pattern): {bm, Ref} for one binary, {ac, Ref} for several. */
Term bif_binary_compile_pattern_1(Process *p, const Term *args)
{
    Search s = {0};
    if (is_tuple(args[0]) || !read_patterns(args[0], &s)) {
        free(s.pats);
        return bif_error(p, AM_badarg);
    }
    size_t size = sizeof(size_t);
    for (size_t i = 0; i < s.npats; i++) size += sizeof(size_t) + s.pats[i].len;
    Magic *m = magic_new(&compiled_pattern, size);
    if (!m) abort();
    uint8_t *d = magic_data(m);
    memcpy(d, &s.npats, sizeof s.npats);
    d += sizeof s.npats;
    for (size_t i = 0; i < s.npats; i++) {
        memcpy(d, &s.pats[i].len, sizeof(size_t));
        memcpy(d + sizeof(size_t), s.pats[i].bytes, s.pats[i].len);
        d += sizeof(size_t) + s.pats[i].len;
    }
    Term tag = atom_from_cstr(s.npats == 1 ? "bm" : "ac");
    free(s.pats);
    return heap_tuple2(p, tag, magic_ref_new(p, m));
}
