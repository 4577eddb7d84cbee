/*
 * ets_tree.c - ordered_set: a skip list in term order of the keys (==, so
 * 1 and 1.0 are one key) under one reader-writer lock (see ets_store.h).
 *
 * A skip list needs no rebalancing, and `next`/`prev` of a key that is not
 * in the table are one search each. Node levels are drawn with p = 1/2
 * (two links per node on average) from a generator kept under the write
 * lock.
 */
#include "runtime/ets/ets_store.h"

#include "runtime/term/term_cmp.h"

#include <stdio.h>
#include <stdlib.h>

#define MAX_LEVEL 24

/* A forward link holds the key of the node it points to, so a search
   compares without loading nodes it does not move to: with p = 1/2 it
   touches about as many nodes as a balanced binary tree. */
typedef struct TLink {
    struct TNode *node;
    Term key;
} TLink;

typedef struct TNode {
    EtsObj *obj;
    Term key; /* the object's key (inside obj) */
    unsigned level;
    TLink link[];
} TNode;

typedef struct EtsTree {
    pthread_rwlock_t lock;
    size_t count, mem;  /* written under the write lock; read relaxed */
    unsigned level;     /* levels in use */
    uint64_t rng;
    /* The node `first`/`next` returned last: a walk's next `next` starts
       there instead of searching. Readers store it (relaxed: any recent one
       will do); a writer clears it before freeing that node. */
    _Atomic(TNode *) finger;
    TNode head;         /* no object; MAX_LEVEL links follow */
} EtsTree;

static _Noreturn void out_of_memory(void)
{
    fputs("erbium: out of memory for an ETS table\n", stderr);
    abort();
}

bool ets_tree_init(EtsTable *tab)
{
    EtsTree *t = calloc(1, sizeof(EtsTree) + MAX_LEVEL * sizeof(TLink));
    if (!t) return false;
    pthread_rwlockattr_t attr;
    pthread_rwlockattr_init(&attr);
    pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
    pthread_rwlock_init(&t->lock, &attr);
    pthread_rwlockattr_destroy(&attr);
    t->level = 1;
    t->rng = 0x2545F4914F6CDD1Dull ^ tab->num;
    t->head.level = MAX_LEVEL;
    tab->tree = t;
    return true;
}

static void free_chain(TNode *n)
{
    while (n) {
        TNode *next = n->link[0].node;
        ets_obj_free(n->obj);
        free(n);
        n = next;
    }
}

void ets_tree_free(EtsTable *tab)
{
    EtsTree *t = tab->tree;
    free_chain(t->head.link[0].node);
    pthread_rwlock_destroy(&t->lock);
    free(t);
    tab->tree = NULL;
}

size_t ets_tree_size(EtsTable *tab) { return __atomic_load_n(&tab->tree->count, __ATOMIC_RELAXED); }

size_t ets_tree_memory(EtsTable *tab)
{
    return (sizeof(EtsTable) + sizeof(EtsTree) + MAX_LEVEL * sizeof(TLink)) / sizeof(Term) +
           __atomic_load_n(&tab->tree->mem, __ATOMIC_RELAXED);
}

void ets_tree_lock_key(EtsTable *tab, uint32_t hash, bool write, EtsLock *l)
{
    (void)hash;
    ets_tree_lock_all(tab, write, l);
}

void ets_tree_lock_all(EtsTable *tab, bool write, EtsLock *l)
{
    l->stripe = -1;
    l->write = write;
    if (write) pthread_rwlock_wrlock(&tab->tree->lock);
    else pthread_rwlock_rdlock(&tab->tree->lock);
}

void ets_tree_unlock(EtsTable *tab, EtsLock *l)
{
    (void)l;
    pthread_rwlock_unlock(&tab->tree->lock);
}

/* ---- search ---- */

static inline int cmp_terms(Term k, Term key)
{
    if (both_small(k, key)) return (intptr_t)k < (intptr_t)key ? -1 : (intptr_t)k > (intptr_t)key;
    return term_compare(k, key);
}

static inline int cmp_key(EtsTable *tab, TNode *n, Term key)
{
    (void)tab;
    return cmp_terms(n->key, key);
}

/*
 * The last node at each level whose key is before key (or, with `le`, not
 * after it) in upd[] (if not NULL); returns the level-0 one.
 */
static TNode *search(EtsTable *tab, Term key, bool le, TNode **upd)
{
    EtsTree *t = tab->tree;
    TNode *x = &t->head;
    for (int l = (int)t->level - 1; l >= 0; l--) {
        for (TNode *n; (n = x->link[l].node) != NULL;) {
            int c = cmp_terms(x->link[l].key, key);
            if (c < 0 || (le && c == 0)) x = n;
            else break;
        }
        if (upd) upd[l] = x;
    }
    return x;
}

static TNode *find(EtsTable *tab, Term key)
{
    TNode *n = search(tab, key, false, NULL)->link[0].node;
    return n && cmp_key(tab, n, key) == 0 ? n : NULL;
}

void ets_tree_each_key(EtsTable *tab, Term key, uint32_t hash, EtsVisit fn, void *ctx)
{
    (void)hash;
    TNode *n = find(tab, key);
    if (n) fn(ctx, n->obj);
}

EtsObj *ets_tree_get(EtsTable *tab, Term key, uint32_t hash)
{
    (void)hash;
    TNode *n = find(tab, key);
    return n ? n->obj : NULL;
}

static void account(EtsTree *t, long dcount, long dmem)
{
    __atomic_store_n(&t->count, t->count + (size_t)dcount, __ATOMIC_RELAXED);
    __atomic_store_n(&t->mem, t->mem + (size_t)dmem, __ATOMIC_RELAXED);
}

/* Gives n a new key term (equal to the old: a replaced object), in n and in the links to it. */
static void set_key(TNode *n, Term key, TNode **upd)
{
    n->key = key;
    for (unsigned l = 0; l < n->level; l++)
        if (upd[l]->link[l].node == n) upd[l]->link[l].key = key;
}

static unsigned random_level(EtsTree *t)
{
    unsigned l = 1;
    while (l < MAX_LEVEL) {
        t->rng ^= t->rng << 13;
        t->rng ^= t->rng >> 7;
        t->rng ^= t->rng << 17;
        if ((t->rng & 1) != 0) break; /* p = 1/2 */
        l++;
    }
    return l;
}

static long node_mem(TNode *n) { return (long)(ets_obj_mem(n->obj) + (sizeof(TNode) / sizeof(Term)) + n->level); }

void ets_tree_put(EtsTable *tab, EtsObj *o)
{
    EtsTree *t = tab->tree;
    TNode *upd[MAX_LEVEL];
    Term key = ets_key(tab, o->term);
    TNode *n = search(tab, key, false, upd)->link[0].node;
    if (n && cmp_key(tab, n, key) == 0) {
        account(t, 0, (long)ets_obj_mem(o) - (long)ets_obj_mem(n->obj));
        ets_obj_free(n->obj);
        n->obj = o;
        set_key(n, key, upd);
        return;
    }
    unsigned level = random_level(t);
    n = malloc(sizeof(TNode) + level * sizeof(TLink));
    if (!n) out_of_memory();
    n->obj = o;
    n->key = key;
    n->level = level;
    for (unsigned l = t->level; l < level; l++) upd[l] = &t->head;
    if (level > t->level) t->level = level;
    for (unsigned l = 0; l < level; l++) {
        n->link[l] = upd[l]->link[l];
        upd[l]->link[l] = (TLink){n, key};
    }
    account(t, 1, node_mem(n));
}

/* Unlinks n (found with upd) and frees the node, not its object. */
static void unlink_node(EtsTree *t, TNode *n, TNode **upd)
{
    if (atomic_load_explicit(&t->finger, memory_order_relaxed) == n)
        atomic_store_explicit(&t->finger, NULL, memory_order_relaxed);
    for (unsigned l = 0; l < n->level; l++)
        if (upd[l]->link[l].node == n) upd[l]->link[l] = n->link[l];
    while (t->level > 1 && !t->head.link[t->level - 1].node) t->level--;
    account(t, -1, -node_mem(n));
    free(n);
}

EtsObj *ets_tree_remove_key(EtsTable *tab, Term key, uint32_t hash)
{
    (void)hash;
    TNode *upd[MAX_LEVEL];
    TNode *n = search(tab, key, false, upd)->link[0].node;
    if (!n || cmp_key(tab, n, key) != 0) return NULL;
    EtsObj *o = n->obj;
    unlink_node(tab->tree, n, upd);
    o->next = NULL;
    return o;
}

size_t ets_tree_remove_obj(EtsTable *tab, Term obj, uint32_t hash)
{
    (void)hash;
    TNode *upd[MAX_LEVEL];
    Term key = ets_key(tab, obj);
    TNode *n = search(tab, key, false, upd)->link[0].node;
    if (!n || cmp_key(tab, n, key) != 0 || !term_eq_exact(n->obj->term, obj)) return 0;
    EtsObj *o = n->obj;
    unlink_node(tab->tree, n, upd);
    ets_obj_free(o);
    return 1;
}

void *ets_tree_detach_all(EtsTable *tab)
{
    EtsTree *t = tab->tree;
    TNode *chain = t->head.link[0].node;
    for (unsigned l = 0; l < MAX_LEVEL; l++) t->head.link[l].node = NULL;
    t->level = 1;
    atomic_store_explicit(&t->finger, NULL, memory_order_relaxed);
    account(t, -(long)t->count, -(long)t->mem);
    return chain;
}

void ets_tree_free_detached(EtsTable *tab, void *detached)
{
    (void)tab;
    free_chain(detached);
}

/* ---- iteration ---- */

static EtsObj *put_finger(EtsTree *t, TNode *n)
{
    if (!n) return NULL;
    atomic_store_explicit(&t->finger, n, memory_order_relaxed);
    return n->obj;
}

EtsObj *ets_tree_first(EtsTable *tab) { return put_finger(tab->tree, tab->tree->head.link[0].node); }

EtsObj *ets_tree_last(EtsTable *tab)
{
    EtsTree *t = tab->tree;
    TNode *x = &t->head;
    for (int l = (int)t->level - 1; l >= 0; l--)
        while (x->link[l].node) x = x->link[l].node;
    return x == &t->head ? NULL : x->obj;
}

EtsObj *ets_tree_next(EtsTable *tab, Term key, bool *missing)
{
    *missing = false;
    EtsTree *t = tab->tree;
    TNode *f = atomic_load_explicit(&t->finger, memory_order_relaxed);
    TNode *n = f && cmp_key(tab, f, key) == 0 ? f->link[0].node : search(tab, key, true, NULL)->link[0].node;
    return put_finger(t, n);
}

EtsObj *ets_tree_prev(EtsTable *tab, Term key, bool *missing)
{
    *missing = false;
    TNode *x = search(tab, key, false, NULL);
    return x == &tab->tree->head ? NULL : x->obj;
}

/* Applies fn's verdict to node n; false when the walk must stop. */
static bool visit(EtsTable *tab, EtsCursor *c, TNode *n, EtsWalkFn fn, void *ctx)
{
    EtsObj *repl = NULL;
    Term key = ets_key(tab, n->obj->term);
    switch (fn(ctx, n->obj, &repl)) {
    case ETS_WALK_NEXT: c->key = key; return true;
    case ETS_WALK_STOP: c->key = key; return false;
    case ETS_WALK_DELETE: {
        EtsObj *o = ets_tree_remove_key(tab, key, 0);
        ets_obj_free(o);
        return true;
    }
    case ETS_WALK_REPLACE:
        account(tab->tree, 0, (long)ets_obj_mem(repl) - (long)ets_obj_mem(n->obj));
        ets_obj_free(n->obj);
        n->obj = repl;
        c->key = ets_key(tab, repl->term);
        TNode *upd[MAX_LEVEL];
        search(tab, c->key, false, upd);
        set_key(n, c->key, upd);
        return true;
    }
    return true;
}

void ets_tree_walk(EtsTable *tab, EtsCursor *c, size_t budget, EtsWalkFn fn, void *ctx)
{
    size_t seen = 0;
    if (!c->reverse) {
        TNode *n = c->key == THE_NON_VALUE ? tab->tree->head.link[0].node : search(tab, c->key, true, NULL)->link[0].node;
        while (n) {
            if (budget && seen++ >= budget) return;
            TNode *next = n->link[0].node; /* n may go */
            if (!visit(tab, c, n, fn, ctx) || c->stop) return;
            n = next;
        }
    } else {
        TNode *head = &tab->tree->head;
        TNode *n = c->key == THE_NON_VALUE ? NULL : search(tab, c->key, false, NULL);
        if (c->key == THE_NON_VALUE) {
            EtsObj *last = ets_tree_last(tab);
            n = last ? search(tab, ets_key(tab, last->term), false, NULL)->link[0].node : head;
        }
        while (n != head) {
            if (budget && seen++ >= budget) return;
            Term key = ets_key(tab, n->obj->term);
            TNode *prev = search(tab, key, false, NULL); /* found before n may go */
            if (!visit(tab, c, n, fn, ctx) || c->stop) return;
            n = prev;
        }
    }
    c->done = true;
}

size_t ets_tree_slots(EtsTable *tab) { return ets_tree_size(tab); }

void ets_tree_slot(EtsTable *tab, size_t i, EtsVisit fn, void *ctx)
{
    TNode *n = tab->tree->head.link[0].node;
    while (n && i-- > 0) n = n->link[0].node;
    if (n) fn(ctx, n->obj);
}
