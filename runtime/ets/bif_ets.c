/*
 * bif_ets.c - creating and deleting tables, and keyed access: new, insert,
 * insert_new, lookup, lookup_element, member, take, delete,
 * delete_object, internal_delete_all (OTP 25's results and errors).
 */
#include "runtime/ets/ets_bif.h"

#include "runtime/proc/heap.h"
#include "runtime/term/binary.h"
#include "runtime/term/map.h"

#include <stdlib.h>

/* ---- shared helpers (ets_bif.h) ---- */

Term ets_badarg(Process *p, Term cause)
{
    Term keys[2], values[2];
    size_t n = 0;
    if (is_value(cause)) keys[n] = AM_cause, values[n++] = cause;
    keys[n] = AM_module, values[n++] = AM_erl_stdlib_errors;
    p->ferror_info = heap_tuple2(p, AM_error_info, map_from_pairs(p, keys, values, n));
    return bif_error(p, AM_badarg);
}

EtsTable *ets_get(Process *p, Term t, EtsNeed need)
{
    EtsFind why;
    EtsTable *tab = ets_find(p, t, need, &why);
    if (!tab) ets_badarg(p, why == ETS_NO_TABLE ? AM_id : why == ETS_NOT_ID ? AM_type : AM_access);
    return tab;
}

Term ets_copy_out(Process *p, const EtsObj *o)
{
    Term *hp = heap_alloc(p, o->words);
    bool plain;
    Term copy = ets_obj_copy_out(o, hp, &plain);
    if (!plain) binary_adopt_copy(p, hp, o->words);
    return copy;
}

void ets_list_add(EtsListBuild *b, Term t)
{
    Term *cell = heap_alloc(b->p, 2);
    cell[0] = t;
    *b->tail = make_list(cell);
    b->tail = &cell[1];
}

bool ets_collect(void *ctx, EtsObj *o)
{
    EtsListBuild *b = ctx;
    ets_list_add(b, ets_copy_out(b->p, o));
    return true;
}

void ets_free_chain(EtsObj *o)
{
    while (o) {
        EtsObj *next = o->next;
        ets_obj_free(o);
        o = next;
    }
}

typedef struct Detached {
    EtsType type;
    void *d;
} Detached;

static void free_detached(void *arg)
{
    Detached *d = arg;
    if (d->type == ETS_ORDERED_SET) ets_tree_free_detached(NULL, d->d);
    else ets_hash_free_detached(NULL, d->d);
    free(d);
}

void ets_free_later(EtsTable *tab, void *detached)
{
    Detached *d = malloc(sizeof *d);
    if (!d) abort();
    d->type = tab->type;
    d->d = detached;
    ets_reap(free_detached, d);
}

/* ---- new/2 ---- */

typedef struct NewOpts {
    EtsType type;
    EtsAccess access;
    bool named, read_conc, compressed;
    int decentralized; /* -1: the default for the type */
    EtsWriteConc write_conc;
    unsigned keypos;
    Term heir, heir_data;
} NewOpts;

static bool is_bool(Term t) { return t == AM_true || t == AM_false; }

/* One option of new/2; false if it is not one. */
static bool parse_opt(Term o, NewOpts *n)
{
    if (o == AM_set) n->type = ETS_SET;
    else if (o == AM_ordered_set) n->type = ETS_ORDERED_SET;
    else if (o == AM_bag) n->type = ETS_BAG;
    else if (o == AM_duplicate_bag) n->type = ETS_DUPLICATE_BAG;
    else if (o == AM_public) n->access = ETS_PUBLIC;
    else if (o == AM_protected) n->access = ETS_PROTECTED;
    else if (o == AM_private) n->access = ETS_PRIVATE;
    else if (o == AM_named_table) n->named = true;
    else if (o == AM_compressed) n->compressed = true;
    else if (is_tuple(o) && tuple_arity(o) == 2) {
        Term k = tuple_elems(o)[0], v = tuple_elems(o)[1];
        if (k == AM_keypos && is_small(v) && small_val(v) >= 1 && small_val(v) <= 0xFFFFFF) n->keypos = (unsigned)small_val(v);
        else if (k == AM_write_concurrency && v == AM_auto) n->write_conc = ETS_WC_AUTO;
        else if (k == AM_write_concurrency && is_bool(v)) n->write_conc = v == AM_true ? ETS_WC_TRUE : ETS_WC_FALSE;
        else if (k == AM_read_concurrency && is_bool(v)) n->read_conc = v == AM_true;
        else if (k == AM_decentralized_counters && is_bool(v)) n->decentralized = v == AM_true;
        else if (k == AM_heir && v == AM_none) n->heir = AM_none;
        else return false;
    } else if (is_tuple(o) && tuple_arity(o) == 3 && tuple_elems(o)[0] == AM_heir && is_pid(tuple_elems(o)[1])) {
        n->heir = tuple_elems(o)[1];
        n->heir_data = tuple_elems(o)[2];
    } else {
        return false;
    }
    return true;
}

static EtsTable *table_alloc(const NewOpts *o, Term name)
{
    EtsTable *tab = calloc(1, sizeof *tab);
    if (!tab) return NULL;
    tab->num = ets_next_num();
    tab->id_words[0] = make_header(REF_WORDS, HDR_REF);
    tab->id_words[1] = (Term)(tab->num | (1ull << 63)); /* ets_lookup_any knows ids by this */
    tab->id_words[2] = 0;
    tab->id = make_boxed(tab->id_words);
    tab->name = name;
    tab->named = o->named;
    tab->type = o->type;
    tab->access = o->access;
    tab->keypos = o->keypos;
    tab->read_conc = o->read_conc;
    tab->compressed = o->compressed;
    tab->write_conc = o->write_conc;
    /* OTP 25: counters are decentralized by default with write_concurrency auto, and
       for an ordered_set with write_concurrency */
    tab->decentralized = o->decentralized >= 0 ? o->decentralized
                                                : o->write_conc == ETS_WC_AUTO ||
                                                      (o->type == ETS_ORDERED_SET && o->write_conc == ETS_WC_TRUE);
    tab->heir = AM_none;
    pthread_mutex_init(&tab->fix_lock, NULL);
    if (!ets_store_init(tab)) {
        pthread_mutex_destroy(&tab->fix_lock);
        free(tab);
        return NULL;
    }
    return tab;
}

Term bif_ets_new_2(Process *p, const Term *args)
{
    Term name = args[0], opts = args[1];
    NewOpts o = {.type = ETS_SET, .access = ETS_PROTECTED, .keypos = 1, .decentralized = -1, .heir = AM_none,
                 .write_conc = ETS_WC_FALSE};
    if (!is_atom(name)) return ets_badarg(p, THE_NON_VALUE);
    for (; is_list(opts); opts = list_tail(opts))
        if (!parse_opt(list_head(opts), &o)) return ets_badarg(p, THE_NON_VALUE);
    if (!is_nil(opts)) return ets_badarg(p, THE_NON_VALUE);
    EtsTable *tab = table_alloc(&o, name);
    if (!tab) return bif_error(p, AM_system_limit);
    if (is_pid(o.heir)) ets_set_heir(tab, o.heir, o.heir_data);
    if (!ets_register(tab, p)) {
        ets_store_free(tab);
        if (tab->heir_data) ets_obj_free(tab->heir_data);
        pthread_mutex_destroy(&tab->fix_lock);
        free(tab);
        return ets_badarg(p, AM_already_exists);
    }
    return o.named ? name : term_copy(p, tab->id);
}

/* ---- insert, insert_new ---- */

/* Checks a list of objects; its length, or -1. */
static long storable_list(EtsTable *tab, Term l)
{
    long n = 0;
    for (; is_list(l); l = list_tail(l), n++)
        if (!ets_storable(tab, list_head(l))) return -1;
    return is_nil(l) ? n : -1;
}

static EtsObj *obj_for(EtsTable *tab, Term t)
{
    uint32_t hash = ets_hash_key(tab, ets_key(tab, t));
    ets_store_prefetch(tab, hash); /* the bucket comes in while the object is copied */
    EtsObj *o = ets_obj_new(t, hash);
    if (!o) abort();
    return o;
}

/* Copies the objects of a checked list into table memory (outside any lock). */
static EtsObj **objs_for(EtsTable *tab, Term l, long n)
{
    EtsObj **objs = malloc((size_t)(n ? n : 1) * sizeof(EtsObj *));
    if (!objs) abort();
    for (long i = 0; i < n; i++, l = list_tail(l)) objs[i] = obj_for(tab, list_head(l));
    return objs;
}

static Term do_insert(Process *p, const Term *args, bool only_new)
{
    EtsTable *tab = ets_get(p, args[0], ETS_WRITE);
    if (!tab) return THE_NON_VALUE;
    Term t = args[1];
    EtsLock l;
    if (ets_storable(tab, t)) {
        EtsObj *o = obj_for(tab, t);
        ets_lock_key(tab, ets_key(tab, o->term), o->hash, true, &l);
        bool put = !only_new || !ets_store_get(tab, ets_key(tab, o->term), o->hash);
        if (put) ets_store_put(tab, o);
        ets_unlock(tab, &l);
        if (!put) ets_obj_free(o);
        return put ? AM_true : AM_false;
    }
    long n = is_list(t) || is_nil(t) ? storable_list(tab, t) : -1;
    if (n < 0) return ets_badarg(p, THE_NON_VALUE);
    EtsObj **objs = objs_for(tab, t, n);
    /* the whole list at once, as one atomic change */
    ets_lock_all(tab, true, &l);
    bool put = true;
    for (long i = 0; only_new && put && i < n; i++)
        put = !ets_store_get(tab, ets_key(tab, objs[i]->term), objs[i]->hash);
    /* OTP 25 puts a list into a bag last object first (it shows in the order of new keys) */
    bool backwards = tab->type == ETS_BAG;
    for (long i = 0; put && i < n; i++) ets_store_put(tab, objs[backwards ? n - 1 - i : i]);
    ets_unlock(tab, &l);
    for (long i = 0; !put && i < n; i++) ets_obj_free(objs[i]);
    free(objs);
    return put ? AM_true : AM_false;
}

Term bif_ets_insert_2(Process *p, const Term *args) { return do_insert(p, args, false); }
Term bif_ets_insert_new_2(Process *p, const Term *args) { return do_insert(p, args, true); }

/* ---- lookup, lookup_element, member ---- */

Term bif_ets_lookup_2(Process *p, const Term *args)
{
    EtsTable *tab = ets_get(p, args[0], ETS_READ);
    if (!tab) return THE_NON_VALUE;
    Term key = args[1];
    uint32_t h = ets_hash_key(tab, key);
    EtsListBuild b;
    ets_list_init(&b, p);
    EtsLock l;
    ets_lock_key(tab, key, h, false, &l);
    ets_store_each_key(tab, key, h, ets_collect, &b);
    ets_unlock(tab, &l);
    return ets_list_done(&b);
}

typedef struct ElemCtx {
    EtsListBuild b;
    size_t pos;
    bool bad, any;
} ElemCtx;

static bool check_elem(void *ctx, EtsObj *o)
{
    ElemCtx *c = ctx;
    c->any = true;
    if (tuple_arity(o->term) < c->pos) c->bad = true;
    return !c->bad;
}

static bool collect_elem(void *ctx, EtsObj *o)
{
    ElemCtx *c = ctx;
    Term e = tuple_elems(o->term)[c->pos - 1];
    ets_list_add(&c->b, term_copy(c->b.p, e));
    return true;
}

Term bif_ets_lookup_element_3(Process *p, const Term *args)
{
    EtsTable *tab = ets_get(p, args[0], ETS_READ);
    if (!tab) return THE_NON_VALUE;
    Term key = args[1], pos = args[2];
    if (!is_small(pos) || small_val(pos) < 1) return ets_badarg(p, THE_NON_VALUE);
    uint32_t h = ets_hash_key(tab, key);
    ElemCtx c = {.pos = (size_t)small_val(pos)};
    ets_list_init(&c.b, p);
    EtsLock l;
    ets_lock_key(tab, key, h, false, &l);
    ets_store_each_key(tab, key, h, check_elem, &c);
    if (c.any && !c.bad) ets_store_each_key(tab, key, h, collect_elem, &c);
    ets_unlock(tab, &l);
    if (!c.any) return ets_badarg(p, AM_badkey);
    if (c.bad) return ets_badarg(p, THE_NON_VALUE);
    Term list = ets_list_done(&c.b);
    return tab->type == ETS_SET || tab->type == ETS_ORDERED_SET ? list_head(list) : list;
}

Term bif_ets_member_2(Process *p, const Term *args)
{
    EtsTable *tab = ets_get(p, args[0], ETS_READ);
    if (!tab) return THE_NON_VALUE;
    uint32_t h = ets_hash_key(tab, args[1]);
    EtsLock l;
    ets_lock_key(tab, args[1], h, false, &l);
    bool found = ets_store_get(tab, args[1], h) != NULL;
    ets_unlock(tab, &l);
    return found ? AM_true : AM_false;
}

/* ---- take, delete, delete_object, delete_all ---- */

/* Takes the objects with `key` out of tab, under the key's write lock; the caller frees the chain. */
static EtsObj *remove_key(EtsTable *tab, Term key)
{
    uint32_t h = ets_hash_key(tab, key);
    EtsLock l;
    ets_lock_key(tab, key, h, true, &l);
    EtsObj *gone = ets_store_remove_key(tab, key, h);
    ets_unlock(tab, &l);
    return gone;
}

Term bif_ets_take_2(Process *p, const Term *args)
{
    EtsTable *tab = ets_get(p, args[0], ETS_WRITE);
    if (!tab) return THE_NON_VALUE;
    EtsObj *gone = remove_key(tab, args[1]);
    EtsListBuild b;
    ets_list_init(&b, p);
    for (EtsObj *o = gone; o; o = o->next) ets_collect(&b, o);
    ets_free_chain(gone);
    return ets_list_done(&b);
}

Term bif_ets_delete_1(Process *p, const Term *args)
{
    EtsTable *tab = ets_get(p, args[0], ETS_WRITE);
    if (!tab) return THE_NON_VALUE;
    if (!ets_unregister(tab)) return ets_badarg(p, AM_id);
    return AM_true;
}

Term bif_ets_delete_2(Process *p, const Term *args)
{
    EtsTable *tab = ets_get(p, args[0], ETS_WRITE);
    if (!tab) return THE_NON_VALUE;
    EtsObj *gone = remove_key(tab, args[1]);
    ets_free_chain(gone);
    return AM_true;
}

Term bif_ets_delete_object_2(Process *p, const Term *args)
{
    EtsTable *tab = ets_get(p, args[0], ETS_WRITE);
    if (!tab) return THE_NON_VALUE;
    Term obj = args[1];
    if (!ets_storable(tab, obj)) return ets_badarg(p, THE_NON_VALUE);
    uint32_t h = ets_hash_key(tab, ets_key(tab, obj));
    EtsLock l;
    ets_lock_key(tab, ets_key(tab, obj), h, true, &l);
    ets_store_remove_obj(tab, obj, h);
    ets_unlock(tab, &l);
    return AM_true;
}

/* internal_delete_all(Tab, undefined): delete_all_objects/1 and select_delete(T, [{'_',[],[true]}]).
   Returns the number of objects deleted. The objects are unlinked at once and freed elsewhere. */
Term bif_ets_internal_delete_all_2(Process *p, const Term *args)
{
    EtsTable *tab = ets_get(p, args[0], ETS_WRITE);
    if (!tab) return THE_NON_VALUE;
    EtsLock l;
    ets_lock_all(tab, true, &l);
    size_t n = ets_store_size(tab);
    void *d = ets_store_detach_all(tab);
    ets_unlock(tab, &l);
    ets_free_later(tab, d);
    return make_small((intptr_t)n);
}
