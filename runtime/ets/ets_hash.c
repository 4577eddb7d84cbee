/*
 * ets_hash.c - set, bag and duplicate_bag: OTP 25's linear hash table, so
 * that every traversal meets the objects in OTP's order (see ets_store.h).
 *
 * Placement is OTP's, fact for fact:
 *  - a key's hash is OTP's MAKE_HASH (ets_hash_key in ets_store.c);
 *  - buckets 0..nactive-1 are live; a hash picks bucket hash & szm, or
 *    hash & (szm >> 1) when that is not live (linear hashing); a table starts
 *    with 256 buckets and never has fewer;
 *  - a bucket is a chain: a new key goes at its end; a bag's objects of one
 *    key stay together where the key's first object went (OTP keeps them
 *    newest first, this chain oldest first: the walks read a key's run in
 *    the order OTP's would give);
 *  - after an insert of a new object, while objects > nactive (at most five
 *    times), bucket nactive is split off bucket nactive & (szm >> 1) (or 0
 *    when nactive is a power of two, doubling szm), each object keeping its
 *    place relative to the others; after a delete, while objects are fewer
 *    than the shrink limit (at most five times), the top bucket is joined to
 *    its partner, in front of the partner's chain. Neither runs while the
 *    table is fixed, and unfixing does not catch up: later inserts and
 *    deletes do, five steps at a time, as on OTP.
 *  - first/next walk the buckets in lanes (0, S, 2S, ... then 1, S+1, ...;
 *    S is OTP's lock count, 64 with write_concurrency, else 1), each chain
 *    from its start; the walks of select, match and tab2list go exactly the
 *    other way round, as OTP's, which conses each match onto its result.
 *
 * Locks: a key's stripe is hash mod nstripes (32 with write_concurrency,
 * else 1). Since every bucket index keeps the hash's low 8 bits, a bucket,
 * and the two buckets a split or join touches, belong to one stripe. nactive
 * and szm change under that stripe's write lock and a table-wide resizing
 * flag; a reader of another stripe may see them change under it, but its
 * own keys' buckets come out the same either way (as in OTP). Buckets live
 * in segments that never move (segment k >= 1 holds buckets 256 << (k-1) up
 * to 256 << k), so a reader never follows a freed bucket array; segments go
 * only with the table or delete_all_objects.
 *
 * Fixed tables: a key whose last object is deleted while the table is fixed
 * leaves a dead stand-in (a copy marked `dead`) in its place, so `next` of
 * that key goes on from there and a re-insert takes its place, as OTP's
 * pseudo-deleted objects do. The first write to a stripe after the table is
 * unfixed drops the stripe's stand-ins.
 */
#include "runtime/ets/ets_store.h"

#include "runtime/ets/ets_lock.h"

#include "runtime/term/term_cmp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STRIPES_WC 32 /* ThreadSanitizer tracks at most 64 locks held at once */
#define FIRST_BUCKETS 256 /* OTP's FIRST_SEGSZ */
#define NSEGS 25          /* segment 24 ends at bucket 2^31 */
#define OTP_LANES_WC 64   /* OTP's lock count with write_concurrency: its walk stride */
#define OTP_EXT_SEGSZ 2048 /* OTP's extra segments, for info(memory) */
#define OTP_SEGTAB_WORDS 262 /* the segment table OTP allocates with its first extra segment */
#define RESIZE_STEPS 5

typedef struct EtsStripe {
    EtsRw lock;
    size_t count;  /* objects; written under the stripe's write lock, read relaxed */
    size_t mem;    /* words of the objects */
    size_t ghosts; /* dead stand-ins in the stripe's buckets */
} __attribute__((aligned(64))) EtsStripe;

typedef struct EtsHash {
    unsigned nstripes;
    unsigned lanes;
    _Atomic size_t nactive;
    _Atomic size_t szm;
    _Atomic size_t items;  /* objects in all stripes: the grow and shrink trigger */
    _Atomic size_t nslots; /* the buckets OTP would have allocated (info(memory)) */
    _Atomic bool resizing;
    bool all_held; /* a writer holds every stripe (set and read under those locks) */
    _Atomic(EtsObj **) seg[NSEGS];
    EtsStripe stripes[];
} EtsHash;

static _Noreturn void out_of_memory(void)
{
    fputs("erbium: out of memory for an ETS table\n", stderr);
    abort();
}

static inline bool is_fixed(const EtsTable *tab) { return atomic_load_explicit(&tab->fix_count, memory_order_relaxed) != 0; }

/* ---- buckets ---- */

static inline size_t seg_size(unsigned k) { return k == 0 ? FIRST_BUCKETS : (size_t)FIRST_BUCKETS << (k - 1); }
static inline size_t seg_start(unsigned k) { return k == 0 ? 0 : (size_t)FIRST_BUCKETS << (k - 1); }
static inline unsigned seg_of(size_t ix) { return ix < FIRST_BUCKETS ? 0 : (unsigned)(64 - __builtin_clzll(ix >> 8)); }

static inline EtsObj **bucket(EtsHash *h, size_t ix)
{
    unsigned k = seg_of(ix);
    EtsObj **seg = atomic_load_explicit(&h->seg[k], memory_order_acquire);
    return &seg[ix - seg_start(k)];
}

/* OTP's hash_to_ix: szm is read before nactive, and written after it. */
static inline size_t bucket_of(EtsHash *h, uint32_t hash)
{
    size_t szm = atomic_load_explicit(&h->szm, memory_order_acquire);
    size_t ix = hash & szm;
    if (ix >= atomic_load_explicit(&h->nactive, memory_order_acquire)) ix &= szm >> 1;
    return ix;
}

void ets_hash_prefetch(EtsTable *tab, uint32_t hash) { __builtin_prefetch(bucket(tab->hash, bucket_of(tab->hash, hash))); }

static inline EtsStripe *stripe_of(EtsHash *h, uint32_t hash) { return &h->stripes[hash & (h->nstripes - 1)]; }

static void reset_shape(EtsHash *h)
{
    atomic_store_explicit(&h->nactive, FIRST_BUCKETS, memory_order_relaxed);
    atomic_store_explicit(&h->szm, FIRST_BUCKETS - 1, memory_order_relaxed);
    atomic_store_explicit(&h->nslots, FIRST_BUCKETS, memory_order_relaxed);
    atomic_store_explicit(&h->items, 0, memory_order_relaxed);
}

bool ets_hash_init(EtsTable *tab)
{
    unsigned n = tab->write_conc != ETS_WC_FALSE ? STRIPES_WC : 1;
    EtsHash *h = aligned_alloc(64, (sizeof(EtsHash) + n * sizeof(EtsStripe) + 63) / 64 * 64);
    if (!h) return false;
    memset(h, 0, sizeof *h);
    h->nstripes = n;
    h->lanes = tab->write_conc != ETS_WC_FALSE ? OTP_LANES_WC : 1;
    reset_shape(h);
    EtsObj **first = calloc(FIRST_BUCKETS, sizeof(EtsObj *));
    if (!first) {
        free(h);
        return false;
    }
    atomic_store_explicit(&h->seg[0], first, memory_order_relaxed);
    for (unsigned i = 0; i < n; i++) {
        EtsStripe *s = &h->stripes[i];
        s->count = s->mem = s->ghosts = 0;
        if (!ets_rw_init(&s->lock, tab->read_conc)) {
            while (i-- > 0) ets_rw_destroy(&h->stripes[i].lock);
            free(first);
            free(h);
            return false;
        }
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

/* Frees every object in the first `live` buckets, and every segment after the first. */
static void free_buckets(EtsObj **segs[NSEGS], size_t live)
{
    for (unsigned k = 0; k < NSEGS && segs[k]; k++) {
        size_t start = seg_start(k), n = seg_size(k);
        for (size_t i = 0; i < n && start + i < live; i++) free_chain(segs[k][i]);
        if (k > 0) free(segs[k]);
    }
}

static void take_segs(EtsHash *h, EtsObj **segs[NSEGS])
{
    for (unsigned k = 0; k < NSEGS; k++) segs[k] = atomic_load_explicit(&h->seg[k], memory_order_relaxed);
}

void ets_hash_free(EtsTable *tab)
{
    EtsHash *h = tab->hash;
    EtsObj **segs[NSEGS];
    take_segs(h, segs);
    free_buckets(segs, atomic_load(&h->nactive));
    free(segs[0]);
    for (unsigned i = 0; i < h->nstripes; i++) ets_rw_destroy(&h->stripes[i].lock);
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
       header (EtsObj has three), and the bucket segments OTP adds as it grows */
    size_t words = ets_table_words(tab) + ets_hash_size(tab);
    for (unsigned i = 0; i < h->nstripes; i++) words += __atomic_load_n(&h->stripes[i].mem, __ATOMIC_RELAXED);
    size_t slots = atomic_load_explicit(&h->nslots, memory_order_relaxed);
    if (slots > FIRST_BUCKETS) words += slots - FIRST_BUCKETS + OTP_SEGTAB_WORDS;
    return words;
}

/* ---- locks ---- */

void ets_hash_lock_key(EtsTable *tab, Term key, uint32_t hash, bool write, EtsLock *l)
{
    (void)key;
    EtsHash *h = tab->hash;
    l->stripe = (int)(hash & (h->nstripes - 1));
    l->write = write;
    ets_rw_lock(&h->stripes[l->stripe].lock, write);
}

void ets_hash_lock_all(EtsTable *tab, bool write, EtsLock *l)
{
    EtsHash *h = tab->hash;
    l->stripe = -1;
    l->write = write;
    for (unsigned i = 0; i < h->nstripes; i++) ets_rw_lock(&h->stripes[i].lock, write); /* in order: no deadlock */
    if (write) h->all_held = true;
}

void ets_hash_unlock(EtsTable *tab, EtsLock *l)
{
    EtsHash *h = tab->hash;
    if (l->stripe >= 0) {
        ets_rw_unlock(&h->stripes[l->stripe].lock, l->write);
        return;
    }
    if (l->write) h->all_held = false;
    for (unsigned i = h->nstripes; i-- > 0;) ets_rw_unlock(&h->stripes[i].lock, l->write);
}

/* ---- chains ---- */

static inline bool has_key(EtsTable *tab, const EtsObj *o, Term key, uint32_t hash)
{
    if (o->hash != hash) return false;
    Term k = ets_key(tab, o->term);
    return k == key || term_eq_exact(k, key);
}

/* The link to key's first object (live or dead) in its bucket, or NULL;
   *end (if asked): the chain's last link. */
static EtsObj **find(EtsTable *tab, Term key, uint32_t hash, EtsObj ***end)
{
    EtsObj **link = bucket(tab->hash, bucket_of(tab->hash, hash));
    for (; *link; link = &(*link)->next)
        if (has_key(tab, *link, key, hash)) return link;
    if (end) *end = link;
    return NULL;
}

static EtsObj *live_first(EtsTable *tab, Term key, uint32_t hash)
{
    EtsObj **link = find(tab, key, hash, NULL);
    return link && !(*link)->dead ? *link : NULL;
}

static void account(EtsHash *h, EtsStripe *s, EtsObj *o, int sign)
{
    __atomic_store_n(&s->count, s->count + (size_t)sign, __ATOMIC_RELAXED);
    __atomic_store_n(&s->mem, s->mem + (size_t)sign * ets_obj_mem(o), __ATOMIC_RELAXED);
    if (h->nstripes == 1)
        atomic_store_explicit(&h->items, atomic_load_explicit(&h->items, memory_order_relaxed) + (size_t)sign,
                              memory_order_relaxed);
    else
        atomic_fetch_add_explicit(&h->items, (size_t)sign, memory_order_relaxed);
}

/* Unlinks the dead stand-ins from one chain; how many. */
static size_t purge_chain(EtsObj **link)
{
    size_t n = 0;
    while (*link) {
        EtsObj *o = *link;
        if (o->dead) {
            *link = o->next;
            ets_obj_free(o);
            n++;
        } else {
            link = &o->next;
        }
    }
    return n;
}

/* Drops s's stand-ins once the table is no longer fixed (write lock on s). */
static void purge_stripe(EtsTable *tab, EtsStripe *s)
{
    if (s->ghosts == 0 || is_fixed(tab)) return;
    EtsHash *h = tab->hash;
    size_t n = atomic_load_explicit(&h->nactive, memory_order_relaxed);
    for (size_t ix = (size_t)(s - h->stripes); ix < n && s->ghosts; ix += h->nstripes)
        s->ghosts -= purge_chain(bucket(h, ix));
}

/* ---- growing and shrinking ---- */

/* The write lock of bucket ix's stripe for a resize step, unless the
   caller holds it: true if held (*took: taken here). */
static bool lock_for_resize(EtsHash *h, size_t ix, unsigned held, bool *took)
{
    unsigned st = (unsigned)(ix & (h->nstripes - 1));
    *took = false;
    if (h->all_held || st == held) return true;
    /* the caller holds its own stripe: waiting for another could deadlock,
       so a busy stripe postpones the step to a later write (under
       contention only; OTP skips a step then, too) */
    if (!ets_rw_trywrite(&h->stripes[st].lock)) return false;
    *took = true;
    return true;
}

static bool begin_resizing(EtsHash *h)
{
    return !atomic_load_explicit(&h->resizing, memory_order_relaxed) &&
           !atomic_exchange_explicit(&h->resizing, true, memory_order_acquire);
}

static void end_resizing(EtsHash *h) { atomic_store_explicit(&h->resizing, false, memory_order_release); }

/* Makes bucket ix exist (its segment allocated). */
static void ensure_bucket(EtsHash *h, size_t ix)
{
    unsigned k = seg_of(ix);
    if (k >= NSEGS) out_of_memory();
    if (atomic_load_explicit(&h->seg[k], memory_order_relaxed)) return;
    EtsObj **seg = calloc(seg_size(k), sizeof(EtsObj *));
    if (!seg) out_of_memory();
    atomic_store_explicit(&h->seg[k], seg, memory_order_release);
}

/* Moves the objects of bucket `from` whose hash & szm is not `from` to
   bucket `to`, each chain keeping its order. */
static void split(EtsHash *h, size_t from, size_t to, size_t szm)
{
    EtsObj **keep = bucket(h, from), **move = bucket(h, to);
    for (EtsObj *o = *keep; o; o = o->next) {
        if ((o->hash & szm) == from) {
            *keep = o;
            keep = &o->next;
        } else {
            *move = o;
            move = &o->next;
        }
    }
    *keep = NULL;
    *move = NULL;
}

/*
 * Splits go through the low half of the buckets in order, so the buckets
 * the next splits read are known: this asks for the first object of bucket
 * from + 2 and for the second one of bucket from + 1 (whose first came in
 * during the split before), so a split finds most of its chain in the cache
 * instead of waiting on a miss per object. Only while the caller holds the
 * whole table: another stripe's buckets may be changing under it.
 */
static void prefetch_splits(EtsHash *h, EtsObj **from_bucket, size_t from, size_t nactive)
{
    if (h->nstripes != 1 && !h->all_held) return;
    unsigned k = seg_of(from);
    /* the two buckets after `from`, if they are live and in its segment */
    if (from + 2 >= nactive || from + 2 >= seg_start(k) + seg_size(k)) return;
    EtsObj *next = from_bucket[1], *after = from_bucket[2];
    if (next) __builtin_prefetch(next->next);
    if (after) __builtin_prefetch(after);
}

/* OTP's grow(): up to five buckets split off while items > nactive. */
static void grow(EtsTable *tab, unsigned held)
{
    EtsHash *h = tab->hash;
    for (int step = 0; step < RESIZE_STEPS; step++) {
        if (is_fixed(tab) || !begin_resizing(h)) return;
        size_t nactive = atomic_load_explicit(&h->nactive, memory_order_relaxed);
        size_t szm = atomic_load_explicit(&h->szm, memory_order_relaxed);
        if (atomic_load_explicit(&h->items, memory_order_relaxed) <= nactive) {
            end_resizing(h);
            return;
        }
        size_t from = nactive <= szm ? nactive & (szm >> 1) : 0;
        if (nactive > szm) szm = szm << 1 | 1;
        bool took;
        if (!lock_for_resize(h, from, held, &took)) {
            end_resizing(h);
            return;
        }
        if (is_fixed(tab)) { /* fixed meanwhile: objects must stay in their buckets */
            if (took) ets_rw_unlock(&h->stripes[from & (h->nstripes - 1)].lock, true);
            end_resizing(h);
            return;
        }
        ensure_bucket(h, nactive);
        size_t slots = atomic_load_explicit(&h->nslots, memory_order_relaxed);
        if (nactive == slots) atomic_store_explicit(&h->nslots, slots + OTP_EXT_SEGSZ, memory_order_relaxed);
        *bucket(h, nactive) = NULL;
        atomic_store_explicit(&h->nactive, nactive + 1, memory_order_release);
        if (from == 0) atomic_store_explicit(&h->szm, szm, memory_order_release);
        split(h, from, nactive, szm);
        prefetch_splits(h, bucket(h, from), from, nactive);
        if (took) ets_rw_unlock(&h->stripes[from & (h->nstripes - 1)].lock, true);
        end_resizing(h);
    }
}

/* OTP's shrink limit: none until it has three extra segments' worth of
   buckets, then half of all but one segment. */
static size_t shrink_limit(EtsHash *h)
{
    size_t slots = atomic_load_explicit(&h->nslots, memory_order_relaxed);
    size_t min = (h->lanes + OTP_EXT_SEGSZ > FIRST_BUCKETS + 2 * OTP_EXT_SEGSZ) ? h->lanes + OTP_EXT_SEGSZ
                                                                              : FIRST_BUCKETS + 2 * OTP_EXT_SEGSZ;
    return slots >= min ? (slots - OTP_EXT_SEGSZ) / 2 : 0;
}

/* OTP's shrink(): up to five top buckets joined to their partners while
   items < the shrink limit; the top bucket's chain goes in front. */
static void shrink(EtsTable *tab, unsigned held)
{
    EtsHash *h = tab->hash;
    for (int step = 0; step < RESIZE_STEPS; step++) {
        if (is_fixed(tab) || !begin_resizing(h)) return;
        if (!(atomic_load_explicit(&h->items, memory_order_relaxed) < shrink_limit(h))) {
            end_resizing(h);
            return;
        }
        size_t nactive = atomic_load_explicit(&h->nactive, memory_order_relaxed);
        size_t low = atomic_load_explicit(&h->szm, memory_order_relaxed) >> 1;
        size_t src = nactive - 1, dst = src & low;
        bool took;
        if (!lock_for_resize(h, dst, held, &took)) {
            end_resizing(h);
            return;
        }
        EtsStripe *s = &h->stripes[dst & (h->nstripes - 1)];
        if (is_fixed(tab)) {
            if (took) ets_rw_unlock(&s->lock, true);
            end_resizing(h);
            return;
        }
        EtsObj **from = bucket(h, src), *moved = *from;
        *from = NULL;
        atomic_store_explicit(&h->nactive, src, memory_order_release);
        if (dst == 0) atomic_store_explicit(&h->szm, low, memory_order_release);
        size_t slots = atomic_load_explicit(&h->nslots, memory_order_relaxed);
        if (slots - src >= OTP_EXT_SEGSZ) atomic_store_explicit(&h->nslots, slots - OTP_EXT_SEGSZ, memory_order_relaxed);
        if (moved) {
            EtsObj **to = bucket(h, dst), *tail = *to, **link = &moved;
            s->ghosts -= purge_chain(&moved);
            while (*link) link = &(*link)->next;
            *link = tail;
            *to = moved;
        }
        if (took) ets_rw_unlock(&s->lock, true);
        end_resizing(h);
    }
}

static inline unsigned stripe_ix(EtsHash *h, EtsStripe *s) { return (unsigned)(s - h->stripes); }

/* ---- keyed access ---- */

void ets_hash_each_key(EtsTable *tab, Term key, uint32_t hash, EtsVisit fn, void *ctx)
{
    EtsObj *o = live_first(tab, key, hash);
    /* a set has one object per key: the next one on the chain is another
       key's, and loading it only to find that out is a cache miss */
    if (tab->type == ETS_SET) {
        if (o) fn(ctx, o);
        return;
    }
    for (; o && has_key(tab, o, key, hash); o = o->next)
        if (!fn(ctx, o)) return;
}

EtsObj *ets_hash_get(EtsTable *tab, Term key, uint32_t hash) { return live_first(tab, key, hash); }

void ets_hash_put(EtsTable *tab, EtsObj *o)
{
    EtsHash *h = tab->hash;
    EtsStripe *s = stripe_of(h, o->hash);
    Term key = ets_key(tab, o->term);
    purge_stripe(tab, s);
    EtsObj **end, **link = find(tab, key, o->hash, &end);
    if (!link) { /* a new key: at the end of its bucket */
        o->next = NULL;
        *end = o;
    } else if ((*link)->dead) { /* deleted while fixed: back in its place */
        EtsObj *ghost = *link;
        o->next = ghost->next;
        *link = o;
        ets_obj_free(ghost);
        s->ghosts--;
        account(h, s, o, 1);
        return;
    } else if (tab->type == ETS_SET) { /* replaced in place */
        EtsObj *old = *link;
        o->next = old->next;
        *link = o;
        account(h, s, old, -1);
        account(h, s, o, 1);
        ets_obj_free(old);
        return;
    } else { /* after the key's other objects */
        EtsObj **at = link;
        for (; *at && has_key(tab, *at, key, o->hash); at = &(*at)->next) {
            if (tab->type == ETS_BAG && term_eq_exact((*at)->term, o->term)) {
                ets_obj_free(o);
                return;
            }
        }
        o->next = *at;
        *at = o;
    }
    account(h, s, o, 1);
    if (atomic_load_explicit(&h->items, memory_order_relaxed) > atomic_load_explicit(&h->nactive, memory_order_relaxed))
        grow(tab, stripe_ix(h, s));
}

/* Puts a dead copy of o where the key's run was (the table is fixed). */
static void leave_ghost(EtsStripe *s, EtsObj **at, EtsObj *o)
{
    EtsObj *ghost = ets_obj_new(o->term, o->hash);
    if (!ghost) out_of_memory();
    ghost->dead = 1;
    ghost->next = *at;
    *at = ghost;
    s->ghosts++;
}

static void after_delete(EtsTable *tab, EtsStripe *s)
{
    EtsHash *h = tab->hash;
    if (atomic_load_explicit(&h->items, memory_order_relaxed) < shrink_limit(h)) shrink(tab, stripe_ix(h, s));
}

EtsObj *ets_hash_remove_key(EtsTable *tab, Term key, uint32_t hash)
{
    EtsHash *h = tab->hash;
    EtsStripe *s = stripe_of(h, hash);
    purge_stripe(tab, s);
    EtsObj **link = find(tab, key, hash, NULL);
    if (!link || (*link)->dead) return NULL;
    EtsObj *first = *link, *last = first;
    account(h, s, first, -1);
    while (last->next && has_key(tab, last->next, key, hash)) {
        last = last->next;
        account(h, s, last, -1);
    }
    *link = last->next;
    last->next = NULL;
    if (is_fixed(tab)) leave_ghost(s, link, first);
    else after_delete(tab, s);
    return first;
}

size_t ets_hash_remove_obj(EtsTable *tab, Term obj, uint32_t hash)
{
    EtsHash *h = tab->hash;
    EtsStripe *s = stripe_of(h, hash);
    Term key = ets_key(tab, obj);
    purge_stripe(tab, s);
    EtsObj **start = find(tab, key, hash, NULL), **link = start;
    if (!start || (*start)->dead) return 0;
    size_t n = 0, left = 0;
    EtsObj *keep = NULL; /* a removed object, to stand in if none is left */
    while (*link && has_key(tab, *link, key, hash)) {
        EtsObj *o = *link;
        if (term_eq_exact(o->term, obj)) {
            *link = o->next;
            account(h, s, o, -1);
            if (!keep && is_fixed(tab)) keep = o;
            else ets_obj_free(o);
            n++;
        } else {
            link = &o->next;
            left++;
        }
    }
    if (keep) {
        if (!left) leave_ghost(s, start, keep);
        ets_obj_free(keep);
    }
    if (n && !is_fixed(tab)) after_delete(tab, s);
    return n;
}

typedef struct Detached {
    EtsObj **segs[NSEGS];
    size_t nactive;
} Detached;

void *ets_hash_detach_all(EtsTable *tab)
{
    EtsHash *h = tab->hash;
    Detached *d = malloc(sizeof *d);
    EtsObj **first = calloc(FIRST_BUCKETS, sizeof(EtsObj *));
    if (!d || !first) out_of_memory();
    take_segs(h, d->segs);
    d->nactive = atomic_load(&h->nactive);
    for (unsigned k = 0; k < NSEGS; k++) atomic_store_explicit(&h->seg[k], NULL, memory_order_relaxed);
    atomic_store_explicit(&h->seg[0], first, memory_order_release);
    reset_shape(h);
    for (unsigned i = 0; i < h->nstripes; i++) {
        EtsStripe *s = &h->stripes[i];
        __atomic_store_n(&s->count, 0, __ATOMIC_RELAXED);
        __atomic_store_n(&s->mem, 0, __ATOMIC_RELAXED);
        s->ghosts = 0;
    }
    return d;
}

void ets_hash_free_detached(EtsTable *tab, void *detached)
{
    (void)tab;
    Detached *d = detached;
    free_buckets(d->segs, d->nactive);
    free(d->segs[0]);
    free(d);
}

/* ---- iteration (the caller holds every stripe) ---- */

/* The bucket after ix in OTP's walk order (lane by lane), or nactive at the end. */
static size_t next_bucket(const EtsHash *h, size_t ix, size_t nactive)
{
    if (ix + h->lanes < nactive) return ix + h->lanes;
    size_t lane = ix % h->lanes + 1;
    return lane < h->lanes && lane < nactive ? lane : nactive;
}

/* The bucket before ix in that order (ix == nactive: the last one), or SIZE_MAX before the first. */
static size_t prev_bucket(const EtsHash *h, size_t ix, size_t nactive)
{
    size_t lane;
    if (ix < nactive) {
        if (ix >= h->lanes) return ix - h->lanes;
        if (ix == 0) return SIZE_MAX;
        lane = ix - 1;
    } else {
        lane = h->lanes - 1;
    }
    return lane + (nactive - 1 - lane) / h->lanes * h->lanes;
}

static EtsObj *live_from(EtsObj *o)
{
    while (o && o->dead) o = o->next;
    return o;
}

/* The first live object from bucket ix on, in walk order. */
static EtsObj *first_from(EtsHash *h, size_t ix)
{
    size_t n = atomic_load_explicit(&h->nactive, memory_order_relaxed);
    for (; ix < n; ix = next_bucket(h, ix, n)) {
        EtsObj *o = live_from(*bucket(h, ix));
        if (o) return o;
    }
    return NULL;
}

static Term key_of(const EtsTable *tab, const EtsObj *o) { return o ? ets_key(tab, o->term) : THE_NON_VALUE; }

Term ets_hash_first(EtsTable *tab) { return key_of(tab, first_from(tab->hash, 0)); }
Term ets_hash_last(EtsTable *tab) { return ets_hash_first(tab); }

Term ets_hash_next(EtsTable *tab, Term key, bool *missing)
{
    EtsHash *h = tab->hash;
    uint32_t hash = ets_hash_key(tab, key);
    EtsObj **link = find(tab, key, hash, NULL);
    *missing = false;
    /* a stand-in counts only while the table is fixed (OTP has purged it at the unfix) */
    if (!link || ((*link)->dead && !is_fixed(tab))) {
        *missing = true;
        return THE_NON_VALUE;
    }
    EtsObj *o = *link;
    while (o && has_key(tab, o, key, hash)) o = o->next;
    o = live_from(o);
    if (o) return key_of(tab, o);
    size_t n = atomic_load_explicit(&h->nactive, memory_order_relaxed);
    return key_of(tab, first_from(h, next_bucket(h, bucket_of(h, hash), n)));
}

Term ets_hash_prev(EtsTable *tab, Term key, bool *missing) { return ets_hash_next(tab, key, missing); }

/*
 * Applies fn to the objects of bucket ix in the select order: the key runs
 * from the chain's end back to its start, each run's objects oldest first.
 * Returns false if fn stopped the walk.
 */
#define RUNS_INLINE 32
static bool walk_bucket(EtsTable *tab, EtsStripe *s, EtsObj **head, size_t *seen, EtsWalkFn fn, void *ctx)
{
    /* where each run starts (the link to its first object) and its length:
       a run's links lie in the run before it, which is walked later */
    EtsObj ***starts, **inline_starts[RUNS_INLINE];
    size_t *lens, inline_lens[RUNS_INLINE], nruns = 0, cap = RUNS_INLINE;
    starts = inline_starts;
    lens = inline_lens;
    for (EtsObj **link = head; *link;) {
        EtsObj *first = *link;
        size_t len = 0;
        EtsObj **at = link;
        Term key = ets_key(tab, first->term);
        for (; *at && has_key(tab, *at, key, first->hash); at = &(*at)->next) len++;
        if (nruns == cap) {
            cap *= 2;
            EtsObj ***ns = malloc(cap * sizeof *ns);
            size_t *nl = malloc(cap * sizeof *nl);
            if (!ns || !nl) out_of_memory();
            memcpy(ns, starts, nruns * sizeof *ns);
            memcpy(nl, lens, nruns * sizeof *nl);
            if (starts != inline_starts) {
                free(starts);
                free(lens);
            }
            starts = ns;
            lens = nl;
        }
        starts[nruns] = link;
        lens[nruns++] = first->dead ? 0 : len;
        link = at;
    }
    bool go = true;
    for (size_t r = nruns; r-- > 0 && go;) {
        EtsObj **link = starts[r];
        bool emptied = true;
        for (size_t i = 0; i < lens[r] && go; i++) {
            EtsObj *o = *link, *repl = NULL;
            (*seen)++;
            switch (fn(ctx, o, &repl)) {
            case ETS_WALK_NEXT: link = &o->next; emptied = false; break;
            case ETS_WALK_STOP: go = false; emptied = false; break;
            case ETS_WALK_DELETE:
                *link = o->next;
                account(tab->hash, s, o, -1);
                if (is_fixed(tab) && i + 1 == lens[r] && emptied) {
                    /* the key's last object: a stand-in keeps its place */
                    leave_ghost(s, link, o);
                }
                ets_obj_free(o);
                break;
            case ETS_WALK_REPLACE:
                repl->next = o->next;
                *link = repl;
                account(tab->hash, s, o, -1);
                account(tab->hash, s, repl, 1);
                ets_obj_free(o);
                link = &repl->next;
                emptied = false;
                break;
            }
        }
    }
    if (starts != inline_starts) {
        free(starts);
        free(lens);
    }
    return go;
}

/* Applies fn (read-only) to bucket ix's objects in chain order, each key's
   run newest first (OTP's chain order); false if fn stopped the walk. */
static bool walk_bucket_forward(EtsTable *tab, EtsObj *o, size_t *seen, EtsWalkFn fn, void *ctx)
{
    EtsObj *inline_run[RUNS_INLINE], **run = inline_run;
    size_t cap = RUNS_INLINE;
    bool go = true;
    while (o && go) {
        size_t n = 0;
        Term key = ets_key(tab, o->term);
        uint32_t hash = o->hash;
        for (; o && has_key(tab, o, key, hash); o = o->next) {
            if (o->dead) continue;
            if (n == cap) {
                EtsObj **bigger = malloc(2 * cap * sizeof *bigger);
                if (!bigger) out_of_memory();
                memcpy(bigger, run, n * sizeof *run);
                if (run != inline_run) free(run);
                run = bigger;
                cap *= 2;
            }
            run[n++] = o;
        }
        while (n > 0 && go) {
            EtsObj *repl = NULL;
            (*seen)++;
            go = fn(ctx, run[--n], &repl) != ETS_WALK_STOP;
        }
    }
    if (run != inline_run) free(run);
    return go;
}

static void walk_forward(EtsTable *tab, EtsCursor *c, size_t budget, EtsWalkFn fn, void *ctx)
{
    EtsHash *h = tab->hash;
    size_t n = atomic_load_explicit(&h->nactive, memory_order_relaxed), seen = 0;
    for (size_t ix = c->bucket == 0 ? 0 : c->bucket - 1; ix < n; ix = next_bucket(h, ix, n)) {
        c->bucket = ix + 1;
        if ((budget && seen >= budget) || c->stop) return;
        if (!walk_bucket_forward(tab, *bucket(h, ix), &seen, fn, ctx)) {
            size_t next = next_bucket(h, ix, n);
            if (next >= n) c->done = true;
            else c->bucket = next + 1;
            return;
        }
    }
    c->done = true;
}

/* How many buckets ahead a walk asks for the chain (see ets_hash_walk). */
#define PREFETCH_AHEAD 4

/* The cursor of a hash walk holds 0 before the start, else 1 + the next bucket. */
void ets_hash_walk(EtsTable *tab, EtsCursor *c, size_t budget, EtsWalkFn fn, void *ctx)
{
    if (c->chunked) {
        walk_forward(tab, c, budget, fn, ctx);
        return;
    }
    EtsHash *h = tab->hash;
    size_t n = atomic_load_explicit(&h->nactive, memory_order_relaxed), seen = 0, before = ets_hash_size(tab);
    size_t ix = c->bucket == 0 ? prev_bucket(h, n, n) : c->bucket - 1;
    if (ix != SIZE_MAX && ix >= n) ix = prev_bucket(h, n, n); /* the table shrank: go on from its end */
    for (; ix != SIZE_MAX; ix = prev_bucket(h, ix, n)) {
        c->bucket = ix + 1;
        if ((budget && seen >= budget) || c->stop) goto out;
        /* Objects lie scattered in memory: ask for the chains coming next
           while fn works on this one, so the walk waits less on cache misses. */
        if (ix >= PREFETCH_AHEAD * h->lanes) {
            EtsObj *ahead = *bucket(h, ix - PREFETCH_AHEAD * h->lanes);
            if (ahead) __builtin_prefetch(ahead);
        }
        EtsObj **head = bucket(h, ix);
        if (!*head) continue;
        EtsStripe *s = &h->stripes[ix & (h->nstripes - 1)];
        if (!walk_bucket(tab, s, head, &seen, fn, ctx)) {
            size_t p = prev_bucket(h, ix, n);
            if (p == SIZE_MAX) c->done = true;
            else c->bucket = p + 1;
            goto out;
        }
    }
    c->done = true;
out:
    if (ets_hash_size(tab) < before && !is_fixed(tab)) after_delete(tab, &h->stripes[0]);
}

void ets_hash_walk_bucket(EtsTable *tab, uint32_t hash, EtsWalkFn fn, void *ctx)
{
    EtsHash *h = tab->hash;
    EtsStripe *s = stripe_of(h, hash);
    size_t seen = 0, before = ets_hash_size(tab);
    purge_stripe(tab, s);
    walk_bucket(tab, s, bucket(h, bucket_of(h, hash)), &seen, fn, ctx);
    if (ets_hash_size(tab) < before && !is_fixed(tab)) after_delete(tab, s);
}

size_t ets_hash_slots(EtsTable *tab) { return atomic_load_explicit(&tab->hash->nactive, memory_order_relaxed); }

typedef struct SlotVisit {
    EtsVisit fn;
    void *ctx;
    bool stopped;
} SlotVisit;

static EtsWalkAct slot_visit(void *ctx, EtsObj *o, EtsObj **replace)
{
    (void)replace;
    SlotVisit *v = ctx;
    if (v->stopped || !v->fn(v->ctx, o)) {
        v->stopped = true;
        return ETS_WALK_STOP;
    }
    return ETS_WALK_NEXT;
}

void ets_hash_slot(EtsTable *tab, size_t i, EtsVisit fn, void *ctx)
{
    EtsHash *h = tab->hash;
    if (i >= atomic_load_explicit(&h->nactive, memory_order_relaxed)) return;
    SlotVisit v = {fn, ctx, false};
    size_t seen = 0;
    walk_bucket(tab, &h->stripes[i & (h->nstripes - 1)], bucket(h, i), &seen, slot_visit, &v);
}
