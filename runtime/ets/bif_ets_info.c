/*
 * bif_ets_info.c - iteration (first, next, last, prev, slot), info/1,2,
 * and the table-level BIFs: setopts, give_away, rename, whereis,
 * safe_fixtable, internal_request_all (for ets:all/0).
 */
#include "runtime/ets/ets_bif.h"

#include "runtime/proc/heap.h"
#include "runtime/term/big.h"
#include "runtime/term/binary.h"
#include "runtime/proc/signal.h"
#include "sched/sched.h"

/* ---- first, next, last, prev ---- */

typedef enum { IT_FIRST, IT_LAST, IT_NEXT, IT_PREV } IterKind;

static Term iterate(Process *p, const Term *args, IterKind kind)
{
    EtsTable *tab = ets_get(p, args[0], ETS_READ);
    if (!tab) return THE_NON_VALUE;
    EtsLock l;
    bool missing = false;
    ets_lock_all(tab, false, &l);
    Term k = kind == IT_FIRST  ? ets_store_first(tab)
             : kind == IT_LAST ? ets_store_last(tab)
             : kind == IT_NEXT ? ets_store_next(tab, args[1], &missing)
                               : ets_store_prev(tab, args[1], &missing);
    Term key = is_value(k) ? (is_immed(k) ? k : term_copy(p, k)) : AM_end_of_table;
    ets_unlock(tab, &l);
    return missing ? ets_badarg(p, THE_NON_VALUE) : key;
}

Term bif_ets_first_1(Process *p, const Term *args) { return iterate(p, args, IT_FIRST); }
Term bif_ets_last_1(Process *p, const Term *args) { return iterate(p, args, IT_LAST); }
Term bif_ets_next_2(Process *p, const Term *args) { return iterate(p, args, IT_NEXT); }
Term bif_ets_prev_2(Process *p, const Term *args) { return iterate(p, args, IT_PREV); }

Term bif_ets_slot_2(Process *p, const Term *args)
{
    EtsTable *tab = ets_get(p, args[0], ETS_READ);
    if (!tab) return THE_NON_VALUE;
    if (!is_small(args[1]) || small_val(args[1]) < 0) return ets_badarg(p, THE_NON_VALUE);
    size_t i = (size_t)small_val(args[1]);
    EtsListBuild b;
    ets_list_init(&b, p);
    EtsLock l;
    ets_lock_all(tab, false, &l);
    size_t slots = ets_store_slots(tab);
    if (i < slots) ets_store_slot(tab, i, ets_collect, &b);
    ets_unlock(tab, &l);
    if (i > slots) return ets_badarg(p, THE_NON_VALUE);
    return i == slots ? AM_end_of_table : ets_list_done(&b);
}

/* ---- info ---- */

static Term type_atom(EtsType t)
{
    switch (t) {
    case ETS_SET: return AM_set;
    case ETS_ORDERED_SET: return AM_ordered_set;
    case ETS_BAG: return AM_bag;
    default: return AM_duplicate_bag;
    }
}

static Term access_atom(EtsAccess a)
{
    return a == ETS_PUBLIC ? AM_public : a == ETS_PROTECTED ? AM_protected : AM_private;
}

static Term wc_atom(EtsWriteConc w) { return w == ETS_WC_AUTO ? AM_auto : w == ETS_WC_TRUE ? AM_true : AM_false; }
static Term bool_atom(bool b) { return b ? AM_true : AM_false; }

/* ---- info(Tab, binary): {Address, Size, RefCount} for each refc binary in the table ---- */

typedef struct BinList {
    Process *p;
    Term list;
} BinList;

static void add_bin(void *ctx, const Term *handle)
{
    BinList *b = ctx;
    const Binary *bin = (const Binary *)handle[2];
    Term addr = int_from_u64(b->p, (uint64_t)(uintptr_t)bin);
    Term refc = make_small((intptr_t)atomic_load_explicit(&bin->refc, memory_order_relaxed));
    Term *hp = heap_alloc(b->p, 4);
    hp[0] = make_tuple_header(3);
    hp[1] = addr;
    hp[2] = make_small((intptr_t)handle[1]);
    hp[3] = refc;
    b->list = heap_cons(b->p, make_boxed(hp), b->list);
}

static EtsWalkAct bin_visit(void *ctx, EtsObj *o, EtsObj **replace)
{
    (void)replace;
    ets_obj_each_refc(o, add_bin, ctx);
    return ETS_WALK_NEXT;
}

static Term binaries(Process *p, EtsTable *tab)
{
    BinList b = {p, NIL};
    EtsCursor cur = {.key = THE_NON_VALUE};
    EtsLock l;
    ets_lock_all(tab, false, &l);
    ets_store_walk(tab, &cur, 0, bin_visit, &b);
    ets_unlock(tab, &l);
    return b.list;
}

/* The value of one info item, or THE_NON_VALUE if it is not one. */
static Term info_item(Process *p, EtsTable *tab, Term item)
{
    if (item == AM_id) return term_copy(p, tab->id);
    if (item == AM_decentralized_counters) return bool_atom(tab->decentralized);
    if (item == AM_read_concurrency) return bool_atom(tab->read_conc);
    if (item == AM_write_concurrency) return wc_atom(tab->write_conc);
    if (item == AM_compressed) return bool_atom(tab->compressed);
    if (item == AM_memory) return make_small((intptr_t)ets_store_memory(tab));
    if (item == AM_owner) return atomic_load(&tab->owner);
    if (item == AM_heir) return tab->heir;
    if (item == AM_name) return tab->name;
    if (item == AM_size) return make_small((intptr_t)ets_store_size(tab));
    if (item == AM_node) return AM_nonode_at_nohost;
    if (item == AM_named_table) return bool_atom(tab->named);
    if (item == AM_type) return type_atom(tab->type);
    if (item == AM_keypos) return make_small(tab->keypos);
    if (item == AM_protection) return access_atom(tab->access);
    if (item == AM_fixed) return bool_atom(atomic_load(&tab->fix_count) > 0);
    if (item == AM_safe_fixed) return ets_fix_info(p, tab, false);
    if (item == AM_safe_fixed_monotonic_time) return ets_fix_info(p, tab, true);
    if (item == AM_binary) return binaries(p, tab);
    return THE_NON_VALUE;
}

Term bif_ets_info_1(Process *p, const Term *args)
{
    if (!ets_is_id(args[0])) return ets_badarg(p, AM_type);
    EtsTable *tab = ets_lookup_any(args[0]);
    if (!tab) return AM_undefined;
    static const Term order[] = {AM_id, AM_decentralized_counters, AM_read_concurrency, AM_write_concurrency,
                                 AM_compressed, AM_memory, AM_owner, AM_heir, AM_name, AM_size, AM_node,
                                 AM_named_table, AM_type, AM_keypos, AM_protection};
    Term list = NIL;
    for (size_t i = sizeof order / sizeof order[0]; i-- > 0;)
        list = heap_cons(p, heap_tuple2(p, order[i], info_item(p, tab, order[i])), list);
    return list;
}

Term bif_ets_info_2(Process *p, const Term *args)
{
    if (!ets_is_id(args[0])) return ets_badarg(p, AM_type);
    EtsTable *tab = ets_lookup_any(args[0]);
    if (!tab) return AM_undefined;
    Term v = info_item(p, tab, args[1]);
    return is_value(v) ? v : ets_badarg(p, THE_NON_VALUE);
}

/* ---- setopts, give_away, rename, whereis ---- */

static bool owns(Process *p, EtsTable *tab) { return atomic_load(&tab->owner) == p->pid; }

/* A heir option: {heir, Pid, Data} or {heir, none}. */
static bool heir_opt(Term o)
{
    if (!is_tuple(o) || tuple_elems(o)[0] != AM_heir) return false;
    size_t n = tuple_arity(o);
    return (n == 2 && tuple_elems(o)[1] == AM_none) || (n == 3 && is_pid(tuple_elems(o)[1]));
}

Term bif_ets_setopts_2(Process *p, const Term *args)
{
    EtsTable *tab = ets_get(p, args[0], ETS_READ);
    if (!tab) return THE_NON_VALUE;
    Term opts = args[1];
    Term one[2] = {opts, NIL};
    if (!is_list(opts)) opts = make_list(one);
    Term l = opts;
    for (; is_list(l); l = list_tail(l))
        if (!heir_opt(list_head(l))) return ets_badarg(p, THE_NON_VALUE);
    if (!is_nil(l)) return ets_badarg(p, THE_NON_VALUE);
    if (!owns(p, tab)) return ets_badarg(p, AM_access);
    for (l = opts; is_list(l); l = list_tail(l)) {
        Term o = list_head(l);
        if (tuple_arity(o) == 2) ets_set_heir(tab, AM_none, NIL);
        else ets_set_heir(tab, tuple_elems(o)[1], tuple_elems(o)[2]);
    }
    return AM_true;
}

Term bif_ets_give_away_3(Process *p, const Term *args)
{
    /* as OTP: write access first (access), then ownership (not_owner) */
    EtsTable *tab = ets_get(p, args[0], ETS_WRITE);
    if (!tab) return THE_NON_VALUE;
    Term pid = args[1];
    if (!is_pid(pid)) return ets_badarg(p, THE_NON_VALUE);
    if (!owns(p, tab)) return ets_badarg(p, atom_from_cstr("not_owner"));
    if (pid == p->pid) return ets_badarg(p, AM_owner);
    if (!ets_give_away(p, tab, pid, args[2])) return ets_badarg(p, THE_NON_VALUE);
    return AM_true;
}

Term bif_ets_rename_2(Process *p, const Term *args)
{
    EtsTable *tab = ets_get(p, args[0], ETS_WRITE);
    if (!tab) return THE_NON_VALUE;
    if (!is_atom(args[1])) return ets_badarg(p, THE_NON_VALUE);
    if (!ets_rename(tab, args[1])) return ets_badarg(p, THE_NON_VALUE);
    return args[1];
}

Term bif_ets_whereis_1(Process *p, const Term *args)
{
    if (!is_atom(args[0])) return ets_badarg(p, THE_NON_VALUE);
    EtsTable *tab = ets_lookup_any(args[0]);
    return tab ? term_copy(p, tab->id) : AM_undefined;
}

Term bif_ets_safe_fixtable_2(Process *p, const Term *args)
{
    EtsTable *tab = ets_get(p, args[0], ETS_READ);
    if (!tab) return THE_NON_VALUE;
    if (args[1] != AM_true && args[1] != AM_false) return ets_badarg(p, THE_NON_VALUE);
    ets_fix(tab, p->pid, args[1] == AM_true);
    return AM_true;
}

/*
 * ets:all/0 calls this, then waits for one {Ref, Tables} message per
 * scheduler and appends them: the first carries every table, the others
 * are empty.
 */
Term bif_ets_internal_request_all_0(Process *p, const Term *args)
{
    (void)args;
    Term ref = bif_make_ref_0(p, args);
    Term all = ets_all(p);
    int n = sched_count();
    for (int i = 0; i < (n > 0 ? n : 1); i++) signal_send(p, p->pid, heap_tuple2(p, ref, i == 0 ? all : NIL));
    return ref;
}
