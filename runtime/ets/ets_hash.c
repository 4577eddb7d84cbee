/*
 * ets_hash.c - set, bag and duplicate_bag: a chained hash table under
 * striped reader-writer locks (see ets_store.h).
 *
 * Bucket b is guarded by stripe b mod nstripes. Both counts are powers of
 * two and the bucket count only grows, so a key's stripe (its hash mod
 * nstripes) never changes: ets_lock_key is taken before looking at the
 * bucket array, and growing takes every stripe. A table with
 * write_concurrency has 32 stripes, so writers of different keys rarely
 * meet; readers never exclude each other. Each stripe counts its objects
 * and their memory, so no counter is shared by all writers.
 *
 * Objects with one key are adjacent in their chain, oldest first (a bag's
 * lookup order). The table grows when a stripe's share passes two objects
 * per bucket, but not while it is fixed (safe_fixtable), so a fixed table's
 * buckets keep their order and `next` of a deleted key goes on from its
 * bucket.
 */
#include "runtime/ets/ets_store.h"

#include "runtime/ets/ets_lock.h"

#include "runtime/term/term_cmp.h"

#include <stdio.h>
#include <stdlib.h>

#define STRIPES_WC 32 /* ThreadSanitizer tracks at most 64 locks held at once */
#define INITIAL_BUCKETS 64
#define LOAD 1

typedef struct EtsStripe {
    EtsRw lock;
    size_t count; /* written under the stripe's write lock; read relaxed */
    size_t mem;
    /* Past this count a writer checks whether the table should grow; raised
       after a check that did not grow, so a skewed stripe does not take every
       lock on each write. */
    size_t check_at;
} __attribute__((aligned(64))) EtsStripe;

typedef struct EtsHash {
    unsigned nstripes;
    size_t nbuckets;
    EtsObj **buckets;
    EtsStripe stripes[];
} EtsHash;

static _Noreturn void out_of_memory(void)
{
    fputs("erbium: out of memory for an ETS table\n", stderr);
    abort();
}

bool ets_hash_init(EtsTable *tab)
{
    unsigned n = tab->write_conc != ETS_WC_FALSE ? STRIPES_WC : 1;
    EtsHash *h = aligned_alloc(64, (sizeof(EtsHash) + n * sizeof(EtsStripe) + 63) / 64 * 64);
    if (!h) return false;
    h->nstripes = n;
    h->nbuckets = INITIAL_BUCKETS;
    h->buckets = calloc(INITIAL_BUCKETS, sizeof(EtsObj *));
    if (!h->buckets) {
        free(h);
        return false;
    }
    for (unsigned i = 0; i < n; i++) {
        if (!ets_rw_init(&h->stripes[i].lock, tab->read_conc)) {
            while (i-- > 0) ets_rw_destroy(&h->stripes[i].lock);
            free(h->buckets);
            free(h);
            return false;
        }
        h->stripes[i].count = h->stripes[i].mem = 0;
        h->stripes[i].check_at = LOAD * INITIAL_BUCKETS / n + 1;
    }
    tab->hash = h;
    return true;
}

static void free_chain(EtsObj *o)
{
    while (o) {
        EtsObj *next = o->next;
        ets_obj_free(o);
        o = next;
    }
}

void ets_hash_free(EtsTable *tab)
{
    EtsHash *h = tab->hash;
    for (size_t b = 0; b < h->nbuckets; b++) free_chain(h->buckets[b]);
    for (unsigned i = 0; i < h->nstripes; i++) ets_rw_destroy(&h->stripes[i].lock);
    free(h->buckets);
    free(h);
    tab->hash = NULL;
}

size_t ets_hash_size(EtsTable *tab)
{
    EtsHash *h = tab->hash;
    size_t n = 0;
    for (unsigned i = 0; i < h->nstripes; i++) n += __atomic_load_n(&h->stripes[i].count, __ATOMIC_RELAXED);
    return n;
}

size_t ets_hash_memory(EtsTable *tab)
{
    EtsHash *h = tab->hash;
    /* as OTP counts: its empty table, each object with four words of its own
       header (EtsObj has three), and the buckets added since the table was new
       (grow() counts them in the stripes' mem) */
    size_t words = ets_table_words(tab) + ets_hash_size(tab);
    for (unsigned i = 0; i < h->nstripes; i++) words += __atomic_load_n(&h->stripes[i].mem, __ATOMIC_RELAXED);
    return words;
}

/* ---- locks ---- */

static void lock_stripe(EtsStripe *s, bool write) { ets_rw_lock(&s->lock, write); }

void ets_hash_lock_key(EtsTable *tab, Term key, uint32_t hash, bool write, EtsLock *l)
{
    (void)key;
    EtsHash *h = tab->hash;
    l->stripe = (int)(hash & (h->nstripes - 1));
    l->write = write;
    lock_stripe(&h->stripes[l->stripe], write);
}

void ets_hash_lock_all(EtsTable *tab, bool write, EtsLock *l)
{
    EtsHash *h = tab->hash;
    l->stripe = -1;
    l->write = write;
    for (unsigned i = 0; i < h->nstripes; i++) lock_stripe(&h->stripes[i], write); /* in order: no deadlock */
}

static void grow(EtsTable *tab);

void ets_hash_unlock(EtsTable *tab, EtsLock *l)
{
    EtsHash *h = tab->hash;
    bool check_grow = false;
    if (l->stripe >= 0) {
        EtsStripe *s = &h->stripes[l->stripe];
        check_grow = l->write && s->count > s->check_at;
        ets_rw_unlock(&s->lock, l->write);
    } else {
        for (unsigned i = h->nstripes; i-- > 0;) ets_rw_unlock(&h->stripes[i].lock, l->write);
    }
    if (check_grow && atomic_load_explicit(&tab->fix_count, memory_order_relaxed) == 0) grow(tab);
}

/* ---- growing ---- */

/* Doubles the buckets while the table is over its load (all stripes held). */
static void grow(EtsTable *tab)
{
    EtsHash *h = tab->hash;
    EtsLock all;
    ets_hash_lock_all(tab, true, &all);
    size_t count = 0;
    for (unsigned i = 0; i < h->nstripes; i++) count += h->stripes[i].count;
    if (count > LOAD * h->nbuckets && atomic_load(&tab->fix_count) == 0) {
        size_t n = h->nbuckets * 2;
        EtsObj **nb = calloc(n, sizeof(EtsObj *));
        EtsObj **tails = calloc(n, sizeof(EtsObj *));
        if (nb && tails) {
            /* Each old bucket splits in two; walking in order keeps same-key objects in order. */
            for (size_t b = 0; b < h->nbuckets; b++) {
                for (EtsObj *o = h->buckets[b], *next; o; o = next) {
                    next = o->next;
                    size_t d = o->hash & (n - 1);
                    o->next = NULL;
                    if (tails[d]) tails[d]->next = o;
                    else nb[d] = o;
                    tails[d] = o;
                }
            }
            free(h->buckets);
            h->buckets = nb;
            for (unsigned i = 0; i < h->nstripes; i++) h->stripes[i].mem += (n - h->nbuckets) / h->nstripes;
            __atomic_store_n(&h->nbuckets, n, __ATOMIC_RELAXED);
        } else {
            free(nb); /* no memory to grow: chains just get longer */
        }
        free(tails);
    }
    for (unsigned i = 0; i < h->nstripes; i++) {
        EtsStripe *s = &h->stripes[i];
        size_t share = LOAD * h->nbuckets / h->nstripes + 1;
        s->check_at = s->count >= share ? s->count * 2 + 2 : share;
    }
    ets_hash_unlock(tab, &all);
}

/* ---- keyed access ---- */

static inline EtsStripe *stripe_of(EtsHash *h, uint32_t hash) { return &h->stripes[hash & (h->nstripes - 1)]; }
static inline EtsObj **bucket_of(EtsHash *h, uint32_t hash) { return &h->buckets[hash & (h->nbuckets - 1)]; }

static inline bool same_key(EtsTable *tab, EtsObj *o, Term key, uint32_t hash)
{
    if (o->hash != hash) return false;
    Term k = ets_key(tab, o->term);
    return k == key || term_eq_exact(k, key);
}

/* The link that points at the first object with key (or at the chain's end). */
static EtsObj **find_link(EtsTable *tab, Term key, uint32_t hash)
{
    EtsObj **link = bucket_of(tab->hash, hash);
    while (*link && !same_key(tab, *link, key, hash)) link = &(*link)->next;
    return link;
}

void ets_hash_each_key(EtsTable *tab, Term key, uint32_t hash, EtsVisit fn, void *ctx)
{
    for (EtsObj *o = *find_link(tab, key, hash); o && same_key(tab, o, key, hash); o = o->next)
        if (!fn(ctx, o)) return;
}

EtsObj *ets_hash_get(EtsTable *tab, Term key, uint32_t hash) { return *find_link(tab, key, hash); }

static void account(EtsHash *h, EtsObj *o, int sign)
{
    EtsStripe *s = stripe_of(h, o->hash);
    __atomic_store_n(&s->count, s->count + (size_t)sign, __ATOMIC_RELAXED);
    __atomic_store_n(&s->mem, s->mem + (size_t)sign * ets_obj_mem(o), __ATOMIC_RELAXED);
}

void ets_hash_put(EtsTable *tab, EtsObj *o)
{
    EtsHash *h = tab->hash;
    Term key = ets_key(tab, o->term);
    EtsObj **link = find_link(tab, key, o->hash);
    if (tab->type == ETS_SET) {
        if (*link) { /* replace in place */
            EtsObj *old = *link;
            o->next = old->next;
            *link = o;
            account(h, old, -1);
            account(h, o, 1);
            ets_obj_free(old);
            return;
        }
    } else {
        for (; *link && same_key(tab, *link, key, o->hash); link = &(*link)->next) {
            if (tab->type == ETS_BAG && term_eq_exact((*link)->term, o->term)) {
                ets_obj_free(o);
                return;
            }
        }
    }
    o->next = *link;
    *link = o;
    account(h, o, 1);
}

EtsObj *ets_hash_remove_key(EtsTable *tab, Term key, uint32_t hash)
{
    EtsHash *h = tab->hash;
    EtsObj **link = find_link(tab, key, hash);
    EtsObj *first = *link, *last = NULL;
    for (EtsObj *o = first; o && same_key(tab, o, key, hash); o = o->next) {
        account(h, o, -1);
        last = o;
    }
    if (!last) return NULL;
    *link = last->next;
    last->next = NULL;
    return first;
}

size_t ets_hash_remove_obj(EtsTable *tab, Term obj, uint32_t hash)
{
    EtsHash *h = tab->hash;
    Term key = ets_key(tab, obj);
    size_t n = 0;
    EtsObj **link = find_link(tab, key, hash);
    while (*link && same_key(tab, *link, key, hash)) {
        EtsObj *o = *link;
        if (term_eq_exact(o->term, obj)) {
            *link = o->next;
            account(h, o, -1);
            ets_obj_free(o);
            n++;
        } else {
            link = &o->next;
        }
    }
    return n;
}

typedef struct Detached {
    EtsObj **buckets;
    size_t nbuckets;
} Detached;

void *ets_hash_detach_all(EtsTable *tab)
{
    EtsHash *h = tab->hash;
    Detached *d = malloc(sizeof *d);
    EtsObj **fresh = calloc(INITIAL_BUCKETS, sizeof(EtsObj *));
    if (!d || !fresh) out_of_memory();
    d->buckets = h->buckets;
    d->nbuckets = h->nbuckets;
    h->buckets = fresh;
    __atomic_store_n(&h->nbuckets, INITIAL_BUCKETS, __ATOMIC_RELAXED);
    for (unsigned i = 0; i < h->nstripes; i++) {
        __atomic_store_n(&h->stripes[i].count, 0, __ATOMIC_RELAXED);
        __atomic_store_n(&h->stripes[i].mem, 0, __ATOMIC_RELAXED);
        h->stripes[i].check_at = LOAD * INITIAL_BUCKETS / h->nstripes + 1;
    }
    return d;
}

void ets_hash_free_detached(EtsTable *tab, void *detached)
{
    (void)tab;
    Detached *d = detached;
    for (size_t b = 0; b < d->nbuckets; b++) free_chain(d->buckets[b]);
    free(d->buckets);
    free(d);
}

/* ---- iteration ---- */

/* The first object in a bucket from b on (the caller holds all stripes). */
static EtsObj *first_from(EtsHash *h, size_t b)
{
    for (; b < h->nbuckets; b++)
        if (h->buckets[b]) return h->buckets[b];
    return NULL;
}

static Term key_of(const EtsTable *tab, const EtsObj *o) { return o ? ets_key(tab, o->term) : THE_NON_VALUE; }

Term ets_hash_first(EtsTable *tab) { return key_of(tab, first_from(tab->hash, 0)); }
Term ets_hash_last(EtsTable *tab) { return ets_hash_first(tab); }

static EtsObj *next_obj(EtsTable *tab, Term key, bool *missing)
{
    EtsHash *h = tab->hash;
    uint32_t hash = ets_hash_key(tab, key);
    EtsObj *o = *find_link(tab, key, hash);
    *missing = false;
    if (!o) {
        if (atomic_load(&tab->fix_count) == 0) {
            *missing = true;
            return NULL;
        }
        return first_from(h, (hash & (h->nbuckets - 1)) + 1);
    }
    while (o && same_key(tab, o, key, hash)) o = o->next;
    return o ? o : first_from(h, (hash & (h->nbuckets - 1)) + 1);
}

Term ets_hash_next(EtsTable *tab, Term key, bool *missing) { return key_of(tab, next_obj(tab, key, missing)); }
Term ets_hash_prev(EtsTable *tab, Term key, bool *missing) { return ets_hash_next(tab, key, missing); }

/* How many buckets ahead a walk asks for the first object (see ets_hash_walk). */
#define PREFETCH_AHEAD 4

void ets_hash_walk(EtsTable *tab, EtsCursor *c, size_t budget, EtsWalkFn fn, void *ctx)
{
    EtsHash *h = tab->hash;
    size_t seen = 0;
    for (; c->bucket < h->nbuckets; c->bucket++) {
        if ((budget && seen >= budget) || c->stop) return;
        /* Objects lie scattered in memory: ask for the ones coming next while
           fn works on this one, so the walk waits less on cache misses. */
        if (c->bucket + PREFETCH_AHEAD < h->nbuckets && h->buckets[c->bucket + PREFETCH_AHEAD])
            __builtin_prefetch(h->buckets[c->bucket + PREFETCH_AHEAD]);
        EtsObj **link = &h->buckets[c->bucket];
        while (*link) {
            EtsObj *o = *link, *repl = NULL;
            if (o->next) __builtin_prefetch(o->next);
            seen++;
            switch (fn(ctx, o, &repl)) {
            case ETS_WALK_NEXT: link = &o->next; break;
            case ETS_WALK_STOP: c->bucket++; return;
            case ETS_WALK_DELETE:
                *link = o->next;
                account(h, o, -1);
                ets_obj_free(o);
                break;
            case ETS_WALK_REPLACE:
                repl->next = o->next;
                *link = repl;
                account(h, o, -1);
                account(h, repl, 1);
                ets_obj_free(o);
                link = &repl->next;
                break;
            }
        }
    }
    c->done = true;
}

size_t ets_hash_slots(EtsTable *tab) { return tab->hash->nbuckets; }

void ets_hash_slot(EtsTable *tab, size_t i, EtsVisit fn, void *ctx)
{
    for (EtsObj *o = tab->hash->buckets[i]; o; o = o->next)
        if (!fn(ctx, o)) return;
}
