/*
 * ets.h - ETS tables: storage, registry, ownership (the BIFs are bif_ets*.c).
 *
 * A table is an EtsTable found by its id (a reference) or its name through
 * the registry (ets_registry.c), whose maps are read without locks. Tables
 * and retired storage are freed only after thread progress (sched/tp.h): a
 * BIF runs on a scheduler between two progress points, so a table pointer
 * it looked up stays valid until it returns, even if another scheduler
 * deletes the table meanwhile (the table is then marked dead and the call
 * gives badarg as if the table had been gone before it started).
 *
 * Objects are copied into malloc'd EtsObj blocks (term_copy_to; refc
 * binaries take a reference) and copied out onto the caller's heap. Within a
 * table, objects are read under a read lock and changed under a write lock
 * of the lock that guards them: one lock per stripe of hash buckets
 * (ets_hash.c; 32 stripes with write_concurrency, else 1), one lock for an
 * ordered_set (ets_tree.c); a big-reader lock with read_concurrency
 * (ets_lock.h). So an object is freed as soon as it is removed.
 */
#ifndef ERBIUM_ETS_H
#define ERBIUM_ETS_H

#include "runtime/proc/process.h"

#include <pthread.h>
#include <stdatomic.h>

/* ---- objects ---- */

typedef struct EtsObj {
    struct EtsObj *next; /* hash chain (ets_hash.c); unused in a tree */
    uint32_t hash;       /* hash of the key (hash tables) */
    uint32_t words : 30; /* words of data[] */
    uint32_t has_bin : 1; /* data[] holds a binary (its size in info(memory) is OTP's) */
    uint32_t dead : 1;   /* a hash table's stand-in for a key deleted while fixed */
    Term term;           /* the stored tuple, in data[] */
    Term data[];
} EtsObj;

/* A copy of tuple t in its own block (NULL when out of memory or too big). */
EtsObj *ets_obj_new(Term t, uint32_t hash);
void ets_obj_free(EtsObj *o);
/* Copies o's term to hp (o->words words); *plain: it is a tuple of
   immediates, copied word for word (so it holds no off-heap handle to adopt). */
Term ets_obj_copy_out(const EtsObj *o, Term *hp, bool *plain);
/* How many words OTP 25 gives o's binaries beyond what they take here (info(memory)). */
long ets_obj_bin_adjust(const EtsObj *o);
/* Words an object takes, as info(memory) counts it: the data and the three
   words OTP's own object header takes (EtsObj's size) and its binaries as OTP sizes them. */
static inline size_t ets_obj_mem(const EtsObj *o)
{
    return o->words + sizeof(EtsObj) / sizeof(Term) + (o->has_bin ? (size_t)ets_obj_bin_adjust(o) : 0);
}
/* Calls fn for every refc binary (the handle's words) in o. */
void ets_obj_each_refc(const EtsObj *o, void (*fn)(void *ctx, const Term *handle), void *ctx);

/* ---- tables ---- */

typedef enum { ETS_SET, ETS_ORDERED_SET, ETS_BAG, ETS_DUPLICATE_BAG } EtsType;
typedef enum { ETS_PRIVATE, ETS_PROTECTED, ETS_PUBLIC } EtsAccess;
typedef enum { ETS_WC_FALSE, ETS_WC_TRUE, ETS_WC_AUTO } EtsWriteConc;

struct EtsHash;
struct EtsTree;

typedef struct EtsFix {
    struct EtsFix *next;
    Term pid;
    uint64_t count;
} EtsFix;

typedef struct EtsTable {
    uint64_t num;        /* the id reference's number (never reused) */
    Term id_words[3];    /* the id reference, as a term in id_words */
    Term id;
    Term name;           /* atom; changed by rename under the registry lock */
    bool named;
    EtsType type;
    EtsAccess access;
    unsigned keypos;     /* 1-based */
    bool read_conc, decentralized, compressed;
    EtsWriteConc write_conc;
    _Atomic bool alive;
    _Atomic Term owner;  /* pid */
    /* Heir and heir data (Data copied into heir_data, NULL for none); under the registry lock. */
    Term heir;
    EtsObj *heir_data;
    /* Fixations (safe_fixtable) and when the first began: under fix_lock. */
    pthread_mutex_t fix_lock;
    EtsFix *fixes;
    Term fix_time;       /* {MegaSecs, Secs, MicroSecs} kept as three words below */
    int64_t fix_usec;
    _Atomic uint64_t fix_count; /* total fixations: the hash table does not shrink or grow while fixed */
    /* Tables of one owner: a list under the registry lock. */
    struct EtsTable *owner_next, *owner_prev;
    struct EtsHash *hash; /* set, bag, duplicate_bag */
    struct EtsTree *tree; /* ordered_set */
} EtsTable;

/* The key of object tuple t in tab. */
static inline Term ets_key(const EtsTable *tab, Term t) { return tuple_elems(t)[tab->keypos - 1]; }

/* ---- registry (ets_registry.c) ---- */

/* What a lookup found, for the error's cause. */
typedef enum { ETS_OK, ETS_NO_TABLE, ETS_NOT_ID, ETS_NO_ACCESS } EtsFind;
typedef enum { ETS_READ, ETS_WRITE } EtsNeed;

/* The table named or identified by t, if p may read (or write) it; else NULL with *why
   (ETS_NOT_ID: t is neither an atom nor a table reference). */
EtsTable *ets_find(Process *p, Term t, EtsNeed need, EtsFind *why);
/* True if t is an atom or a reference made for a table (alive or not). */
bool ets_is_id(Term t);
/* The live table named or identified by t, without an access check. */
EtsTable *ets_lookup_any(Term t);
/* Registers a new table (owned by p); false when the name is taken. */
bool ets_register(EtsTable *tab, Process *p);
/* Unlinks tab from the registry and its owner and frees it after thread progress.
   False when another call deleted it first. */
bool ets_unregister(EtsTable *tab);
/* Renames a named table; false when the new name is taken. */
bool ets_rename(EtsTable *tab, Term name);
/* Gives tab to pid (alive, not the owner), sending 'ETS-TRANSFER' from p. */
bool ets_give_away(Process *p, EtsTable *tab, Term pid, Term data);
/* Sets the heir (pid or `none`) and its data. */
void ets_set_heir(EtsTable *tab, Term heir, Term data);
/* The ids (or names for named tables) of every table, as a list on p's heap. */
Term ets_all(Process *p);
/* Deletes or hands over (to the heir) every table p owns; p is exiting. */
void ets_process_exit(Process *p);
/* A new table id number. */
uint64_t ets_next_num(void);

/* ---- fixation (ets_registry.c) ---- */
void ets_fix(EtsTable *tab, Term pid, bool on);
/* info(safe_fixed) / info(safe_fixed_monotonic_time): false or {Time, [{Pid, N}]} */
Term ets_fix_info(Process *p, EtsTable *tab, bool monotonic);

/* Runs fn(arg) on the reaper thread (ets_reap.c) once no scheduler can hold what it frees. */
void ets_reap(void (*fn)(void *), void *arg);

/* Storage: ets_store.h (the two kinds behind one interface). */

#endif
