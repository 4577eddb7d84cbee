/*
 * ets_store.h - the objects of a table: hash tables (set, bag,
 * duplicate_bag: ets_hash.c) and ordered_set (ets_tree.c) behind one
 * interface (ets_store.c dispatches).
 *
 * Locking is the caller's: take ets_lock_key (the lock that guards key's
 * objects) or ets_lock_all, then call the primitives, then ets_unlock. A
 * primitive that reads needs a read lock; one that changes, a write lock.
 * Objects handed out (EtsObj *, and terms inside them) are valid until the
 * unlock. An ordered_set with write_concurrency is a contention-adapting
 * tree (ets_tree.c): one lock per base, the key's base for a keyed call.
 */
#ifndef ERBIUM_ETS_STORE_H
#define ERBIUM_ETS_STORE_H

#include "runtime/ets/ets.h"

/* What the caller holds: one stripe (index) or all of them. */
typedef struct EtsLock {
    int stripe; /* -1: all */
    bool write;
    void *held; /* ordered_set: the base (one key) or route (all) locked */
} EtsLock;

/* The hash of a key in tab (0 for an ordered_set, which has no use for it). */
uint32_t ets_hash_key(const EtsTable *tab, Term key);

/* Asks the cache for the hash bucket of `hash` (no lock needed: it reads no
   object): a caller does so before work it can overlap with the miss. A no-op
   for an ordered_set. */
void ets_store_prefetch(EtsTable *tab, uint32_t hash);

/* key's lock (a hash table picks it by hash, an ordered_set by key). */
void ets_lock_key(EtsTable *tab, Term key, uint32_t hash, bool write, EtsLock *l);
void ets_lock_all(EtsTable *tab, bool write, EtsLock *l);
void ets_unlock(EtsTable *tab, EtsLock *l);

bool ets_store_init(EtsTable *tab);
/* Frees every object and the storage (no lock: nobody can reach the table). */
void ets_store_free(EtsTable *tab);
/* Object count and memory in words; read without a lock (a recent value). */
size_t ets_store_size(EtsTable *tab);
size_t ets_store_memory(EtsTable *tab);
/* The words OTP 25 reports for an empty table of tab's kind and options:
   info(memory) is that plus what the objects take, counted as OTP does. */
size_t ets_table_words(const EtsTable *tab);

/* Calls fn for each object with key (in insertion order for bags) until it returns false. */
typedef bool (*EtsVisit)(void *ctx, EtsObj *o);
void ets_store_each_key(EtsTable *tab, Term key, uint32_t hash, EtsVisit fn, void *ctx);
/* The first object with key, or NULL. */
EtsObj *ets_store_get(EtsTable *tab, Term key, uint32_t hash);
/*
 * Stores o (write lock) with the type's rule: a set replaces the object with
 * the same key, a bag ignores an object equal to one it has, a duplicate_bag
 * appends. Takes o (frees it when ignored).
 */
void ets_store_put(EtsTable *tab, EtsObj *o);
/* Unlinks the objects with key; returns them chained through next, in order. */
EtsObj *ets_store_remove_key(EtsTable *tab, Term key, uint32_t hash);
/* Removes every object equal (=:=) to obj; their count. */
size_t ets_store_remove_obj(EtsTable *tab, Term obj, uint32_t hash);
/*
 * Unlinks every object (under an all-write lock) and returns a handle for
 * ets_store_free_detached, which frees them without any lock, so a big
 * table is emptied at once and freed off the caller's critical path.
 */
void *ets_store_detach_all(EtsTable *tab);
void ets_store_free_detached(EtsTable *tab, void *detached);

/*
 * Iteration in key order (ordered_set) or bucket order (hash tables; there
 * last = first and prev = next, as in OTP). `next` of a key that is not in
 * the table: an ordered_set gives the next greater key; a hash table the
 * first key of a later bucket if the table is fixed, else *missing is set.
 * They return the key (in table memory, valid until the unlock), or
 * THE_NON_VALUE past the end: a tree has it in its leaf, so a walk does
 * not load every object.
 */
Term ets_store_first(EtsTable *tab);
Term ets_store_last(EtsTable *tab);
Term ets_store_next(EtsTable *tab, Term key, bool *missing);
Term ets_store_prev(EtsTable *tab, Term key, bool *missing);

/*
 * A walk over all objects, resumable: a cursor says where to go on (the
 * bucket index for a hash table; for an ordered_set, after the key it holds,
 * or before it walking backwards). fn returns what to do with the object.
 * The walk stops after `budget` objects (0: no limit) and returns true if
 * it reached the end.
 */
/* Orders a key against a probe (<0, 0, >0), monotone in key order. */
typedef int (*KeyCmp)(Term key, Term probe);
typedef enum { ETS_WALK_NEXT, ETS_WALK_STOP, ETS_WALK_DELETE, ETS_WALK_REPLACE } EtsWalkAct;
/* *replace: the object to put in o's place for ETS_WALK_REPLACE (same key). */
typedef EtsWalkAct (*EtsWalkFn)(void *ctx, EtsObj *o, EtsObj **replace);
typedef struct EtsCursor {
    size_t bucket;   /* hash: the next bucket to walk */
    Term key;        /* tree: the last key walked (THE_NON_VALUE: from the start) */
    bool reverse;    /* tree only */
    /* Hash only: walk in OTP's first/next order (a limited select's), each
       key's run newest first, read-only; else in the order of its select. */
    bool chunked;
    bool done;
    /* Set by fn to end the walk: a tree stops after this object, a hash table
       after this bucket (a continuation resumes at a bucket). */
    bool stop;
    /* Tree only: with range_cmp set, the walk visits only keys k with
       range_cmp(k, range) == 0 (a contiguous run in key order). */
    KeyCmp range_cmp;
    Term range;
} EtsCursor;
void ets_store_walk(EtsTable *tab, EtsCursor *c, size_t budget, EtsWalkFn fn, void *ctx);
/*
 * Hash tables only: applies fn, as a walk does, to the objects of the bucket
 * of `hash` (other keys' too), under its key's write lock. So a select_delete
 * or select_replace whose spec binds the key visits one bucket, not the table
 * (an ordered_set walks that key's run instead: EtsCursor.range).
 */
void ets_store_walk_bucket(EtsTable *tab, uint32_t hash, EtsWalkFn fn, void *ctx);
/* Buckets (hash) or objects (tree) for ets:slot/2; objects of slot i. */
size_t ets_store_slots(EtsTable *tab);
void ets_store_slot(EtsTable *tab, size_t i, EtsVisit fn, void *ctx);

/* The hash/tree halves, called by ets_store.c. */
#define ETS_STORE_KIND(pfx)                                                              \
    bool pfx##_init(EtsTable *tab);                                                      \
    void pfx##_free(EtsTable *tab);                                                      \
    size_t pfx##_size(EtsTable *tab);                                                    \
    size_t pfx##_memory(EtsTable *tab);                                                  \
    void pfx##_lock_key(EtsTable *tab, Term key, uint32_t hash, bool write, EtsLock *l); \
    void pfx##_lock_all(EtsTable *tab, bool write, EtsLock *l);                          \
    void pfx##_unlock(EtsTable *tab, EtsLock *l);                                        \
    void pfx##_each_key(EtsTable *tab, Term key, uint32_t hash, EtsVisit fn, void *ctx); \
    EtsObj *pfx##_get(EtsTable *tab, Term key, uint32_t hash);                           \
    void pfx##_put(EtsTable *tab, EtsObj *o);                                            \
    EtsObj *pfx##_remove_key(EtsTable *tab, Term key, uint32_t hash);                    \
    size_t pfx##_remove_obj(EtsTable *tab, Term obj, uint32_t hash);                     \
    void *pfx##_detach_all(EtsTable *tab);                                               \
    void pfx##_free_detached(EtsTable *tab, void *detached);                             \
    Term pfx##_first(EtsTable *tab);                                                     \
    Term pfx##_last(EtsTable *tab);                                                      \
    Term pfx##_next(EtsTable *tab, Term key, bool *missing);                             \
    Term pfx##_prev(EtsTable *tab, Term key, bool *missing);                             \
    void pfx##_walk(EtsTable *tab, EtsCursor *c, size_t budget, EtsWalkFn fn, void *ctx); \
    size_t pfx##_slots(EtsTable *tab);                                                   \
    void pfx##_slot(EtsTable *tab, size_t i, EtsVisit fn, void *ctx);
ETS_STORE_KIND(ets_hash)
ETS_STORE_KIND(ets_tree)
void ets_hash_prefetch(EtsTable *tab, uint32_t hash);
void ets_hash_walk_bucket(EtsTable *tab, uint32_t hash, EtsWalkFn fn, void *ctx);
#undef ETS_STORE_KIND

#endif
