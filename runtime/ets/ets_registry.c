/*
 * ets_registry.c - finding tables by id and name, ownership, heirs and
 * fixations (see ets.h).
 *
 * Two maps, from id number and from name, are open-addressing arrays read
 * without any lock: a slot's key, once set, never changes (a freed name or
 * id leaves its key with a NULL table), and its table pointer is published
 * with a release store. Writers (new, delete, rename, ownership changes)
 * hold one mutex. A map rebuilt larger (or without dead slots) is
 * published and the old array freed after thread progress, as is a deleted
 * table with its objects: a scheduler that found a table keeps using it
 * until its BIF returns. Freeing a big table's objects happens on the
 * thread that runs the deferred work, never inside the deleting call.
 */
#include "runtime/ets/ets.h"

#include "runtime/ets/ets_store.h"
#include "runtime/proc/heap.h"
#include "runtime/proc/proc_table.h"
#include "runtime/proc/signal.h"
#include "runtime/term/atom.h"
#include "sched/sched.h"
#include "sched/tp.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/time.h>
#include <time.h>

typedef struct Slot {
    _Atomic uint64_t key; /* 0: empty */
    _Atomic(EtsTable *) tab;
} Slot;

typedef struct Map {
    size_t cap; /* a power of two */
    size_t used; /* slots with a key; under the lock */
    Slot slots[];
} Map;

static _Atomic(Map *) by_id, by_name;
static pthread_mutex_t reg_lock = PTHREAD_MUTEX_INITIALIZER;
static _Atomic uint64_t next_num;
static _Atomic size_t live_tables;
static _Atomic size_t fixers; /* fixation entries in all tables: exits must drop theirs */

static _Noreturn void out_of_memory(void)
{
    fputs("erbium: out of memory for the ETS registry\n", stderr);
    abort();
}

uint64_t ets_next_num(void) { return atomic_fetch_add(&next_num, 1) + 1; }

static inline size_t mix(uint64_t k) { return (size_t)((k * 0x9E3779B97F4A7C15ull) >> 20); }

static EtsTable *map_get(_Atomic(Map *) *mp, uint64_t key)
{
    Map *m = atomic_load_explicit(mp, memory_order_acquire);
    if (!m) return NULL;
    size_t mask = m->cap - 1;
    for (size_t i = mix(key) & mask;; i = (i + 1) & mask) {
        uint64_t k = atomic_load_explicit(&m->slots[i].key, memory_order_acquire);
        if (k == 0) return NULL;
        if (k == key) return atomic_load_explicit(&m->slots[i].tab, memory_order_acquire);
    }
}

static Map *map_new(size_t cap)
{
    Map *m = calloc(1, sizeof(Map) + cap * sizeof(Slot));
    if (!m) out_of_memory();
    m->cap = cap;
    return m;
}

static void map_put_in(Map *m, uint64_t key, EtsTable *tab)
{
    size_t mask = m->cap - 1;
    for (size_t i = mix(key) & mask;; i = (i + 1) & mask) {
        uint64_t k = atomic_load_explicit(&m->slots[i].key, memory_order_relaxed);
        if (k == key || k == 0) {
            atomic_store_explicit(&m->slots[i].tab, tab, memory_order_release);
            if (k == 0) {
                atomic_store_explicit(&m->slots[i].key, key, memory_order_release);
                m->used++;
            }
            return;
        }
    }
}

/* Sets key's table (NULL to free it), rebuilding the map when half its slots have keys (under the lock). */
static void map_put(_Atomic(Map *) *mp, uint64_t key, EtsTable *tab)
{
    Map *m = atomic_load_explicit(mp, memory_order_relaxed);
    if (!m) {
        m = map_new(64);
        atomic_store_explicit(mp, m, memory_order_release);
    }
    if (tab && 2 * (m->used + 1) > m->cap) {
        size_t live = 0;
        for (size_t i = 0; i < m->cap; i++) live += atomic_load_explicit(&m->slots[i].tab, memory_order_relaxed) != NULL;
        size_t cap = 64;
        while (cap < 4 * (live + 1)) cap *= 2;
        Map *n = map_new(cap);
        for (size_t i = 0; i < m->cap; i++) {
            EtsTable *t = atomic_load_explicit(&m->slots[i].tab, memory_order_relaxed);
            if (t) map_put_in(n, atomic_load_explicit(&m->slots[i].key, memory_order_relaxed), t);
        }
        atomic_store_explicit(mp, n, memory_order_release);
        tp_defer(free, m); /* readers may still probe it */
        m = n;
    }
    map_put_in(m, key, tab);
}

static inline uint64_t name_key(Term name) { return (uint64_t)atom_val(name) + 1; }

/* ---- lookup ---- */

/* Table ids are refs whose second word is 0 and whose first has the top bit (bif_ets.c). */
bool ets_is_id(Term t)
{
    if (is_atom(t)) return true;
    if (!is_ref(t)) return false;
    const Term *w = boxed_val(t);
    return w[2] == 0 && (w[1] >> 63);
}

EtsTable *ets_lookup_any(Term t)
{
    EtsTable *tab = NULL;
    if (is_atom(t)) {
        tab = map_get(&by_name, name_key(t));
    } else if (ets_is_id(t)) {
        tab = map_get(&by_id, boxed_val(t)[1] & ~(1ull << 63));
    }
    return tab && atomic_load_explicit(&tab->alive, memory_order_acquire) ? tab : NULL;
}

EtsTable *ets_find(Process *p, Term t, EtsNeed need, EtsFind *why)
{
    EtsTable *tab = ets_lookup_any(t);
    if (!tab) {
        *why = ets_is_id(t) ? ETS_NO_TABLE : ETS_NOT_ID;
        return NULL;
    }
    if (tab->access != ETS_PUBLIC && atomic_load_explicit(&tab->owner, memory_order_relaxed) != p->pid &&
        (tab->access == ETS_PRIVATE || need == ETS_WRITE)) {
        *why = ETS_NO_ACCESS;
        return NULL;
    }
    *why = ETS_OK;
    return tab;
}

/* ---- owners ---- */

/* Each process's tables: a list per owner pid, in a map keyed by pid (under the lock). */
typedef struct Owned {
    Term pid;
    EtsTable *first;
    struct Owned *next;
} Owned;

#define OWNER_BUCKETS 1024
static Owned *owners[OWNER_BUCKETS];

static Owned **owned_link(Term pid)
{
    Owned **l = &owners[mix(pid) & (OWNER_BUCKETS - 1)];
    while (*l && (*l)->pid != pid) l = &(*l)->next;
    return l;
}

static void owner_add(EtsTable *tab, Term pid)
{
    atomic_store_explicit(&tab->owner, pid, memory_order_release);
    Owned **l = owned_link(pid);
    if (!*l) {
        Owned *o = calloc(1, sizeof *o);
        if (!o) out_of_memory();
        o->pid = pid;
        *l = o;
    }
    tab->owner_prev = NULL;
    tab->owner_next = (*l)->first;
    if (tab->owner_next) tab->owner_next->owner_prev = tab;
    (*l)->first = tab;
}

static void owner_remove(EtsTable *tab)
{
    Owned **l = owned_link(atomic_load_explicit(&tab->owner, memory_order_relaxed));
    if (!*l) return;
    if (tab->owner_prev) tab->owner_prev->owner_next = tab->owner_next;
    else (*l)->first = tab->owner_next;
    if (tab->owner_next) tab->owner_next->owner_prev = tab->owner_prev;
    tab->owner_next = tab->owner_prev = NULL;
    if (!(*l)->first) {
        Owned *dead = *l;
        *l = dead->next;
        free(dead);
    }
}

/* ---- registering ---- */

bool ets_register(EtsTable *tab, Process *p)
{
    pthread_mutex_lock(&reg_lock);
    if (tab->named && map_get(&by_name, name_key(tab->name))) {
        pthread_mutex_unlock(&reg_lock);
        return false;
    }
    atomic_store_explicit(&tab->alive, true, memory_order_relaxed);
    owner_add(tab, p->pid);
    map_put(&by_id, tab->num, tab);
    if (tab->named) map_put(&by_name, name_key(tab->name), tab);
    atomic_fetch_add(&live_tables, 1);
    pthread_mutex_unlock(&reg_lock);
    return true;
}

static void free_table(void *arg)
{
    EtsTable *tab = arg;
    ets_store_free(tab);
    if (tab->heir_data) ets_obj_free(tab->heir_data);
    for (EtsFix *f = tab->fixes, *next; f; f = next) {
        next = f->next;
        free(f);
        atomic_fetch_sub(&fixers, 1);
    }
    pthread_mutex_destroy(&tab->fix_lock);
    free(tab);
}

/* Under the lock. */
static bool unregister_locked(EtsTable *tab)
{
    if (!atomic_load_explicit(&tab->alive, memory_order_relaxed)) return false;
    atomic_store_explicit(&tab->alive, false, memory_order_release);
    owner_remove(tab);
    map_put(&by_id, tab->num, NULL);
    if (tab->named && map_get(&by_name, name_key(tab->name)) == tab) map_put(&by_name, name_key(tab->name), NULL);
    atomic_fetch_sub(&live_tables, 1);
    ets_reap(free_table, tab);
    return true;
}

bool ets_unregister(EtsTable *tab)
{
    pthread_mutex_lock(&reg_lock);
    bool done = unregister_locked(tab);
    pthread_mutex_unlock(&reg_lock);
    return done;
}

bool ets_rename(EtsTable *tab, Term name)
{
    pthread_mutex_lock(&reg_lock);
    bool ok = atomic_load(&tab->alive) && (!tab->named || !map_get(&by_name, name_key(name)) ||
                                            map_get(&by_name, name_key(name)) == tab);
    if (ok && tab->named && name != tab->name) {
        if (map_get(&by_name, name_key(name))) ok = false;
        else {
            map_put(&by_name, name_key(tab->name), NULL);
            map_put(&by_name, name_key(name), tab);
        }
    }
    if (ok) tab->name = name;
    pthread_mutex_unlock(&reg_lock);
    return ok;
}

static bool pid_alive(Term pid)
{
    Process *q = ptab_lookup(pid);
    return q && __atomic_load_n(&q->pid, __ATOMIC_ACQUIRE) == pid &&
           atomic_load(&q->sched_state) != PS_EXITED;
}

/* Sends {'ETS-TRANSFER', Tab, From, Data} to pid. */
static void send_transfer(Process *from, EtsTable *tab, Term to, Term data)
{
    Term buf[5];
    buf[0] = make_tuple_header(4);
    buf[1] = AM_ets_transfer;
    buf[2] = tab->named ? tab->name : tab->id;
    buf[3] = from->pid;
    buf[4] = data;
    signal_send(from, to, make_boxed(buf));
}

/* Moves tab to a new owner and tells it (under the lock). */
static bool transfer_locked(Process *from, EtsTable *tab, Term to, Term data)
{
    if (!pid_alive(to)) return false;
    owner_remove(tab);
    owner_add(tab, to);
    send_transfer(from, tab, to, data);
    return true;
}

bool ets_give_away(Process *p, EtsTable *tab, Term pid, Term data)
{
    pthread_mutex_lock(&reg_lock);
    bool ok = atomic_load(&tab->alive) && transfer_locked(p, tab, pid, data);
    pthread_mutex_unlock(&reg_lock);
    return ok;
}

void ets_set_heir(EtsTable *tab, Term heir, Term data)
{
    EtsObj *copy = NULL;
    if (is_pid(heir) && !pid_alive(heir)) heir = AM_none; /* OTP ignores a dead heir */
    if (is_pid(heir)) {
        Term buf[2] = {make_tuple_header(1), data};
        copy = ets_obj_new(make_boxed(buf), 0);
        if (!copy) out_of_memory();
    }
    pthread_mutex_lock(&reg_lock);
    EtsObj *old = tab->heir_data;
    tab->heir = heir;
    tab->heir_data = copy;
    pthread_mutex_unlock(&reg_lock);
    if (old) ets_obj_free(old);
}

/* Drops p's fixations of every table (under the lock). */
static void unfix_all(Term pid)
{
    Map *m = atomic_load_explicit(&by_id, memory_order_relaxed);
    for (size_t i = 0; m && i < m->cap; i++) {
        EtsTable *t = atomic_load_explicit(&m->slots[i].tab, memory_order_relaxed);
        if (t && atomic_load(&t->fix_count) > 0) ets_fix(t, pid, false);
    }
}

void ets_process_exit(Process *p)
{
    if (atomic_load_explicit(&live_tables, memory_order_acquire) == 0) return;
    pthread_mutex_lock(&reg_lock);
    if (atomic_load(&fixers) > 0) unfix_all(p->pid);
    Owned **l = owned_link(p->pid);
    while (*l && (*l)->first) {
        EtsTable *tab = (*l)->first;
        Term heir = tab->heir;
        /* OTP: the heir must be alive and not the dying owner itself */
        if (!(is_pid(heir) && heir != p->pid && tab->heir_data &&
              transfer_locked(p, tab, heir, tuple_elems(tab->heir_data->term)[0])))
            unregister_locked(tab);
        l = owned_link(p->pid);
    }
    pthread_mutex_unlock(&reg_lock);
}

Term ets_all(Process *p)
{
    pthread_mutex_lock(&reg_lock);
    Map *m = atomic_load_explicit(&by_id, memory_order_relaxed);
    Term list = NIL;
    for (size_t i = 0; m && i < m->cap; i++) {
        EtsTable *t = atomic_load_explicit(&m->slots[i].tab, memory_order_relaxed);
        if (t) list = heap_cons(p, t->named ? t->name : term_copy(p, t->id), list);
    }
    pthread_mutex_unlock(&reg_lock);
    return list;
}

/* ---- fixation ---- */

static int64_t now_usec(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (int64_t)tv.tv_sec * 1000000 + tv.tv_usec;
}

void ets_fix(EtsTable *tab, Term pid, bool on)
{
    pthread_mutex_lock(&tab->fix_lock);
    EtsFix **l = &tab->fixes;
    while (*l && (*l)->pid != pid) l = &(*l)->next;
    if (on) {
        if (!*l) {
            *l = calloc(1, sizeof(EtsFix));
            if (!*l) out_of_memory();
            (*l)->pid = pid;
            atomic_fetch_add(&fixers, 1);
        }
        if (atomic_load(&tab->fix_count) == 0) tab->fix_usec = now_usec();
        (*l)->count++;
        atomic_fetch_add(&tab->fix_count, 1);
    } else if (*l) {
        EtsFix *f = *l;
        atomic_fetch_sub(&tab->fix_count, f->count);
        *l = f->next;
        free(f);
        atomic_fetch_sub(&fixers, 1);
    }
    pthread_mutex_unlock(&tab->fix_lock);
}

Term ets_fix_info(Process *p, EtsTable *tab, bool monotonic)
{
    pthread_mutex_lock(&tab->fix_lock);
    Term list = NIL;
    for (EtsFix *f = tab->fixes; f; f = f->next)
        list = heap_cons(p, heap_tuple2(p, f->pid, make_small((intptr_t)f->count)), list);
    int64_t us = tab->fix_usec;
    bool fixed = tab->fixes != NULL;
    pthread_mutex_unlock(&tab->fix_lock);
    if (!fixed) return AM_false;
    Term time;
    if (monotonic) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        int64_t mono_now = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
        time = make_small((intptr_t)(mono_now - (now_usec() - us) * 1000));
    } else {
        Term *hp = heap_alloc(p, 4);
        hp[0] = make_tuple_header(3);
        hp[1] = make_small((intptr_t)(us / 1000000000000));
        hp[2] = make_small((intptr_t)(us / 1000000 % 1000000));
        hp[3] = make_small((intptr_t)(us % 1000000));
        time = make_boxed(hp);
    }
    return heap_tuple2(p, time, list);
}
