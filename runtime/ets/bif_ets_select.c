/*
 * bif_ets_select.c - match, match_object, select, select_reverse (with
 * and without a limit, and their continuations), select_count,
 * internal_select_delete and select_replace, over the match-spec engine
 * (runtime/ms/ms.h), which reads each object in place in table memory.
 *
 * A spec whose clauses all bind the key to one constant looks up that key
 * instead of walking the table. A walk holds the table's read locks (write
 * locks to delete or replace) throughout.
 *
 * Continuations ({Results, Cont} of the limited forms) are
 * {'$ets_cont', TableId, Position, Limit, CompiledSpec, Reverse}: the
 * position is the next bucket of a hash table, or {LastKey} (or []) for an
 * ordered_set; the compiled spec is a match_spec_compile reference.
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
    bool bad_replace; /* select_replace met a result that changes the key: badarg */
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
        ets_list_add(&c->out, res.value);
        if (c->limit && ++c->count >= c->limit) c->cursor->stop = true;
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
        ets_lock_key(tab, h, false, &l);
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

static Term select_all(Process *p, Term t, Term spec, bool reverse)
{
    EtsTable *tab = ets_get(p, t, ETS_READ);
    if (!tab) return THE_NON_VALUE;
    MsProg *prog = compile(p, spec);
    if (!prog) return THE_NON_VALUE;
    SelCtx c = {.p = p, .tab = tab, .prog = prog, .kind = SEL_LIST};
    ets_list_init(&c.out, p);
    EtsCursor cur = {.key = THE_NON_VALUE, .reverse = reverse};
    select_read(&c, &cur);
    ms_release(prog);
    return ets_list_done(&c.out);
}

Term bif_ets_select_2(Process *p, const Term *args) { return select_all(p, args[0], args[1], false); }
Term bif_ets_select_reverse_2(Process *p, const Term *args) { return select_all(p, args[0], args[1], true); }

Term bif_ets_match_2(Process *p, const Term *args)
{
    return select_all(p, args[0], pattern_spec(p, args[1], atom_from_cstr("$$")), false);
}

Term bif_ets_match_object_2(Process *p, const Term *args)
{
    return select_all(p, args[0], pattern_spec(p, args[1], atom_from_cstr("$_")), false);
}

/* ---- limited selects and continuations ---- */

static Term cont_tag(void) { return atom_from_cstr("$ets_cont"); }

/* One chunk from cur: {Results, Cont} or '$end_of_table'. */
static Term chunk(Process *p, EtsTable *tab, Term id, MsProg *prog, Term msref, size_t limit, EtsCursor *cur)
{
    SelCtx c = {.p = p, .tab = tab, .prog = prog, .kind = SEL_LIST, .limit = limit};
    ets_list_init(&c.out, p);
    /* a limited select always walks: a continuation has to say where it stopped */
    c.cursor = cur;
    set_range(cur, tab, prog);
    EtsLock l;
    ets_lock_all(tab, false, &l);
    ets_store_walk(tab, cur, 0, sel_visit, &c);
    Term pos = make_small((intptr_t)cur->bucket);
    if (tab->type == ETS_ORDERED_SET) { /* {LastKey}: the key copied out while locked */
        pos = NIL;
        if (cur->key != THE_NON_VALUE) {
            Term key = term_copy(p, cur->key);
            Term *hp = heap_alloc(p, 2);
            hp[0] = make_tuple_header(1);
            hp[1] = key;
            pos = make_boxed(hp);
        }
    }
    ets_unlock(tab, &l);
    Term results = ets_list_done(&c.out);
    if (c.count == 0 && cur->done) return AM_end_of_table;
    if (cur->done) return heap_tuple2(p, results, AM_end_of_table);
    Term *hp = heap_alloc(p, 7);
    hp[0] = make_tuple_header(6);
    hp[1] = cont_tag();
    hp[2] = id;
    hp[3] = pos;
    hp[4] = make_small((intptr_t)limit);
    hp[5] = msref;
    hp[6] = cur->reverse ? AM_true : AM_false;
    return heap_tuple2(p, results, make_boxed(hp));
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
    Term r = chunk(p, tab, t, prog, msref, (size_t)small_val(limit), &cur);
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
    if (tab->type == ETS_ORDERED_SET) {
        if (is_tuple(e[2]) && tuple_arity(e[2]) == 1) cur.key = tuple_elems(e[2])[0];
        else if (!is_nil(e[2])) return ets_badarg(p, THE_NON_VALUE);
    } else {
        if (!is_small(e[2]) || small_val(e[2]) < 0) return ets_badarg(p, THE_NON_VALUE);
        cur.bucket = (size_t)small_val(e[2]);
    }
    return chunk(p, tab, e[1], prog, e[4], (size_t)small_val(e[3]), &cur);
}

Term bif_ets_select_reverse_1(Process *p, const Term *args) { return bif_ets_select_1(p, args); }
Term bif_ets_match_1(Process *p, const Term *args) { return bif_ets_select_1(p, args); }
Term bif_ets_match_object_1(Process *p, const Term *args) { return bif_ets_select_1(p, args); }

/* ---- select_count, internal_select_delete, select_replace, match_delete ---- */

Term bif_ets_select_count_2(Process *p, const Term *args)
{
    EtsTable *tab = ets_get(p, args[0], ETS_READ);
    if (!tab) return THE_NON_VALUE;
    MsProg *prog = compile(p, args[1]);
    if (!prog) return THE_NON_VALUE;
    SelCtx c = {.p = p, .tab = tab, .prog = prog, .kind = SEL_COUNT};
    EtsCursor cur = {.key = THE_NON_VALUE};
    select_read(&c, &cur);
    ms_release(prog);
    return make_small((intptr_t)c.count);
}

static Term select_change(Process *p, const Term *args, SelKind kind)
{
    EtsTable *tab = ets_get(p, args[0], ETS_WRITE);
    if (!tab) return THE_NON_VALUE;
    if (kind == SEL_REPLACE && tab->type == ETS_BAG) return ets_badarg(p, AM_table_type);
    MsProg *prog = compile(p, args[1]);
    if (!prog) return THE_NON_VALUE;
    SelCtx c = {.p = p, .tab = tab, .prog = prog, .kind = kind};
    EtsCursor cur = {.key = THE_NON_VALUE};
    c.cursor = &cur;
    set_range(&cur, tab, prog);
    EtsLock l;
    ets_lock_all(tab, true, &l);
    ets_store_walk(tab, &cur, 0, sel_visit, &c);
    ets_unlock(tab, &l);
    ms_release(prog);
    return c.bad_replace ? ets_badarg(p, THE_NON_VALUE) : make_small((intptr_t)c.count);
}

Term bif_ets_internal_select_delete_2(Process *p, const Term *args) { return select_change(p, args, SEL_DELETE); }
Term bif_ets_select_replace_2(Process *p, const Term *args) { return select_change(p, args, SEL_REPLACE); }
