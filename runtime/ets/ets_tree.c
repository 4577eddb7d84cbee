/*
 * ets_tree.c - ordered_set: B+trees in term order of the keys (==, so 1
 * and 1.0 are one key), each under a reader-writer lock of its own: one
 * for the whole table, or with write_concurrency as many as contention
 * calls for (a contention-adapting tree: see "contention adaptation").
 *
 * Leaves hold up to LEAF_CAP (key, object) pairs side by side and are
 * chained both ways, so first/next/prev/last and walks move along arrays
 * instead of chasing one node per object; inner nodes hold separators and
 * children. A search compares against about log2(n) keys like a balanced
 * binary tree but touches a handful of cache-friendly nodes. Keys are
 * compared in place (term_compare; small integers inline), never copied.
 *
 * A separator must outlive the object it was taken from (that object may be
 * deleted while the separator still divides two leaves), so an inner node
 * owns a copy of each boxed separator key (an EtsObj block); immediates are
 * kept as they are. Any value between the two sides' keys is a valid
 * separator, so deletes never have to touch them except when rebalancing.
 *
 * `next` remembers, per thread, the leaf slot it returned last together
 * with the tree's version (bumped by every change under the write lock): a
 * walk with first/next continues from there without searching.
 */
#include "runtime/ets/ets_store.h"

#include "runtime/ets/ets_lock.h"

#include "runtime/term/atom.h"
#include "runtime/term/term_cmp.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LEAF_CAP 32
#define LEAF_MIN (LEAF_CAP / 3)
#define INNER_CAP 32 /* children */
#define INNER_MIN ((INNER_CAP - 1) / 3) /* keys */

/* A key in a node, with its abbreviation (see key_ab): most comparisons
   are decided by the abbreviations, without loading the key's term. */
typedef struct Key {
    Term t;
    uint64_t ab;
} Key;

typedef struct Node {
    uint16_t n; /* leaf: entries; inner: keys (children n + 1) */
    bool leaf;
} Node;

typedef struct Leaf {
    Node h;
    struct Leaf *next, *prev;
    Key key[LEAF_CAP]; /* terms inside obj[] */
    EtsObj *obj[LEAF_CAP];
} Leaf;

/* child[i] holds keys k with key[i-1] <= k < key[i]. */
typedef struct Inner {
    Node h;
    Key key[INNER_CAP - 1];
    EtsObj *copy[INNER_CAP - 1]; /* the block key[i] lives in, NULL for an immediate */
    Node *child[INNER_CAP];
} Inner;

/* A base: one B+tree under its own lock (see "contention adaptation" below). */
typedef struct Base {
    EtsRw lock;
    /* Objects and words added since the base was made, written under the
       write lock and read relaxed. A split gives the left half the old
       counts and the right half none, so only the sum over all bases is
       the table's (a base's own may be negative). */
    long count, mem;
    uint64_t version;  /* bumped by every change (write lock) */
    Node *root;
    int stat;          /* contention: up when a writer had to wait, down when not (write lock) */
    _Atomic bool valid; /* false once split: a caller that locked it looks again */
} Base;

#define MAX_BASES 32 /* lock_all holds them all: ThreadSanitizer tracks 64 locks at once */

/* The bases in key order: base i holds the keys k with key[i-1] <= k < key[i].
   Never changed once published; a split publishes a new one. */
typedef struct Route {
    int n;
    Base *base[MAX_BASES];
    Key key[MAX_BASES - 1];
} Route;

typedef struct EtsTree {
    bool adapt; /* write_concurrency: bases split under contention */
    bool read_conc;
    /* Whole-table calls hold it to read, a split to write (adapt only). */
    pthread_rwlock_t shape;
    Route *_Atomic route;
    uint64_t gen; /* splits so far (under shape's write lock) */
    int ncopies;
    EtsObj *copy[MAX_BASES - 1]; /* the blocks boxed route keys live in */
} EtsTree;

/* A place in the leaves; leaf NULL: past either end. */
typedef struct Pos {
    Leaf *leaf;
    int i;
} Pos;

/* Words per object beyond EtsObj's (three header words): OTP 25 counts five per object. */
#define ENTRY_WORDS 2

static _Noreturn void out_of_memory(void)
{
    fputs("erbium: out of memory for an ETS table\n", stderr);
    abort();
}

static void *xcalloc(size_t size)
{
    void *p = calloc(1, size);
    if (!p) out_of_memory();
    return p;
}

static Leaf *new_leaf(void)
{
    Leaf *l = xcalloc(sizeof(Leaf));
    l->h.leaf = true;
    return l;
}

static Base *new_base(bool read_conc, Node *root)
{
    Base *b = xcalloc(sizeof(Base));
    if (!ets_rw_init(&b->lock, read_conc)) out_of_memory();
    b->root = root ? root : &new_leaf()->h;
    atomic_init(&b->valid, true);
    return b;
}

bool ets_tree_init(EtsTable *tab)
{
    EtsTree *t = calloc(1, sizeof(EtsTree));
    Route *r = calloc(1, sizeof(Route));
    if (!t || !r) {
        free(t);
        free(r);
        return false;
    }
    t->adapt = tab->write_conc != ETS_WC_FALSE;
    t->read_conc = tab->read_conc;
    pthread_rwlock_init(&t->shape, NULL);
    r->n = 1;
    r->base[0] = new_base(t->read_conc, NULL);
    atomic_init(&t->route, r);
    tab->tree = t;
    return true;
}

static void free_node(Node *nd, bool objects)
{
    if (nd->leaf) {
        Leaf *l = (Leaf *)nd;
        if (objects)
            for (int i = 0; i < l->h.n; i++) ets_obj_free(l->obj[i]);
    } else {
        Inner *in = (Inner *)nd;
        for (int i = 0; i < in->h.n; i++)
            if (in->copy[i]) ets_obj_free(in->copy[i]);
        for (int i = 0; i <= in->h.n; i++) free_node(in->child[i], objects);
    }
    free(nd);
}

static void free_base(Base *b)
{
    ets_rw_destroy(&b->lock);
    free(b);
}

static inline Route *route_of(EtsTree *t) { return atomic_load_explicit(&t->route, memory_order_acquire); }

void ets_tree_free(EtsTable *tab)
{
    EtsTree *t = tab->tree;
    Route *r = route_of(t);
    for (int i = 0; i < r->n; i++) {
        free_node(r->base[i]->root, true);
        free_base(r->base[i]);
    }
    for (int i = 0; i < t->ncopies; i++) ets_obj_free(t->copy[i]);
    free(r);
    pthread_rwlock_destroy(&t->shape);
    free(t);
    tab->tree = NULL;
}

size_t ets_tree_size(EtsTable *tab)
{
    Route *r = route_of(tab->tree);
    long n = 0;
    for (int i = 0; i < r->n; i++) n += __atomic_load_n(&r->base[i]->count, __ATOMIC_RELAXED);
    return n > 0 ? (size_t)n : 0;
}

size_t ets_tree_memory(EtsTable *tab)
{
    Route *r = route_of(tab->tree);
    long m = 0;
    for (int i = 0; i < r->n; i++) m += __atomic_load_n(&r->base[i]->mem, __ATOMIC_RELAXED);
    return ets_table_words(tab) + (m > 0 ? (size_t)m : 0);
}

/* ---- search ---- */

/* Key nesting compared here before handing over to term_compare. */
#define CMP_DEPTH 4

/* term_compare with the common key shapes (small integers, atoms, tuples of
   them) compared inline: most searches never enter the general machinery. */
static int cmp_depth(Term a, Term b, int depth)
{
    if (a == b) return 0;
    if (both_small(a, b)) return (intptr_t)a < (intptr_t)b ? -1 : 1;
    if (is_atom(a) && is_atom(b)) {
        size_t la = atom_len(a), lb = atom_len(b);
        int r = memcmp(atom_text(a), atom_text(b), la < lb ? la : lb);
        return r ? r : (la > lb) - (la < lb);
    }
    if (depth < CMP_DEPTH && is_tuple(a) && is_tuple(b)) {
        size_t n = tuple_arity(a), nb = tuple_arity(b);
        if (n != nb) return n < nb ? -1 : 1;
        for (size_t i = 0; i < n; i++) {
            int r = cmp_depth(tuple_elems(a)[i], tuple_elems(b)[i], depth + 1);
            if (r) return r;
        }
        return 0;
    }
    return term_compare(a, b);
}

static int cmp_terms(Term k, Term key) { return cmp_depth(k, key, 0); }

/* Entries e with cmp(e, probe) < strict come before the place sought:
   strict 0 seeks the first e >= probe, strict 1 the first e > probe. cmp
   must be monotone in key order (so those entries are a prefix). */
static int count_before(const Key *keys, int n, Term probe, KeyCmp cmp, int strict)
{
    int lo = 0, hi = n;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (cmp(keys[mid].t, probe) < strict) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

/* ---- abbreviated keys ----
 *
 * key_ab gives a key 64 bits: a type class (3 bits, in term order), 60 bits
 * of value and an `exact` bit. Abbreviations never contradict term order
 * (a < b implies ab(a) <= ab(b) without the exact bit), and two keys whose
 * abbreviations are equal and exact are equal. Exact: small integers, atoms
 * of up to 7 bytes without NUL, [], and tuples of up to two elements that
 * are small integers of 27 bits. Other keys are ordered by a prefix (floats
 * by their floor, atoms by 7 bytes, tuples by arity and leading small
 * elements) and fall back to term_compare on a tie.
 */
enum { AB_NUMBER, AB_ATOM, AB_IDENTITY, AB_TUPLE, AB_MAP, AB_NIL, AB_LIST, AB_BITS };

static unsigned ab_class(Term t)
{
    if (is_number(t)) return AB_NUMBER;
    if (is_atom(t)) return AB_ATOM;
    if (is_tuple(t)) return AB_TUPLE;
    if (is_map(t)) return AB_MAP;
    if (is_nil(t)) return AB_NIL;
    if (is_list(t)) return AB_LIST;
    if (is_bitstring(t)) return AB_BITS;
    return AB_IDENTITY; /* references, funs, ports, pids: compared in full */
}

/*
 * How a tuple element's code stands for it, which decides what may follow
 * it in the abbreviation: the exact value (go on), an integral float (it
 * orders as that integer: go on, but never exact), or a value strictly
 * between or beyond the codes of exact values, after which every key with
 * this code gets the same filling: none (LOW) or all ones (HIGH), so that it
 * still sorts after (or before) each exact key with the code.
 */
typedef enum { CODE_EXACT, CODE_EQUAL, CODE_LOW, CODE_HIGH } CodeKind;

/* A number's code among 2^bits: small integers in range exactly, others clamped or floored. */
static uint64_t num_code(Term t, unsigned bits, CodeKind *kind)
{
    int64_t half = (int64_t)1 << (bits - 1);
    uint64_t top = ((uint64_t)1 << bits) - 1;
    if (is_small(t)) {
        int64_t v = (int64_t)small_val(t);
        *kind = v < -half ? CODE_LOW : v >= half ? CODE_HIGH : CODE_EXACT;
        return v < -half ? 0 : v >= half ? top : (uint64_t)(v + half);
    }
    if (is_float(t)) {
        double d = float_val(t);
        if (!(d >= (double)-half)) {
            *kind = CODE_LOW;
            return 0;
        }
        if (d >= (double)half) {
            *kind = CODE_HIGH;
            return top;
        }
        double f = floor(d);
        *kind = f == d ? CODE_EQUAL : CODE_HIGH;
        return (uint64_t)((int64_t)f + half);
    }
    bool neg = header_subtag(boxed_val(t)[0]) == HDR_NEG_BIG;
    *kind = neg ? CODE_LOW : CODE_HIGH;
    return neg ? 0 : top;
}

/* A tuple element's 28-bit code: numbers below 2^27, other kinds above by class. */
static uint64_t elem_code(Term t, CodeKind *kind)
{
    if (is_number(t)) return num_code(t, 27, kind);
    *kind = CODE_LOW; /* every key with this code gets the same (no) filling */
    return ((uint64_t)1 << 27) + ab_class(t);
}

static uint64_t key_ab(Term t)
{
    unsigned cls = ab_class(t);
    uint64_t v = 0;
    bool exact = false;
    switch (cls) {
    case AB_NUMBER: {
        CodeKind k;
        v = num_code(t, 60, &k);
        exact = k == CODE_EXACT;
        break;
    }
    case AB_ATOM: {
        const unsigned char *s = (const unsigned char *)atom_text(t);
        size_t n = atom_len(t);
        exact = n <= 7;
        for (size_t i = 0; i < 7; i++) {
            unsigned char c = i < n ? s[i] : 0;
            if (i < n && c == 0) exact = false;
            v = (v << 8) | c;
        }
        v <<= 4;
        break;
    }
    case AB_TUPLE: {
        /* arity first (15 stands for 15 and more, whose elements are left out) */
        size_t n = tuple_arity(t);
        v = (uint64_t)(n < 15 ? n : 15) << 56;
        if (n >= 15) break;
        CodeKind k0 = CODE_EXACT, k1 = CODE_EXACT;
        if (n >= 1) v |= elem_code(tuple_elems(t)[0], &k0) << 28;
        if (k0 == CODE_HIGH) v |= ((uint64_t)1 << 28) - 1;
        else if (n >= 2 && k0 != CODE_LOW) v |= elem_code(tuple_elems(t)[1], &k1);
        exact = n <= 2 && k0 == CODE_EXACT && k1 == CODE_EXACT;
        break;
    }
    case AB_NIL: exact = true; break;
    default: break;
    }
    return ((uint64_t)cls << 61) | (v << 1) | (exact ? 1 : 0);
}

static inline Key mk_key(Term t) { return (Key){t, key_ab(t)}; }

static inline int cmp_key(const Key *e, const Key *p)
{
    uint64_t x = e->ab >> 1, y = p->ab >> 1;
    if (x != y) return x < y ? -1 : 1;
    if (e->ab & p->ab & 1) return 0;
    return cmp_terms(e->t, p->t);
}

/* count_before in term order, through the abbreviations. */
static int keys_before(const Key *keys, int n, const Key *probe, int strict)
{
    int lo = 0, hi = n;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (cmp_key(&keys[mid], probe) < strict) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

static Pos normalize(Pos p)
{
    while (p.leaf && p.i >= p.leaf->h.n) {
        p.leaf = p.leaf->next;
        p.i = 0;
    }
    return p;
}

static Pos step_back(Pos p)
{
    while (p.leaf && p.i <= 0) {
        p.leaf = p.leaf->prev;
        p.i = p.leaf ? p.leaf->h.n : 0;
    }
    if (p.leaf) p.i--;
    return p;
}

/* Where the first entry not before probe is or would go (see count_before):
   possibly one past a leaf's last entry. */
static Pos seek_raw(Base *t, Term probe, KeyCmp cmp, int strict)
{
    Key pk = {probe, cmp == cmp_terms ? key_ab(probe) : 0};
    Node *nd = t->root;
    while (!nd->leaf) {
        Inner *in = (Inner *)nd;
        nd = in->child[cmp == cmp_terms ? keys_before(in->key, in->h.n, &pk, strict)
                                        : count_before(in->key, in->h.n, probe, cmp, strict)];
    }
    Leaf *l = (Leaf *)nd;
    return (Pos){l, cmp == cmp_terms ? keys_before(l->key, l->h.n, &pk, strict)
                                     : count_before(l->key, l->h.n, probe, cmp, strict)};
}

/* The first entry not before probe. */
static Pos seek(Base *t, Term probe, KeyCmp cmp, int strict) { return normalize(seek_raw(t, probe, cmp, strict)); }

/* The last entry before probe. */
static Pos seek_back(Base *t, Term probe, KeyCmp cmp, int strict)
{
    return step_back(seek_raw(t, probe, cmp, strict));
}

static Pos find(Base *t, Term key)
{
    Pos p = seek(t, key, cmp_terms, 0);
    if (p.leaf && cmp_terms(p.leaf->key[p.i].t, key) != 0) p.leaf = NULL;
    return p;
}

static Pos first_pos(Base *t)
{
    Node *nd = t->root;
    while (!nd->leaf) nd = ((Inner *)nd)->child[0];
    return normalize((Pos){(Leaf *)nd, 0});
}

static Pos last_pos(Base *t)
{
    Node *nd = t->root;
    while (!nd->leaf) nd = ((Inner *)nd)->child[nd->n];
    return step_back((Pos){(Leaf *)nd, nd->n});
}

/* ---- contention adaptation ----
 *
 * Without write_concurrency the tree is one base and never changes shape.
 * With it, it is a contention-adapting tree (Sagonas and Winblad): a route
 * of up to MAX_BASES bases in key order, each a B+tree with a lock of its
 * own. A writer that finds its base's lock taken raises the base's
 * statistic a lot, one that does not lowers it a little; past SPLIT_AT the
 * base splits in two at its root (the B+tree's root children are shared
 * out, so a split moves no object), and writers of the two key ranges
 * proceed in parallel from then on. Keyed calls read the route with no
 * lock (it is replaced, never changed; old routes and bases are freed after
 * thread progress), lock their base, and look again if a split retired it
 * meanwhile. Whole-table calls hold `shape` to read and every base in key
 * order; a split only tries `shape` (it already holds a base lock, so
 * waiting could deadlock with a whole-table call) and waits for a later
 * write if it is taken. Bases are never joined: at most MAX_BASES of them
 * cost a whole-table call as many lock pairs.
 */

#define CONTENDED 250
#define UNCONTENDED 1
#define SPLIT_AT 1000
#define STAT_FLOOR (-1000)

static inline int base_index(const Route *r, Term key)
{
    if (r->n == 1) return 0;
    Key k = mk_key(key);
    return keys_before(r->key, r->n - 1, &k, 1);
}

/* key's base; the caller holds its lock or every lock. */
static inline Base *base_for(EtsTable *tab, Term key)
{
    Route *r = route_of(tab->tree);
    return r->base[base_index(r, key)];
}

void ets_tree_lock_key(EtsTable *tab, Term key, uint32_t hash, bool write, EtsLock *l)
{
    (void)hash;
    EtsTree *t = tab->tree;
    l->stripe = 0;
    l->write = write;
    for (;;) {
        Base *b = base_for(tab, key);
        bool waited = false;
        if (!write) ets_rw_lock(&b->lock, false);
        else if (t->adapt && !ets_rw_trywrite(&b->lock)) {
            waited = true;
            ets_rw_lock(&b->lock, true);
        } else if (!t->adapt) {
            ets_rw_lock(&b->lock, true);
        }
        if (atomic_load_explicit(&b->valid, memory_order_acquire)) {
            if (write && t->adapt) {
                if (waited) b->stat += CONTENDED;
                else if (b->stat > STAT_FLOOR) b->stat -= UNCONTENDED;
            }
            l->held = b;
            return;
        }
        ets_rw_unlock(&b->lock, write); /* split meanwhile: its keys are in a new base */
    }
}

void ets_tree_lock_all(EtsTable *tab, bool write, EtsLock *l)
{
    EtsTree *t = tab->tree;
    l->stripe = -1;
    l->write = write;
    if (t->adapt) pthread_rwlock_rdlock(&t->shape);
    Route *r = route_of(t);
    for (int i = 0; i < r->n; i++) ets_rw_lock(&r->base[i]->lock, write); /* in key order: no deadlock */
    l->held = r;
}

/* The top of a B+tree's rightmost (or leftmost) leaf. */
static Leaf *edge_leaf(Node *nd, bool right)
{
    while (!nd->leaf) nd = ((Inner *)nd)->child[right ? nd->n : 0];
    return (Leaf *)nd;
}

/* children [from, to] of in as a B+tree: the child itself when it is one, else a new root. */
static Node *subtree(Inner *in, int from, int to)
{
    if (from == to) return in->child[from];
    Inner *r = xcalloc(sizeof(Inner));
    r->h.n = (uint16_t)(to - from);
    memcpy(r->key, &in->key[from], r->h.n * sizeof(Key));
    memcpy(r->copy, &in->copy[from], r->h.n * sizeof(EtsObj *));
    memcpy(r->child, &in->child[from], (r->h.n + 1u) * sizeof(Node *));
    return &r->h;
}

typedef struct Retired {
    Base *base;
    Route *route;
} Retired;

static void free_retired(void *arg)
{
    Retired *r = arg;
    free_base(r->base);
    free(r->route);
    free(r);
}

/* Splits b (write-locked, its root an inner node) at its root's middle key
   into two bases that replace it in a new route. */
static void split(EtsTree *t, Base *b)
{
    if (pthread_rwlock_trywrlock(&t->shape) != 0) return; /* a whole-table call: later */
    Route *old = route_of(t);
    int bi = 0;
    while (old->base[bi] != b) bi++;
    Inner *root = (Inner *)b->root;
    int n = root->h.n, m = (n + 1) / 2; /* children [0, m-1] left, [m, n] right, key[m-1] between */
    Leaf *lend = edge_leaf(root->child[m - 1], true), *rstart = edge_leaf(root->child[m], false);
    lend->next = NULL;
    rstart->prev = NULL;
    Base *left = new_base(t->read_conc, subtree(root, 0, m - 1));
    Base *right = new_base(t->read_conc, subtree(root, m, n));
    left->count = b->count;
    left->mem = b->mem;
    Route *r = xcalloc(sizeof(Route));
    r->n = old->n + 1;
    memcpy(r->base, old->base, (size_t)bi * sizeof(Base *));
    r->base[bi] = left;
    r->base[bi + 1] = right;
    memcpy(&r->base[bi + 2], &old->base[bi + 1], (size_t)(old->n - bi - 1) * sizeof(Base *));
    memcpy(r->key, old->key, (size_t)bi * sizeof(Key));
    r->key[bi] = root->key[m - 1];
    memcpy(&r->key[bi + 1], &old->key[bi], (size_t)(old->n - 1 - bi) * sizeof(Key));
    if (root->copy[m - 1]) t->copy[t->ncopies++] = root->copy[m - 1];
    free(root);
    b->root = NULL;
    t->gen++;
    atomic_store_explicit(&b->valid, false, memory_order_release);
    atomic_store_explicit(&t->route, r, memory_order_release);
    pthread_rwlock_unlock(&t->shape);
    Retired *ret = xcalloc(sizeof(Retired));
    ret->base = b;
    ret->route = old;
    ets_reap(free_retired, ret); /* callers may still hold either */
}

void ets_tree_unlock(EtsTable *tab, EtsLock *l)
{
    EtsTree *t = tab->tree;
    if (l->stripe < 0) {
        Route *r = l->held;
        for (int i = r->n; i-- > 0;) ets_rw_unlock(&r->base[i]->lock, l->write);
        if (t->adapt) pthread_rwlock_unlock(&t->shape);
        return;
    }
    Base *b = l->held;
    if (l->write && b->stat > SPLIT_AT) {
        b->stat = 0;
        if (!b->root->leaf && route_of(t)->n < MAX_BASES) split(t, b);
    }
    ets_rw_unlock(&b->lock, l->write);
}

void ets_tree_each_key(EtsTable *tab, Term key, uint32_t hash, EtsVisit fn, void *ctx)
{
    (void)hash;
    Pos p = find(base_for(tab, key), key);
    if (p.leaf) fn(ctx, p.leaf->obj[p.i]);
}

EtsObj *ets_tree_get(EtsTable *tab, Term key, uint32_t hash)
{
    (void)hash;
    Pos p = find(base_for(tab, key), key);
    return p.leaf ? p.leaf->obj[p.i] : NULL;
}

/* ---- changes ---- */

static void account(Base *t, long dcount, long dmem)
{
    __atomic_store_n(&t->count, t->count + dcount, __ATOMIC_RELAXED);
    __atomic_store_n(&t->mem, t->mem + dmem, __ATOMIC_RELAXED);
    t->version++;
}

static long entry_mem(const EtsObj *o) { return (long)(ets_obj_mem(o) + ENTRY_WORDS); }

/* A separator equal to key, owned by the inner node it goes into. */
static Key sep_copy(Key key, EtsObj **copy)
{
    *copy = NULL;
    if (is_immed(key.t)) return key;
    *copy = ets_obj_new(key.t, 0);
    if (!*copy) out_of_memory();
    return (Key){(*copy)->term, key.ab};
}

static void sep_free(Inner *in, int i)
{
    if (in->copy[i]) ets_obj_free(in->copy[i]);
}

/* A node split off by an insert, and the separator before it. */
typedef struct Split {
    Node *right;
    Key key;
    EtsObj *copy;
} Split;

static void leaf_insert_at(Leaf *l, int i, Key key, EtsObj *o)
{
    memmove(&l->key[i + 1], &l->key[i], (size_t)(l->h.n - i) * sizeof(Key));
    memmove(&l->obj[i + 1], &l->obj[i], (size_t)(l->h.n - i) * sizeof(EtsObj *));
    l->key[i] = key;
    l->obj[i] = o;
    l->h.n++;
}

/* Inserts into a leaf; a full one splits in halves first. */
static void leaf_put(Base *t, Leaf *l, Key key, EtsObj *o, Split *s)
{
    int i = keys_before(l->key, l->h.n, &key, 0);
    if (i < l->h.n && cmp_key(&l->key[i], &key) == 0) { /* a set replaces */
        account(t, 0, (long)ets_obj_mem(o) - (long)ets_obj_mem(l->obj[i]));
        ets_obj_free(l->obj[i]);
        l->obj[i] = o;
        l->key[i] = key;
        return;
    }
    account(t, 1, entry_mem(o));
    if (l->h.n < LEAF_CAP) {
        leaf_insert_at(l, i, key, o);
        return;
    }
    Leaf *r = new_leaf();
    /* Appending past the last leaf (keys inserted in ascending order) keeps
       this leaf full: halves would leave every leaf of such a fill half empty. */
    int half = i == LEAF_CAP && !l->next ? LEAF_CAP : LEAF_CAP / 2;
    r->h.n = (uint16_t)(LEAF_CAP - half);
    memcpy(r->key, &l->key[half], r->h.n * sizeof(Key));
    memcpy(r->obj, &l->obj[half], r->h.n * sizeof(EtsObj *));
    l->h.n = (uint16_t)half;
    r->next = l->next;
    r->prev = l;
    if (l->next) l->next->prev = r;
    l->next = r;
    if (half < LEAF_CAP && i <= half) leaf_insert_at(l, i, key, o);
    else leaf_insert_at(r, i - half, key, o);
    s->right = &r->h;
    s->key = sep_copy(r->key[0], &s->copy);
}

/* Puts separator s and its right child after child i of in (not full). */
static void inner_insert_at(Inner *in, int i, const Split *s)
{
    int n = in->h.n;
    memmove(&in->key[i + 1], &in->key[i], (size_t)(n - i) * sizeof(Key));
    memmove(&in->copy[i + 1], &in->copy[i], (size_t)(n - i) * sizeof(EtsObj *));
    memmove(&in->child[i + 2], &in->child[i + 1], (size_t)(n - i) * sizeof(Node *));
    in->key[i] = s->key;
    in->copy[i] = s->copy;
    in->child[i + 1] = s->right;
    in->h.n++;
}

/* Adds the child split off child i; a full node splits and moves its middle key up in *up. */
static void inner_add(Inner *in, int i, const Split *s, Split *up)
{
    if (in->h.n < INNER_CAP - 1) {
        inner_insert_at(in, i, s);
        return;
    }
    Inner *r = xcalloc(sizeof(Inner));
    int mid = (INNER_CAP - 1) / 2; /* key[mid] goes up */
    r->h.n = (uint16_t)(INNER_CAP - 1 - mid - 1);
    memcpy(r->key, &in->key[mid + 1], r->h.n * sizeof(Key));
    memcpy(r->copy, &in->copy[mid + 1], r->h.n * sizeof(EtsObj *));
    memcpy(r->child, &in->child[mid + 1], (r->h.n + 1u) * sizeof(Node *));
    up->right = &r->h;
    up->key = in->key[mid];
    up->copy = in->copy[mid];
    in->h.n = (uint16_t)mid;
    if (i <= mid) inner_insert_at(in, i, s);
    else inner_insert_at(r, i - mid - 1, s);
}

static void put(Base *t, Node *nd, Key key, EtsObj *o, Split *s)
{
    if (nd->leaf) {
        leaf_put(t, (Leaf *)nd, key, o, s);
        return;
    }
    Inner *in = (Inner *)nd;
    int i = keys_before(in->key, in->h.n, &key, 1);
    Split below = {0};
    put(t, in->child[i], key, o, &below);
    if (below.right) inner_add(in, i, &below, s);
}

void ets_tree_put(EtsTable *tab, EtsObj *o)
{
    Term key = ets_key(tab, o->term);
    Base *t = base_for(tab, key);
    Split s = {0};
    put(t, t->root, mk_key(key), o, &s);
    if (!s.right) return;
    Inner *root = xcalloc(sizeof(Inner));
    root->h.n = 1;
    root->key[0] = s.key;
    root->copy[0] = s.copy;
    root->child[0] = t->root;
    root->child[1] = s.right;
    t->root = &root->h;
}

/* ---- removal ---- */

/* Drops key i and child i + 1 of in. */
static void inner_drop(Inner *in, int i)
{
    int n = in->h.n;
    memmove(&in->key[i], &in->key[i + 1], (size_t)(n - i - 1) * sizeof(Key));
    memmove(&in->copy[i], &in->copy[i + 1], (size_t)(n - i - 1) * sizeof(EtsObj *));
    memmove(&in->child[i + 1], &in->child[i + 2], (size_t)(n - i - 1) * sizeof(Node *));
    in->h.n--;
}

static void leaf_drop(Leaf *l, int i)
{
    memmove(&l->key[i], &l->key[i + 1], (size_t)(l->h.n - i - 1) * sizeof(Key));
    memmove(&l->obj[i], &l->obj[i + 1], (size_t)(l->h.n - i - 1) * sizeof(EtsObj *));
    l->h.n--;
}

/* Children i and i + 1 of in are leaves: merge them or move one entry to the smaller. */
static void fix_leaves(Inner *in, int i)
{
    Leaf *a = (Leaf *)in->child[i], *b = (Leaf *)in->child[i + 1];
    if (a->h.n + b->h.n <= LEAF_CAP) {
        memcpy(&a->key[a->h.n], b->key, b->h.n * sizeof(Key));
        memcpy(&a->obj[a->h.n], b->obj, b->h.n * sizeof(EtsObj *));
        a->h.n = (uint16_t)(a->h.n + b->h.n);
        a->next = b->next;
        if (b->next) b->next->prev = a;
        sep_free(in, i);
        inner_drop(in, i);
        free(b);
        return;
    }
    if (a->h.n < b->h.n) { /* b's first moves to a's end */
        a->key[a->h.n] = b->key[0];
        a->obj[a->h.n++] = b->obj[0];
        leaf_drop(b, 0);
    } else { /* a's last moves to b's front */
        a->h.n--;
        leaf_insert_at(b, 0, a->key[a->h.n], a->obj[a->h.n]);
    }
    sep_free(in, i);
    in->key[i] = sep_copy(b->key[0], &in->copy[i]);
}

/* Children i and i + 1 of in are inner nodes: merge them through key i, or rotate one child. */
static void fix_inners(Inner *in, int i)
{
    Inner *a = (Inner *)in->child[i], *b = (Inner *)in->child[i + 1];
    int an = a->h.n, bn = b->h.n;
    if (an + 1 + bn <= INNER_CAP - 1) {
        a->key[an] = in->key[i];
        a->copy[an] = in->copy[i];
        memcpy(&a->key[an + 1], b->key, (size_t)bn * sizeof(Key));
        memcpy(&a->copy[an + 1], b->copy, (size_t)bn * sizeof(EtsObj *));
        memcpy(&a->child[an + 1], b->child, (size_t)(bn + 1) * sizeof(Node *));
        a->h.n = (uint16_t)(an + 1 + bn);
        inner_drop(in, i);
        free(b);
        return;
    }
    if (an < bn) { /* key i comes down to a, b's first key goes up */
        a->key[an] = in->key[i];
        a->copy[an] = in->copy[i];
        a->child[an + 1] = b->child[0];
        a->h.n++;
        in->key[i] = b->key[0];
        in->copy[i] = b->copy[0];
        memmove(&b->key[0], &b->key[1], (size_t)(bn - 1) * sizeof(Key));
        memmove(&b->copy[0], &b->copy[1], (size_t)(bn - 1) * sizeof(EtsObj *));
        memmove(&b->child[0], &b->child[1], (size_t)bn * sizeof(Node *));
        b->h.n--;
    } else { /* key i comes down to b's front, a's last key goes up */
        memmove(&b->key[1], &b->key[0], (size_t)bn * sizeof(Key));
        memmove(&b->copy[1], &b->copy[0], (size_t)bn * sizeof(EtsObj *));
        memmove(&b->child[1], &b->child[0], (size_t)(bn + 1) * sizeof(Node *));
        b->key[0] = in->key[i];
        b->copy[0] = in->copy[i];
        b->child[0] = a->child[an];
        b->h.n++;
        in->key[i] = a->key[an - 1];
        in->copy[i] = a->copy[an - 1];
        a->h.n--;
    }
}

static bool underfull(const Node *nd) { return nd->leaf ? nd->n < LEAF_MIN : nd->n < INNER_MIN; }

/* Removes key's entry below nd; returns its object (NULL: none). With `exact`,
   only if the object is =:= exact. */
static EtsObj *take(Base *t, Node *nd, const Key *key, Term exact)
{
    if (nd->leaf) {
        Leaf *l = (Leaf *)nd;
        int i = keys_before(l->key, l->h.n, key, 0);
        if (i >= l->h.n || cmp_key(&l->key[i], key) != 0) return NULL;
        EtsObj *o = l->obj[i];
        if (is_value(exact) && !term_eq_exact(o->term, exact)) return NULL;
        leaf_drop(l, i);
        account(t, -1, -entry_mem(o));
        return o;
    }
    Inner *in = (Inner *)nd;
    int i = keys_before(in->key, in->h.n, key, 1);
    EtsObj *o = take(t, in->child[i], key, exact);
    if (o && underfull(in->child[i])) {
        int a = i > 0 ? i - 1 : i; /* the pair (a, a + 1) holding child i */
        if (in->child[a]->leaf) fix_leaves(in, a);
        else fix_inners(in, a);
    }
    return o;
}

static EtsObj *remove_entry(Base *t, Term key, Term exact)
{
    Key k = mk_key(key);
    EtsObj *o = take(t, t->root, &k, exact);
    if (o && !t->root->leaf && t->root->n == 0) { /* the root lost its last key */
        Inner *old = (Inner *)t->root;
        t->root = old->child[0];
        free(old);
    }
    return o;
}

EtsObj *ets_tree_remove_key(EtsTable *tab, Term key, uint32_t hash)
{
    (void)hash;
    EtsObj *o = remove_entry(base_for(tab, key), key, THE_NON_VALUE);
    if (o) o->next = NULL;
    return o;
}

size_t ets_tree_remove_obj(EtsTable *tab, Term obj, uint32_t hash)
{
    (void)hash;
    EtsObj *o = remove_entry(base_for(tab, ets_key(tab, obj)), ets_key(tab, obj), obj);
    if (!o) return 0;
    ets_obj_free(o);
    return 1;
}

/* What detach_all took: every base's old root. */
typedef struct Detached {
    int n;
    Node *root[MAX_BASES];
} Detached;

void *ets_tree_detach_all(EtsTable *tab)
{
    Route *r = route_of(tab->tree);
    Detached *d = xcalloc(sizeof(Detached));
    d->n = r->n;
    for (int i = 0; i < r->n; i++) {
        Base *b = r->base[i];
        d->root[i] = b->root;
        b->root = &new_leaf()->h;
        account(b, -b->count, -b->mem);
    }
    return d;
}

void ets_tree_free_detached(EtsTable *tab, void *detached)
{
    (void)tab;
    Detached *d = detached;
    for (int i = 0; i < d->n; i++) free_node(d->root[i], true);
    free(d);
}

/* ---- iteration ----
 *
 * Under the caller's lock_all: the route is fixed and every base locked.
 * A base's leaves are chained within it; past its last one a walk goes on
 * with the next base's first.
 */

/* Where this thread's last first/next ended (see the top comment). */
static _Thread_local struct {
    const EtsTree *tree;
    const Base *base;
    uint64_t num, gen, version;
    int bi;
    Pos pos;
} finger;

/* The first entry at or after p in base bi or a later one. */
static Pos forward(const Route *r, int *bi, Pos p)
{
    while (!p.leaf && ++*bi < r->n) p = first_pos(r->base[*bi]);
    return p;
}

/* The last entry at or before p in base bi or an earlier one. */
static Pos backward(const Route *r, int *bi, Pos p)
{
    while (!p.leaf && --*bi >= 0) p = last_pos(r->base[*bi]);
    return p;
}

static Term at(EtsTable *tab, const Route *r, int bi, Pos p)
{
    if (!p.leaf) return THE_NON_VALUE;
    finger.tree = tab->tree;
    finger.num = tab->num;
    finger.gen = tab->tree->gen;
    finger.base = r->base[bi];
    finger.version = r->base[bi]->version;
    finger.bi = bi;
    finger.pos = p;
    return p.leaf->key[p.i].t;
}

Term ets_tree_first(EtsTable *tab)
{
    Route *r = route_of(tab->tree);
    int bi = 0;
    return at(tab, r, bi, forward(r, &bi, first_pos(r->base[0])));
}

Term ets_tree_last(EtsTable *tab)
{
    Route *r = route_of(tab->tree);
    int bi = r->n - 1;
    Pos p = backward(r, &bi, last_pos(r->base[bi]));
    return p.leaf ? p.leaf->key[p.i].t : THE_NON_VALUE;
}

Term ets_tree_next(EtsTable *tab, Term key, bool *missing)
{
    *missing = false;
    EtsTree *t = tab->tree;
    Route *r = route_of(t);
    if (finger.tree == t && finger.num == tab->num && finger.gen == t->gen && finger.base == r->base[finger.bi] &&
        finger.version == finger.base->version && cmp_terms(finger.pos.leaf->key[finger.pos.i].t, key) == 0) {
        int bi = finger.bi;
        return at(tab, r, bi, forward(r, &bi, normalize((Pos){finger.pos.leaf, finger.pos.i + 1})));
    }
    int bi = base_index(r, key);
    return at(tab, r, bi, forward(r, &bi, seek(r->base[bi], key, cmp_terms, 1)));
}

Term ets_tree_prev(EtsTable *tab, Term key, bool *missing)
{
    *missing = false;
    Route *r = route_of(tab->tree);
    int bi = base_index(r, key);
    Pos p = backward(r, &bi, seek_back(r->base[bi], key, cmp_terms, 0));
    return p.leaf ? p.leaf->key[p.i].t : THE_NON_VALUE;
}

/* Applies fn's verdict to the object at *p (in base t) and moves *p on within
   the base; false when the walk must stop. */
static bool visit(EtsTable *tab, Base *t, EtsCursor *c, Pos *p, EtsWalkFn fn, void *ctx)
{
    EtsObj *o = p->leaf->obj[p->i], *repl = NULL;
    Term key = p->leaf->key[p->i].t;
    EtsWalkAct act = fn(ctx, o, &repl);
    switch (act) {
    case ETS_WALK_NEXT:
    case ETS_WALK_STOP:
        c->key = key;
        break;
    case ETS_WALK_DELETE:
        /* rebalancing may move entries: find the neighbour again by key */
        remove_entry(t, key, THE_NON_VALUE);
        *p = c->reverse ? seek_back(t, key, cmp_terms, 0) : seek(t, key, cmp_terms, 1);
        ets_obj_free(o);
        return true;
    case ETS_WALK_REPLACE:
        account(t, 0, (long)ets_obj_mem(repl) - (long)ets_obj_mem(o));
        ets_obj_free(o);
        p->leaf->obj[p->i] = repl;
        c->key = ets_key(tab, repl->term);
        p->leaf->key[p->i] = mk_key(c->key);
        break;
    }
    *p = c->reverse ? step_back(*p) : normalize((Pos){p->leaf, p->i + 1});
    return act != ETS_WALK_STOP;
}

/* Where a walk starts: after (or before) the cursor's key, inside its range. */
static Pos walk_start(Base *t, const EtsCursor *c)
{
    bool resume = c->key != THE_NON_VALUE;
    if (!c->reverse) {
        Pos p = resume ? seek(t, c->key, cmp_terms, 1) : first_pos(t);
        if (!c->range_cmp || !p.leaf) return p;
        Pos r = seek(t, c->range, c->range_cmp, 0);
        return !r.leaf || cmp_key(&p.leaf->key[p.i], &r.leaf->key[r.i]) < 0 ? r : p;
    }
    Pos p = resume ? seek_back(t, c->key, cmp_terms, 0) : last_pos(t);
    if (!c->range_cmp || !p.leaf) return p;
    Pos r = seek_back(t, c->range, c->range_cmp, 1);
    return !r.leaf || cmp_key(&p.leaf->key[p.i], &r.leaf->key[r.i]) > 0 ? r : p;
}

/* True when p has left the cursor's range. */
static bool out_of_range(const EtsCursor *c, Pos p)
{
    if (!c->range_cmp) return false;
    int d = c->range_cmp(p.leaf->key[p.i].t, c->range);
    return c->reverse ? d < 0 : d > 0;
}

/* How many entries ahead a walk asks for the object. */
#define PREFETCH_AHEAD 3

void ets_tree_walk(EtsTable *tab, EtsCursor *c, size_t budget, EtsWalkFn fn, void *ctx)
{
    Route *r = route_of(tab->tree);
    size_t seen = 0;
    int step = c->reverse ? -1 : 1;
    int bi = c->key != THE_NON_VALUE ? base_index(r, c->key) : c->reverse ? r->n - 1 : 0;
    for (; bi >= 0 && bi < r->n; bi += step) {
        Base *b = r->base[bi];
        Pos p = walk_start(b, c);
        for (; p.leaf && !out_of_range(c, p);) {
            if (budget && seen++ >= budget) return;
            /* the objects are scattered in memory: ask for one a few places on while fn works */
            int ahead = c->reverse ? p.i - PREFETCH_AHEAD : p.i + PREFETCH_AHEAD;
            if (ahead >= 0 && ahead < p.leaf->h.n) __builtin_prefetch(p.leaf->obj[ahead]);
            if (!visit(tab, b, c, &p, fn, ctx) || c->stop) return;
        }
        if (p.leaf) break; /* left the range */
    }
    c->done = true;
}

size_t ets_tree_slots(EtsTable *tab) { return ets_tree_size(tab); }

void ets_tree_slot(EtsTable *tab, size_t i, EtsVisit fn, void *ctx)
{
    Route *r = route_of(tab->tree);
    int bi = 0;
    Pos p = forward(r, &bi, first_pos(r->base[0]));
    while (p.leaf && i >= (size_t)(p.leaf->h.n - p.i)) {
        i -= (size_t)(p.leaf->h.n - p.i);
        p = forward(r, &bi, normalize((Pos){p.leaf, p.leaf->h.n}));
    }
    if (p.leaf) fn(ctx, p.leaf->obj[p.i + (int)i]);
}
