/*
 * bif_ets_select.c - match, match_object, select, select_reverse (with
 * and without a limit, and their continuations), select_count,
 * internal_select_delete and select_replace, over the match-spec engine
 * (runtime/ms/ms.h), which reads each object in place in table memory.
 *
 * A spec whose clauses all bind the key to one constant looks up that key
 * instead of walking the table (a delete or replace walks the key's bucket
 * under its write lock; an ordered_set walks the key's run). A walk holds the
 * table's read locks (write locks to delete or replace) throughout.
 *
 * Continuations ({Results, Cont} of the limited forms) are
 * {'$ets_cont', TableId, Position, Limit, CompiledSpec, Extra}: the
 * position is 1 + the next bucket of a hash table (-1: none), or {LastKey}
 * (or []) for an ordered_set; the compiled spec is a match_spec_compile
 * reference; Extra is Reverse for an ordered_set and, for a hash table, the
 * results found beyond the last chunk (OTP's chunks end at a bucket's end).
 */
#include "runtime/ets/ets_bif.h"

#include "runtime/ms/ms.h"
#include "runtime/proc/heap.h"
#include "runtime/term/term_cmp.h"

typedef enum { SEL_LIST, SEL_COUNT, SEL_DELETE, SEL_REPLACE } SelKind;

typedef struct SelCtx {
    Process *p;
    EtsTable *tab;
    const MsProg *prog;
    SelKind kind;
    EtsListBuild out;
    size_t count, limit; /* limit 0: none */
    EtsCursor *cursor;
    Term acc;     /* with prepend: results so far, last first */
    bool prepend; /* SEL_LIST builds acc instead of out */
    bool bad_replace; /* select_replace met a result that changes the key: badarg */
    bool no_stop;     /* count up to limit but walk on (a limited select of one key) */
} SelCtx;

static bool run(SelCtx *c, EtsObj *o, MsResult *res)
{
    MsRunCtx rc = {.obj_on_heap = false};
    return ms_run(c->prog, c->p, o->term, &rc, res);
}

static EtsWalkAct sel_visit(void *ctx, EtsObj *o, EtsObj **replace)
{
    SelCtx *c = ctx;
    MsResult res;
    if (!run(c, o, &res)) return ETS_WALK_NEXT;
    switch (c->kind) {
    case SEL_LIST:
        if (c->prepend) c->acc = heap_cons(c->p, res.value, c->acc);
        else ets_list_add(&c->out, res.value);
        if (c->limit && ++c->count >= c->limit && !c->no_stop) c->cursor->stop = true;
        return ETS_WALK_NEXT;
    case SEL_COUNT:
        if (res.value == AM_true) c->count++;
        return ETS_WALK_NEXT;
    case SEL_DELETE:
        if (res.value != AM_true) return ETS_WALK_NEXT;
        c->count++;
        return ETS_WALK_DELETE;
    case SEL_REPLACE: {
        /* the replacement must keep the key exactly, else OTP raises badarg */
        Term n = res.value;
        if (!ets_storable(c->tab, n) || !term_eq_exact(ets_key(c->tab, n), ets_key(c->tab, o->term))) {
            c->bad_replace = true;
            return ETS_WALK_STOP;
        }
        *replace = ets_obj_new(n, o->hash);
        c->count++;
        return ETS_WALK_REPLACE;
    }
    }
    return ETS_WALK_NEXT;
}

static bool key_visit(void *ctx, EtsObj *o)
{
    SelCtx *c = ctx;
    MsResult res;
    if (!run(c, o, &res)) return true;
    if (c->kind == SEL_LIST) ets_list_add(&c->out, res.value);
    else if (res.value == AM_true) c->count++;
    return true;
}

/* An ordered_set walks only the run of keys a partly bound key pattern can match. */
static void set_range(EtsCursor *cur, const EtsTable *tab, const MsProg *prog)
{
    if (tab->type != ETS_ORDERED_SET) return;
    Term r = ms_key_range(prog, tab->keypos);
    if (is_value(r)) {
        cur->range_cmp = ms_key_cmp;
        cur->range = r;
    }
}

/* Read-only passes: SEL_LIST and SEL_COUNT over the whole table or from a cursor. */
static void select_read(SelCtx *c, EtsCursor *cur)
{
    EtsTable *tab = c->tab;
    Term key = ms_bound_key(c->prog, tab->keypos);
    EtsLock l;
    if (is_value(key) && !cur->stop && cur->bucket == 0 && cur->key == THE_NON_VALUE) {
        uint32_t h = ets_hash_key(tab, key);
        ets_lock_key(tab, key, h, false, &l);
        ets_store_each_key(tab, key, h, key_visit, c);
        ets_unlock(tab, &l);
        cur->done = true;
        return;
    }
    c->cursor = cur;
    set_range(cur, tab, c->prog);
    ets_lock_all(tab, false, &l);
    ets_store_walk(tab, cur, 0, sel_visit, c);
    ets_unlock(tab, &l);
}

/* A delete or replace pass whose spec binds the key: only that key's bucket,
   under its lock alone. */
static void write_key(SelCtx *c, Term key)
{
    EtsTable *tab = c->tab;
    uint32_t h = ets_hash_key(tab, key);
    EtsLock l;
    ets_lock_key(tab, key, h, true, &l);
    ets_store_walk_bucket(tab, h, sel_visit, c);
    ets_unlock(tab, &l);
}

static MsProg *compile(Process *p, Term spec)
{
    MsProg *prog = ms_compile(spec, MS_TABLE, NULL, NULL);
    if (!prog) ets_badarg(p, THE_NON_VALUE);
    return prog;
}

/* [{Pattern, [], [Body]}] on p's heap. */
static Term pattern_spec(Process *p, Term pattern, Term body)
{
    Term *hp = heap_alloc(p, 4);
    hp[0] = make_tuple_header(3);
    hp[1] = pattern;
    hp[2] = NIL;
    hp[3] = heap_cons(p, body, NIL);
    return heap_cons(p, make_boxed(hp), NIL);
}

/* ---- whole-table passes, in slices for big tables ---- */

/*
 * A pass over more objects than this goes in slices of about this many: after
 * each, the BIF keeps its progress in its second argument and yields
 * (bif_yield_redo), so a select over millions of objects never holds a
 * scheduler (or the table's lock) for long. The state is
 * {'$ets_select_trap', CompiledSpec, Acc, Position, Count}: Acc holds the
 * results so far, last first; Position is as in a continuation. A hash table
 * stays fixed between slices so that its buckets do not move.
 */
#define SLICE 4000

static Term trap_tag(void) { return atom_from_cstr("$ets_select_trap"); }

static bool is_trap_state(Term t)
{
    return is_tuple(t) && tuple_arity(t) == 5 && tuple_elems(t)[0] == trap_tag();
}

static bool writes(SelKind kind) { return kind == SEL_DELETE || kind == SEL_REPLACE; }

/* The cursor's position as a continuation holds it ({LastKey} or [] for an
   ordered_set, the next bucket for a hash table); read under the lock. */
static Term cursor_pos(Process *p, const EtsTable *tab, const EtsCursor *cur)
{
    if (tab->type != ETS_ORDERED_SET) return make_small(cur->done ? -1 : (intptr_t)cur->bucket);
    if (cur->key == THE_NON_VALUE) return NIL;
    Term key = term_copy(p, cur->key);
    Term *hp = heap_alloc(p, 2);
    hp[0] = make_tuple_header(1);
    hp[1] = key;
    return make_boxed(hp);
}

/* Sets cur from a position term; false if it is not one. */
static bool cursor_from(const EtsTable *tab, Term pos, EtsCursor *cur)
{
    if (tab->type == ETS_ORDERED_SET) {
        if (is_tuple(pos) && tuple_arity(pos) == 1) cur->key = tuple_elems(pos)[0];
        else if (!is_nil(pos)) return false;
        return true;
    }
    if (!is_small(pos) || small_val(pos) < -1) return false;
    if (small_val(pos) < 0) cur->done = true; /* a limited select's last results wait in its continuation */
    else cur->bucket = (size_t)small_val(pos);
    return true;
}

static Term reverse_list(Process *p, Term l)
{
    size_t n = 0;
    for (Term t = l; is_list(t); t = list_tail(t)) n++;
    Term *hp = heap_alloc(p, 2 * n), r = NIL;
    for (; is_list(l); l = list_tail(l), hp += 2) {
        hp[0] = list_head(l);
        hp[1] = r;
        r = make_list(hp);
    }
    return r;
}

/* One slice of a long pass from cur; yields with the state in args[1] until the end. */
static Term slice(Process *p, const Term *args, EtsTable *tab, MsProg *prog, Term msref, SelKind kind,
                  EtsCursor *cur, Term acc, size_t count)
{
    SelCtx c = {.p = p, .tab = tab, .prog = prog, .kind = kind, .cursor = cur, .acc = acc, .prepend = true,
                .count = count};
    set_range(cur, tab, prog);
    EtsLock l;
    ets_lock_all(tab, writes(kind), &l);
    ets_store_walk(tab, cur, SLICE, sel_visit, &c);
    Term pos = cursor_pos(p, tab, cur);
    ets_unlock(tab, &l);
    bool fixed = tab->type != ETS_ORDERED_SET;
    if (c.bad_replace) {
        if (fixed) ets_fix(tab, p->pid, false);
        return ets_badarg(p, THE_NON_VALUE);
    }
    if (!cur->done) {
        Term *hp = heap_alloc(p, 6);
        hp[0] = make_tuple_header(5);
        hp[1] = trap_tag();
        hp[2] = msref;
        hp[3] = c.acc;
        hp[4] = pos;
        hp[5] = make_small((intptr_t)c.count);
        ((Term *)args)[1] = make_boxed(hp); /* the x register the call is made again with */
        return bif_yield_redo();
    }
    if (fixed) ets_fix(tab, p->pid, false);
    return kind == SEL_LIST ? reverse_list(p, c.acc) : make_small((intptr_t)c.count);
}

/* The next slice of a pass that yielded. */
static Term resume(Process *p, const Term *args, EtsTable *tab, SelKind kind, bool reverse)
{
    const Term *e = tuple_elems(args[1]);
    MsProg *prog = ms_ref_prog(e[1]);
    EtsCursor cur = {.key = THE_NON_VALUE, .reverse = reverse && tab->type == ETS_ORDERED_SET};
    if (!prog || (!is_list(e[2]) && !is_nil(e[2])) || !is_small(e[4]) || small_val(e[4]) < 0 ||
        !cursor_from(tab, e[3], &cur))
        return ets_badarg(p, THE_NON_VALUE);
    return slice(p, args, tab, prog, e[1], kind, &cur, e[2], (size_t)small_val(e[4]));
}

/*
 * select/2, select_reverse/2, match/2 and match_object/2 (SEL_LIST: with
 * body, args[1] is a pattern and the spec returns body), select_count/2,
 * internal_select_delete/2 and select_replace/2.
 */
static Term select_pass(Process *p, const Term *args, Term body, SelKind kind, bool reverse)
{
    EtsTable *tab = ets_get(p, args[0], writes(kind) ? ETS_WRITE : ETS_READ);
    if (!tab) return THE_NON_VALUE;
    if (kind == SEL_REPLACE && tab->type == ETS_BAG) return ets_badarg(p, AM_table_type);
    if (is_trap_state(args[1])) return resume(p, args, tab, kind, reverse);
    Term spec = is_value(body) ? pattern_spec(p, args[1], body) : args[1];
    MsProg *prog = compile(p, spec);
    if (!prog) return THE_NON_VALUE;
    EtsCursor cur = {.key = THE_NON_VALUE, .reverse = reverse && tab->type == ETS_ORDERED_SET};
    Term key = ms_bound_key(prog, tab->keypos);
    bool one_bucket = writes(kind) && is_value(key) && tab->type != ETS_ORDERED_SET;
    if (ets_store_size(tab) > SLICE && !one_bucket && (writes(kind) || !is_value(key))) {
        Term msref = ms_ref_make(p, prog); /* THE_NON_VALUE: no room to keep it, so one pass */
        if (is_value(msref)) {
            ms_release(prog); /* the registry may keep an equal program instead of this one */
            if (tab->type != ETS_ORDERED_SET) ets_fix(tab, p->pid, true);
            return slice(p, args, tab, ms_ref_prog(msref), msref, kind, &cur, NIL, 0);
        }
    }
    SelCtx c = {.p = p, .tab = tab, .prog = prog, .kind = kind, .cursor = &cur};
    ets_list_init(&c.out, p);
    if (one_bucket) {
        write_key(&c, key);
    } else if (writes(kind)) {
        set_range(&cur, tab, prog);
        EtsLock l;
        ets_lock_all(tab, true, &l);
        ets_store_walk(tab, &cur, 0, sel_visit, &c);
        ets_unlock(tab, &l);
    } else {
        select_read(&c, &cur);
    }
    ms_release(prog);
    if (c.bad_replace) return ets_badarg(p, THE_NON_VALUE);
    return kind == SEL_LIST ? ets_list_done(&c.out) : make_small((intptr_t)c.count);
}

Term bif_ets_select_2(Process *p, const Term *args) { return select_pass(p, args, THE_NON_VALUE, SEL_LIST, false); }
Term bif_ets_select_reverse_2(Process *p, const Term *args)
{
    return select_pass(p, args, THE_NON_VALUE, SEL_LIST, true);
}

Term bif_ets_match_2(Process *p, const Term *args)
{
    return select_pass(p, args, atom_from_cstr("$$"), SEL_LIST, false);
}

Term bif_ets_match_object_2(Process *p, const Term *args)
{
    return select_pass(p, args, atom_from_cstr("$_"), SEL_LIST, false);
}

/* ---- limited selects and continuations ---- */

static Term cont_tag(void) { return atom_from_cstr("$ets_cont"); }

static Term continuation(Process *p, Term id, Term pos, size_t limit, Term msref, Term extra)
{
    Term *hp = heap_alloc(p, 7);
    hp[0] = make_tuple_header(6);
    hp[1] = cont_tag();
    hp[2] = id;
    hp[3] = pos;
    hp[4] = make_small((intptr_t)limit);
    hp[5] = msref;
    hp[6] = extra;
    return make_boxed(hp);
}

/* One chunk from cur of an ordered_set: {Results, Cont} or '$end_of_table'. */
static Term tree_chunk(Process *p, EtsTable *tab, Term id, MsProg *prog, Term msref, size_t limit, EtsCursor *cur)
{
    SelCtx c = {.p = p, .tab = tab, .prog = prog, .kind = SEL_LIST, .limit = limit};
    ets_list_init(&c.out, p);
    c.cursor = cur;
    set_range(cur, tab, prog);
    EtsLock l;
    ets_lock_all(tab, false, &l);
    ets_store_walk(tab, cur, 0, sel_visit, &c);
    Term pos = cursor_pos(p, tab, cur);
    ets_unlock(tab, &l);
    Term results = ets_list_done(&c.out);
    if (c.count == 0 && cur->done) return AM_end_of_table;
    if (cur->done) return heap_tuple2(p, results, AM_end_of_table);
    return heap_tuple2(p, results, continuation(p, id, pos, limit, msref, cur->reverse ? AM_true : AM_false));
}

static size_t list_len(Term l)
{
    size_t n = 0;
    for (; is_list(l); l = list_tail(l)) n++;
    return n;
}

/*
 * One chunk of a hash table, as OTP's: the walk goes bucket by bucket in
 * first/next order, consing each result onto what the continuation kept
 * (`rest`), and stops after the bucket where it has `limit` results (a
 * spec for one key walks to the end). Of the results, the `limit` found
 * first are returned and the others kept: in their order by the first
 * call, in reverse by a continuation's.
 */
static Term hash_chunk(Process *p, EtsTable *tab, Term id, MsProg *prog, Term msref, size_t limit, EtsCursor *cur,
                       Term rest, bool first)
{
    SelCtx c = {.p = p, .tab = tab, .prog = prog, .kind = SEL_LIST, .limit = limit, .prepend = true,
                .acc = rest, .count = list_len(rest), .cursor = cur};
    c.no_stop = first && is_value(ms_bound_key(prog, tab->keypos));
    cur->chunked = true;
    Term pos = make_small(-1);
    if (!cur->done && c.count < limit) {
        EtsLock l;
        ets_lock_all(tab, false, &l);
        ets_store_walk(tab, cur, 0, sel_visit, &c);
        pos = cursor_pos(p, tab, cur);
        ets_unlock(tab, &l);
    } else if (!cur->done) {
        pos = cursor_pos(p, tab, cur);
    }
    Term list = c.acc, kept = NIL;
    if (c.count > limit) {
        size_t k = c.count - limit;
        Term *hp = heap_alloc(p, 2 * k), *last = NULL;
        for (size_t i = 0; i < k; i++, list = list_tail(list), hp += 2) {
            hp[0] = list_head(list);
            if (!first) {
                hp[1] = kept;
                kept = make_list(hp);
            } else {
                hp[1] = NIL;
                if (last) last[1] = make_list(hp);
                else kept = make_list(hp);
                last = hp;
            }
        }
    }
    if (is_list(kept) || !cur->done) return heap_tuple2(p, list, continuation(p, id, pos, limit, msref, kept));
    return is_nil(list) ? AM_end_of_table : heap_tuple2(p, list, AM_end_of_table);
}

static Term select_limit(Process *p, Term t, Term spec, Term limit, bool reverse)
{
    EtsTable *tab = ets_get(p, t, ETS_READ);
    if (!tab) return THE_NON_VALUE;
    if (!is_small(limit) || small_val(limit) < 1) return ets_badarg(p, THE_NON_VALUE);
    MsProg *prog = compile(p, spec);
    if (!prog) return THE_NON_VALUE;
    Term msref = ms_ref_make(p, prog);
    EtsCursor cur = {.key = THE_NON_VALUE, .reverse = reverse && tab->type == ETS_ORDERED_SET};
    Term r = tab->type == ETS_ORDERED_SET ? tree_chunk(p, tab, t, prog, msref, (size_t)small_val(limit), &cur)
                                          : hash_chunk(p, tab, t, prog, msref, (size_t)small_val(limit), &cur, NIL, true);
    ms_release(prog);
    return r;
}

Term bif_ets_select_3(Process *p, const Term *args) { return select_limit(p, args[0], args[1], args[2], false); }
Term bif_ets_select_reverse_3(Process *p, const Term *args)
{
    return select_limit(p, args[0], args[1], args[2], true);
}

Term bif_ets_match_3(Process *p, const Term *args)
{
    return select_limit(p, args[0], pattern_spec(p, args[1], atom_from_cstr("$$")), args[2], false);
}

Term bif_ets_match_object_3(Process *p, const Term *args)
{
    return select_limit(p, args[0], pattern_spec(p, args[1], atom_from_cstr("$_")), args[2], false);
}

/* select/1, select_reverse/1, match/1, match_object/1: the next chunk. */
Term bif_ets_select_1(Process *p, const Term *args)
{
    Term cont = args[0];
    if (cont == AM_end_of_table) return AM_end_of_table;
    if (!is_tuple(cont) || tuple_arity(cont) != 6 || tuple_elems(cont)[0] != cont_tag())
        return ets_badarg(p, THE_NON_VALUE);
    const Term *e = tuple_elems(cont);
    EtsTable *tab = ets_get(p, e[1], ETS_READ);
    if (!tab) return THE_NON_VALUE;
    MsProg *prog = ms_ref_prog(e[4]);
    if (!prog || !is_small(e[3]) || small_val(e[3]) < 1) return ets_badarg(p, THE_NON_VALUE);
    EtsCursor cur = {.key = THE_NON_VALUE, .reverse = e[5] == AM_true};
    if (!cursor_from(tab, e[2], &cur)) return ets_badarg(p, THE_NON_VALUE);
    if (tab->type == ETS_ORDERED_SET) return tree_chunk(p, tab, e[1], prog, e[4], (size_t)small_val(e[3]), &cur);
    /* a hash table's continuation keeps the results beyond the last chunk */
    cur.reverse = false;
    if (!is_list(e[5]) && !is_nil(e[5])) return ets_badarg(p, THE_NON_VALUE);
    return hash_chunk(p, tab, e[1], prog, e[4], (size_t)small_val(e[3]), &cur, e[5], false);
}

Term bif_ets_select_reverse_1(Process *p, const Term *args) { return bif_ets_select_1(p, args); }
Term bif_ets_match_1(Process *p, const Term *args) { return bif_ets_select_1(p, args); }
Term bif_ets_match_object_1(Process *p, const Term *args) { return bif_ets_select_1(p, args); }

/* ---- select_count, internal_select_delete, select_replace, match_delete ---- */

Term bif_ets_select_count_2(Process *p, const Term *args)
{
    return select_pass(p, args, THE_NON_VALUE, SEL_COUNT, false);
}

Term bif_ets_internal_select_delete_2(Process *p, const Term *args)
{
    return select_pass(p, args, THE_NON_VALUE, SEL_DELETE, false);
}

Term bif_ets_select_replace_2(Process *p, const Term *args)
{
    return select_pass(p, args, THE_NON_VALUE, SEL_REPLACE, false);
}
