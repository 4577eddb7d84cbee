/* ets_store.c - one storage interface over hash tables and ordered_set (see ets_store.h). */
#include "runtime/ets/ets_store.h"
#include <assert.h>

#include "runtime/etf/hash.h"
#include "runtime/term/map_internal.h"

uint32_t ets_hash_key(const EtsTable *tab, Term key)
{
    if (tab->type == ETS_ORDERED_SET) return 0; /* a tree orders keys, it does not hash them */
    /* OTP 25's MAKE_HASH: a bare atom by the hash of its text, any other key
       by make_internal_hash(Key, 0); the value picks the bucket, so iteration
       follows OTP's order (ets_hash.c). */
    if (is_atom(key)) return hash_atom(key);
    return map_hash0(key); /* = map_hash_salted(key, 0), immediates inline */
}

size_t ets_table_words(const EtsTable *tab)
{
    /* measured on OTP 25 for each combination of options */
    if (tab->type == ETS_ORDERED_SET) return (tab->write_conc != ETS_WC_FALSE ? 133 : 139) + (tab->read_conc ? 32 : 0);
    if (tab->write_conc == ETS_WC_FALSE) return tab->read_conc ? 337 : 305;
    return (tab->write_conc == ETS_WC_AUTO ? 1395 : 1361) + (tab->read_conc ? 2048 : 0);
}

#define TREE(tab) ((tab)->type == ETS_ORDERED_SET)
#define DISPATCH(fn, ...) (TREE(tab) ? ets_tree_##fn(__VA_ARGS__) : ets_hash_##fn(__VA_ARGS__))

void ets_lock_key(EtsTable *tab, Term key, uint32_t hash, bool write, EtsLock *l)
{
    DISPATCH(lock_key, tab, key, hash, write, l);
}
void ets_store_prefetch(EtsTable *tab, uint32_t hash)
{
    if (!TREE(tab)) ets_hash_prefetch(tab, hash);
}
void ets_lock_all(EtsTable *tab, bool write, EtsLock *l) { DISPATCH(lock_all, tab, write, l); }
void ets_unlock(EtsTable *tab, EtsLock *l) { DISPATCH(unlock, tab, l); }
bool ets_store_init(EtsTable *tab) { return DISPATCH(init, tab); }
void ets_store_free(EtsTable *tab) { DISPATCH(free, tab); }
size_t ets_store_size(EtsTable *tab) { return DISPATCH(size, tab); }
size_t ets_store_memory(EtsTable *tab) { return DISPATCH(memory, tab); }
void ets_store_each_key(EtsTable *tab, Term key, uint32_t hash, EtsVisit fn, void *ctx)
{
    DISPATCH(each_key, tab, key, hash, fn, ctx);
}
EtsObj *ets_store_get(EtsTable *tab, Term key, uint32_t hash) { return DISPATCH(get, tab, key, hash); }
void ets_store_put(EtsTable *tab, EtsObj *o) { DISPATCH(put, tab, o); }
EtsObj *ets_store_remove_key(EtsTable *tab, Term key, uint32_t hash) { return DISPATCH(remove_key, tab, key, hash); }
size_t ets_store_remove_obj(EtsTable *tab, Term obj, uint32_t hash) { return DISPATCH(remove_obj, tab, obj, hash); }
void *ets_store_detach_all(EtsTable *tab) { return DISPATCH(detach_all, tab); }
void ets_store_free_detached(EtsTable *tab, void *d) { DISPATCH(free_detached, tab, d); }
Term ets_store_first(EtsTable *tab) { return DISPATCH(first, tab); }
Term ets_store_last(EtsTable *tab) { return DISPATCH(last, tab); }
Term ets_store_next(EtsTable *tab, Term key, bool *missing) { return DISPATCH(next, tab, key, missing); }
Term ets_store_prev(EtsTable *tab, Term key, bool *missing) { return DISPATCH(prev, tab, key, missing); }
void ets_store_walk(EtsTable *tab, EtsCursor *c, size_t budget, EtsWalkFn fn, void *ctx)
{
    DISPATCH(walk, tab, c, budget, fn, ctx);
}
void ets_store_walk_bucket(EtsTable *tab, uint32_t hash, EtsWalkFn fn, void *ctx)
{
    assert(!TREE(tab));
    ets_hash_walk_bucket(tab, hash, fn, ctx);
}
size_t ets_store_slots(EtsTable *tab) { return DISPATCH(slots, tab); }
void ets_store_slot(EtsTable *tab, size_t i, EtsVisit fn, void *ctx) { DISPATCH(slot, tab, i, fn, ctx); }
