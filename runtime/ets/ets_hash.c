/*
 * ets_hash.c - set, bag and duplicate_bag: open addressing under striped
 * reader-writer locks (see ets_store.h).
 *
 * A key's stripe is its hash mod nstripes (32 with write_concurrency, else
 * 1), and each stripe is a hash table of its own under its own lock: an
 * array of slots probed linearly, grown (doubled) by the one writer that
 * holds that stripe's lock, so writers of different stripes never meet and
 * readers never exclude each other. Each stripe counts its objects and
 * their memory, so no counter is shared by all writers.
 *
 * A slot is one word: the object's address (48 bits) and a 16-bit tag
 * taken from the key's hash. A probe compares tags in the array and loads
 * an object only when its tag matches, so a lookup or insert touches the
 * one object it is about (a chained table loads every object on the chain
 * before it, each a cache miss in a big table). A slot holds the first
 * object of its key; a bag's other objects with that key follow it through
 * `next`, oldest first (the lookup order). A deleted key leaves a
 * tombstone with its tag until the stripe is rebuilt.
 *
 * Iteration goes stripe by stripe, slot by slot; a position is
 * stripe << 40 | slot. A fixed table (safe_fixtable, or a select between
 * slices) must keep every object where it is, so a stripe that fills up
 * while fixed is not rehashed but doubled in place: the old slots keep
 * their places, new keys are placed with the new size, and a search probes
 * with each size the stripe had since its last rehash (newest first). The
 * first write after the table is unfixed rehashes it. `next` of a key
 * deleted from a fixed table goes on after its tombstone.
 */
#include "runtime/ets/ets_store.h"

#include "runtime/ets/ets_lock.h"

#include "runtime/term/term_cmp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STRIPES_WC 32 /* ThreadSanitizer tracks at most 64 locks held at once */
#define INITIAL_SLOTS 64 /* per table, shared out among the stripes (at least 8 each) */
#define POS_SHIFT 40

typedef uint64_t Slot;
#define SLOT_EMPTY 0
#define PTR_BITS 48
#define PTR_MASK ((1ull << PTR_BITS) - 1)
#define TOMB_PTR 1 /* the address part of a tombstone */

typedef struct EtsStripe {
    EtsRw lock;
    size_t count; /* objects; written under the stripe's write lock, read relaxed */
    size_t mem;   /* words of the objects and of the slots added by growing */
    size_t nslots; /* a power of two */
    size_t used;   /* slots not empty (live and tombstones) */
    size_t keys;   /* live slots */
    Slot *slots;
    /* log2 of each size the stripe had since its last rehash, oldest first
       (several only after growing while fixed); the last is nslots's */
    unsigned nsizes;
    uint8_t size_log[48];
} __attribute__((aligned(64))) EtsStripe;

typedef struct EtsHash {
    unsigned nstripes;
    unsigned shift; /* log2(nstripes): the hash bits above pick the slot */
    EtsStripe stripes[];
} EtsHash;

static _Noreturn void out_of_memory(void)
{
    fputs("erbium: out of memory for an ETS table\n", stderr);
    abort();
}

static inline Slot tag_of(uint32_t hash) { return (Slot)((hash * 0x9E3779B1u) >> 16) << PTR_BITS; }
static inline EtsObj *slot_obj(Slot v) { return (EtsObj *)(uintptr_t)(v & PTR_MASK); }

#if defined(__SANITIZE_ADDRESS__)
/* LeakSanitizer finds live objects by plain pointers, and a tagged address is none:
   under AddressSanitizer a live slot holds the bare address (tag 0, so probes compare
   keys) while tombstones keep their tags, so iteration resumes as in other builds. */
static inline Slot live_tag_of(uint32_t hash) { return (void)hash, 0; }
#else
static inline Slot live_tag_of(uint32_t hash) { return tag_of(hash); }
#endif
static inline bool slot_live(Slot v) { return (v & PTR_MASK) > TOMB_PTR; }

static inline Slot mk_slot(EtsObj *o)
{
    if ((uintptr_t)o >> PTR_BITS) out_of_memory(); /* x86-64 and arm64 user addresses fit in 48 bits */
    return live_tag_of(o->hash) | (uintptr_t)o;
}

static size_t initial_slots(const EtsHash *h)
{
    size_t n = INITIAL_SLOTS / h->nstripes;
    return n < 8 ? 8 : n;
}

bool ets_hash_init(EtsTable *tab)
{
    unsigned n = tab->write_conc != ETS_WC_FALSE ? STRIPES_WC : 1;
    EtsHash *h = aligned_alloc(64, (sizeof(EtsHash) + n * sizeof(EtsStripe) + 63) / 64 * 64);
    if (!h) return false;
    h->nstripes = n;
    h->shift = (unsigned)__builtin_ctz(n);
    for (unsigned i = 0; i < n; i++) {
        EtsStripe *s = &h->stripes[i];
        s->count = s->mem = s->used = s->keys = 0;
        s->nslots = initial_slots(h);
        s->nsizes = 1;
        s->size_log[0] = (uint8_t)__builtin_ctzll(s->nslots);
        s->slots = calloc(s->nslots, sizeof(Slot));
        if (!s->slots || !ets_rw_init(&s->lock, tab->read_conc)) {
            free(s->slots);
            while (i-- > 0) {
                ets_rw_destroy(&h->stripes[i].lock);
                free(h->stripes[i].slots);
            }
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

static void free_slots(Slot *slots, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (slot_live(slots[i])) free_chain(slot_obj(slots[i]));
    free(slots);
}

void ets_hash_free(EtsTable *tab)
{
    EtsHash *h = tab->hash;
    for (unsigned i = 0; i < h->nstripes; i++) {
        free_slots(h->stripes[i].slots, h->stripes[i].nslots);
        ets_rw_destroy(&h->stripes[i].lock);
    }
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
       header (EtsObj has three), and the slots added since the table was new
       (rebuild() counts them in the stripes' mem) */
    size_t words = ets_table_words(tab) + ets_hash_size(tab);
    for (unsigned i = 0; i < h->nstripes; i++) words += __atomic_load_n(&h->stripes[i].mem, __ATOMIC_RELAXED);
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
}

void ets_hash_unlock(EtsTable *tab, EtsLock *l)
{
    EtsHash *h = tab->hash;
    if (l->stripe >= 0) {
        ets_rw_unlock(&h->stripes[l->stripe].lock, l->write);
        return;
    }
    for (unsigned i = h->nstripes; i-- > 0;) ets_rw_unlock(&h->stripes[i].lock, l->write);
}

/* ---- slots ---- */

static inline EtsStripe *stripe_of(EtsHash *h, uint32_t hash) { return &h->stripes[hash & (h->nstripes - 1)]; }
static inline size_t home(const EtsHash *h, uint32_t hash, size_t nslots) { return (hash >> h->shift) & (nslots - 1); }

static inline bool same_key(EtsTable *tab, EtsObj *o, Term key, uint32_t hash)
{
    if (o->hash != hash) return false;
    Term k = ets_key(tab, o->term);
    return k == key || term_eq_exact(k, key);
}

/* The slot of key's objects in s, probing as if s had n slots, or -1;
   *free_at (if asked): where an insert would go, the first tombstone or
   empty slot on the probe path. A fixed table's tombstones are not reused:
   `next` of a deleted key goes on after its tombstone. */
static long probe(EtsTable *tab, EtsStripe *s, size_t n, Term key, uint32_t hash, long *free_at)
{
    size_t mask = n - 1, i = home(tab->hash, hash, n);
    Slot tag = live_tag_of(hash);
    long fa = -1;
    /* at most n steps: after an in-place doubling the old sizes' slots may all be taken */
    for (size_t step = 0; step < n; step++, i = (i + 1) & mask) {
        Slot v = s->slots[i];
        if (v == SLOT_EMPTY) break;
        if (!slot_live(v)) {
            if (fa < 0) fa = (long)i;
        } else if ((v & ~PTR_MASK) == tag && same_key(tab, slot_obj(v), key, hash)) {
            return (long)i;
        }
    }
    if (free_at)
        *free_at = fa >= 0 && atomic_load_explicit(&tab->fix_count, memory_order_relaxed) == 0 ? fa : (long)i;
    return -1;
}

/* The slot of key's objects in s, or -1; *free_at as for probe, at the current size. */
static long find_slot(EtsTable *tab, EtsStripe *s, Term key, uint32_t hash, long *free_at)
{
    long i = probe(tab, s, s->nslots, key, hash, free_at);
    for (unsigned k = s->nsizes - 1; i < 0 && k-- > 0;) i = probe(tab, s, (size_t)1 << s->size_log[k], key, hash, NULL);
    return i;
}

static void account(EtsStripe *s, EtsObj *o, int sign)
{
    __atomic_store_n(&s->count, s->count + (size_t)sign, __ATOMIC_RELAXED);
    __atomic_store_n(&s->mem, s->mem + (size_t)sign * ets_obj_mem(o), __ATOMIC_RELAXED);
}

/* Rehashes s into n slots (dropping tombstones); the caller holds its write lock. */
static void rebuild(EtsTable *tab, EtsStripe *s, size_t n)
{
    Slot *ns = calloc(n, sizeof(Slot));
    if (!ns) {
        if (s->used + 1 < s->nslots) return; /* room left: the probes just get longer */
        out_of_memory();
    }
    size_t mask = n - 1;
    for (size_t i = 0; i < s->nslots; i++) {
        /* the hash is in the object: ask for the ones coming next while placing this one */
        if (i + 8 < s->nslots && slot_live(s->slots[i + 8])) __builtin_prefetch(slot_obj(s->slots[i + 8]));
        Slot v = s->slots[i];
        if (!slot_live(v)) continue;
        size_t j = home(tab->hash, slot_obj(v)->hash, n);
        while (ns[j] != SLOT_EMPTY) j = (j + 1) & mask;
        ns[j] = v;
    }
    free(s->slots);
    if (n > s->nslots) __atomic_store_n(&s->mem, s->mem + (n - s->nslots), __ATOMIC_RELAXED);
    s->slots = ns;
    __atomic_store_n(&s->nslots, n, __ATOMIC_RELAXED);
    s->used = s->keys;
    s->nsizes = 1;
    s->size_log[0] = (uint8_t)__builtin_ctzll(n);
}

/* Doubles s keeping every slot where it is (the table is fixed). */
static void grow_in_place(EtsStripe *s)
{
    size_t n = s->nslots * 2;
    Slot *ns = realloc(s->slots, n * sizeof(Slot));
    if (!ns) {
        if (s->used + 1 < s->nslots) return;
        out_of_memory();
    }
    memset(ns + s->nslots, 0, s->nslots * sizeof(Slot));
    __atomic_store_n(&s->mem, s->mem + s->nslots, __ATOMIC_RELAXED);
    s->slots = ns;
    __atomic_store_n(&s->nslots, n, __ATOMIC_RELAXED);
    s->size_log[s->nsizes++] = (uint8_t)__builtin_ctzll(n);
}

/* Keeps s under three quarters full: rehashed (dropping tombstones, doubling
   if need be), or doubled in place while the table is fixed. */
static void make_room(EtsTable *tab, EtsStripe *s)
{
    bool fixed = atomic_load_explicit(&tab->fix_count, memory_order_relaxed) != 0;
    if (fixed) {
        if (s->used * 4 >= s->nslots * 3) grow_in_place(s);
    } else if (s->used * 4 >= s->nslots * 3 || s->nsizes > 1) {
        rebuild(tab, s, s->keys * 8 < s->nslots * 3 ? s->nslots : s->nslots * 2);
    }
}

/* ---- keyed access ---- */

void ets_hash_each_key(EtsTable *tab, Term key, uint32_t hash, EtsVisit fn, void *ctx)
{
    EtsStripe *s = stripe_of(tab->hash, hash);
    long i = find_slot(tab, s, key, hash, NULL);
    if (i < 0) return;
    for (EtsObj *o = slot_obj(s->slots[i]); o; o = o->next)
        if (!fn(ctx, o)) return;
}

EtsObj *ets_hash_get(EtsTable *tab, Term key, uint32_t hash)
{
    EtsStripe *s = stripe_of(tab->hash, hash);
    long i = find_slot(tab, s, key, hash, NULL);
    return i < 0 ? NULL : slot_obj(s->slots[i]);
}

void ets_hash_put(EtsTable *tab, EtsObj *o)
{
    EtsStripe *s = stripe_of(tab->hash, o->hash);
    long fa;
    long i = find_slot(tab, s, ets_key(tab, o->term), o->hash, &fa);
    o->next = NULL;
    if (i >= 0) {
        EtsObj *first = slot_obj(s->slots[i]);
        if (tab->type == ETS_SET) { /* replace in place */
            s->slots[i] = mk_slot(o);
            account(s, first, -1);
            account(s, o, 1);
            ets_obj_free(first);
            return;
        }
        EtsObj *last = first;
        for (EtsObj *e = first; e; last = e, e = e->next) {
            if (tab->type == ETS_BAG && term_eq_exact(e->term, o->term)) {
                ets_obj_free(o);
                return;
            }
        }
        last->next = o;
        account(s, o, 1);
        return;
    }
    if (s->slots[fa] == SLOT_EMPTY) s->used++;
    s->slots[fa] = mk_slot(o);
    s->keys++;
    account(s, o, 1);
    make_room(tab, s);
}

/* Empties slot i of s (its key, of this hash, has no object left). */
static void bury(EtsStripe *s, size_t i, uint32_t hash)
{
    s->slots[i] = tag_of(hash) | TOMB_PTR;
    s->keys--;
}

EtsObj *ets_hash_remove_key(EtsTable *tab, Term key, uint32_t hash)
{
    EtsStripe *s = stripe_of(tab->hash, hash);
    long i = find_slot(tab, s, key, hash, NULL);
    if (i < 0) return NULL;
    EtsObj *first = slot_obj(s->slots[i]);
    for (EtsObj *o = first; o; o = o->next) account(s, o, -1);
    bury(s, (size_t)i, hash);
    return first;
}

size_t ets_hash_remove_obj(EtsTable *tab, Term obj, uint32_t hash)
{
    EtsStripe *s = stripe_of(tab->hash, hash);
    long i = find_slot(tab, s, ets_key(tab, obj), hash, NULL);
    if (i < 0) return 0;
    size_t n = 0;
    EtsObj *head = slot_obj(s->slots[i]), **link = &head;
    while (*link) {
        EtsObj *o = *link;
        if (term_eq_exact(o->term, obj)) {
            *link = o->next;
            account(s, o, -1);
            ets_obj_free(o);
            n++;
        } else {
            link = &o->next;
        }
    }
    if (!head) bury(s, (size_t)i, hash);
    else if (n) s->slots[i] = mk_slot(head);
    return n;
}

typedef struct Detached {
    unsigned n;
    struct {
        Slot *slots;
        size_t nslots;
    } stripe[];
} Detached;

void *ets_hash_detach_all(EtsTable *tab)
{
    EtsHash *h = tab->hash;
    Detached *d = malloc(sizeof *d + h->nstripes * sizeof d->stripe[0]);
    if (!d) out_of_memory();
    d->n = h->nstripes;
    for (unsigned i = 0; i < h->nstripes; i++) {
        EtsStripe *s = &h->stripes[i];
        Slot *fresh = calloc(initial_slots(h), sizeof(Slot));
        if (!fresh) out_of_memory();
        d->stripe[i].slots = s->slots;
        d->stripe[i].nslots = s->nslots;
        s->slots = fresh;
        __atomic_store_n(&s->nslots, initial_slots(h), __ATOMIC_RELAXED);
        __atomic_store_n(&s->count, 0, __ATOMIC_RELAXED);
        __atomic_store_n(&s->mem, 0, __ATOMIC_RELAXED);
        s->used = s->keys = 0;
        s->nsizes = 1;
        s->size_log[0] = (uint8_t)__builtin_ctzll(initial_slots(h));
    }
    return d;
}

void ets_hash_free_detached(EtsTable *tab, void *detached)
{
    (void)tab;
    Detached *d = detached;
    for (unsigned i = 0; i < d->n; i++) free_slots(d->stripe[i].slots, d->stripe[i].nslots);
    free(d);
}

/* ---- iteration (the caller holds every stripe) ---- */

static inline size_t pos_of(unsigned stripe, size_t i) { return (size_t)stripe << POS_SHIFT | i; }

/* The first object in a slot from position pos on. */
static EtsObj *first_from(EtsHash *h, size_t pos)
{
    for (unsigned st = (unsigned)(pos >> POS_SHIFT); st < h->nstripes; st++) {
        EtsStripe *s = &h->stripes[st];
        for (size_t i = st == pos >> POS_SHIFT ? pos & ((1ull << POS_SHIFT) - 1) : 0; i < s->nslots; i++)
            if (slot_live(s->slots[i])) return slot_obj(s->slots[i]);
    }
    return NULL;
}

static Term key_of(const EtsTable *tab, const EtsObj *o) { return o ? ets_key(tab, o->term) : THE_NON_VALUE; }

Term ets_hash_first(EtsTable *tab) { return key_of(tab, first_from(tab->hash, 0)); }
Term ets_hash_last(EtsTable *tab) { return ets_hash_first(tab); }

/* Where a deleted key's tombstone is (the first with its tag on a probe
   path, the newest size first), or its home slot if none is left. */
static size_t grave_of(EtsTable *tab, EtsStripe *s, uint32_t hash)
{
    Slot tomb = tag_of(hash) | TOMB_PTR;
    for (unsigned k = s->nsizes; k-- > 0;) {
        size_t n = (size_t)1 << s->size_log[k], mask = n - 1;
        size_t i = home(tab->hash, hash, n);
        for (size_t step = 0; step < n && s->slots[i] != SLOT_EMPTY; step++, i = (i + 1) & mask)
            if (s->slots[i] == tomb) return i;
    }
    return home(tab->hash, hash, s->nslots);
}

static EtsObj *next_obj(EtsTable *tab, Term key, bool *missing)
{
    EtsHash *h = tab->hash;
    uint32_t hash = ets_hash_key(tab, key);
    EtsStripe *s = stripe_of(h, hash);
    unsigned st = (unsigned)(s - h->stripes);
    long i = find_slot(tab, s, key, hash, NULL);
    *missing = false;
    if (i < 0) {
        if (atomic_load(&tab->fix_count) == 0) {
            *missing = true;
            return NULL;
        }
        i = (long)grave_of(tab, s, hash);
    }
    return first_from(h, pos_of(st, (size_t)i + 1));
}

Term ets_hash_next(EtsTable *tab, Term key, bool *missing) { return key_of(tab, next_obj(tab, key, missing)); }
Term ets_hash_prev(EtsTable *tab, Term key, bool *missing) { return ets_hash_next(tab, key, missing); }

/* Applies fn to each object of slot i of s; false if fn stopped the walk. */
static bool walk_slot(EtsStripe *s, size_t i, size_t *seen, EtsWalkFn fn, void *ctx)
{
    EtsObj *head = slot_obj(s->slots[i]), **link = &head;
    uint32_t hash = head->hash; /* the objects may go: the tombstone needs it */
    bool changed = false, go = true;
    while (*link && go) {
        EtsObj *o = *link, *repl = NULL;
        if (o->next) __builtin_prefetch(o->next);
        (*seen)++;
        switch (fn(ctx, o, &repl)) {
        case ETS_WALK_NEXT: link = &o->next; break;
        case ETS_WALK_STOP: go = false; break;
        case ETS_WALK_DELETE:
            *link = o->next;
            account(s, o, -1);
            ets_obj_free(o);
            changed = true;
            break;
        case ETS_WALK_REPLACE:
            repl->next = o->next;
            *link = repl;
            account(s, o, -1);
            account(s, repl, 1);
            ets_obj_free(o);
            link = &repl->next;
            changed = true;
            break;
        }
    }
    if (!changed) return go; /* a read-locked walk must not write the slot */
    if (!head) bury(s, i, hash);
    else s->slots[i] = mk_slot(head);
    return go;
}

/* How many slots ahead a walk asks for the object (see ets_hash_walk). */
#define PREFETCH_AHEAD 4

void ets_hash_walk(EtsTable *tab, EtsCursor *c, size_t budget, EtsWalkFn fn, void *ctx)
{
    EtsHash *h = tab->hash;
    size_t seen = 0;
    for (unsigned st = (unsigned)(c->bucket >> POS_SHIFT); st < h->nstripes; st++) {
        EtsStripe *s = &h->stripes[st];
        size_t i = st == c->bucket >> POS_SHIFT ? c->bucket & ((1ull << POS_SHIFT) - 1) : 0;
        for (; i < s->nslots; i++) {
            c->bucket = pos_of(st, i);
            if ((budget && seen >= budget) || c->stop) return;
            /* Objects lie scattered in memory: ask for the ones coming next while
               fn works on this one, so the walk waits less on cache misses. */
            if (i + PREFETCH_AHEAD < s->nslots && slot_live(s->slots[i + PREFETCH_AHEAD]))
                __builtin_prefetch(slot_obj(s->slots[i + PREFETCH_AHEAD]));
            if (slot_live(s->slots[i]) && !walk_slot(s, i, &seen, fn, ctx)) {
                c->bucket = pos_of(st, i + 1);
                return;
            }
        }
        c->bucket = pos_of(st + 1, 0);
    }
    c->done = true;
}

size_t ets_hash_slots(EtsTable *tab)
{
    EtsHash *h = tab->hash;
    size_t n = 0;
    for (unsigned i = 0; i < h->nstripes; i++) n += h->stripes[i].nslots;
    return n;
}

void ets_hash_slot(EtsTable *tab, size_t i, EtsVisit fn, void *ctx)
{
    EtsHash *h = tab->hash;
    unsigned st = 0;
    while (i >= h->stripes[st].nslots) i -= h->stripes[st++].nslots;
    EtsStripe *s = &h->stripes[st];
    if (!slot_live(s->slots[i])) return;
    for (EtsObj *o = slot_obj(s->slots[i]); o; o = o->next)
        if (!fn(ctx, o)) return;
}
