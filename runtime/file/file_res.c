/* file_res.c - the table of file handles and buffers (see file_res.h). */
#include "runtime/file/file_res.h"

#include "runtime/proc/heap.h"
#include "runtime/term/binary.h"

#include <stdlib.h>
#include <unistd.h>

#define NBUCKETS 4096u

static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
static FileRes *by_key[NBUCKETS], *by_owner[NBUCKETS];
static atomic_size_t live; /* entries in the table: exits skip the lock when 0 */
static atomic_uint_fast64_t next_id;

static unsigned bucket(uint64_t v) { return (unsigned)((v * 0x9E3779B97F4A7C15u) >> 52) % NBUCKETS; }

static void destroy(FileRes *r)
{
    if (r->fd >= 0) close(r->fd);
    for (size_t i = r->seg_head; i < r->nseg; i++) binary_release(r->segs[i].bin);
    free(r->segs);
    pthread_mutex_destroy(&r->lock);
    free(r);
}

Term file_res_new(Process *p, FileRes *r)
{
    r->key = FILE_RES_TAG | (atomic_fetch_add_explicit(&next_id, 1, memory_order_relaxed) + 1);
    r->owner = pid_number(p->pid);
    atomic_init(&r->refs, 1);
    pthread_mutex_init(&r->lock, NULL);
    pthread_mutex_lock(&table_lock);
    unsigned k = bucket(r->key), o = bucket(r->owner);
    r->next = by_key[k], by_key[k] = r;
    r->onext = by_owner[o], by_owner[o] = r;
    atomic_fetch_add(&live, 1);
    pthread_mutex_unlock(&table_lock);
    Term *hp = heap_alloc(p, 1 + REF_WORDS);
    hp[0] = make_header(REF_WORDS, HDR_REF);
    hp[1] = (Term)r->key;
    hp[2] = (Term)r->owner;
    return make_boxed(hp);
}

FileRes *file_res_get(Term t, bool *stale)
{
    *stale = false;
    if (!is_ref(t) || header_arity(boxed_val(t)[0]) != REF_WORDS) return NULL;
    uint64_t key = boxed_val(t)[1];
    if (!(key & FILE_RES_TAG)) return NULL;
    pthread_mutex_lock(&table_lock);
    FileRes *r = by_key[bucket(key)];
    while (r && r->key != key) r = r->next;
    if (r) atomic_fetch_add(&r->refs, 1);
    pthread_mutex_unlock(&table_lock);
    *stale = r == NULL;
    return r;
}

void file_res_put(FileRes *r)
{
    if (atomic_fetch_sub(&r->refs, 1) == 1) destroy(r);
}

/* Unlinks r from both chains (table lock held); false if it is not there. */
static bool unlink_locked(FileRes *r)
{
    FileRes **pp = &by_key[bucket(r->key)];
    while (*pp && *pp != r) pp = &(*pp)->next;
    if (!*pp) return false;
    *pp = r->next;
    for (pp = &by_owner[bucket(r->owner)]; *pp != r; pp = &(*pp)->onext) {}
    *pp = r->onext;
    atomic_fetch_sub(&live, 1);
    return true;
}

bool file_res_remove(FileRes *r)
{
    pthread_mutex_lock(&table_lock);
    bool was = unlink_locked(r);
    pthread_mutex_unlock(&table_lock);
    if (was) file_res_put(r); /* the table's reference */
    return was;
}

void file_res_owner_exit(Process *p)
{
    if (atomic_load_explicit(&live, memory_order_relaxed) == 0) return;
    uint64_t owner = pid_number(p->pid);
    FileRes *gone = NULL;
    pthread_mutex_lock(&table_lock);
    for (FileRes *r = by_owner[bucket(owner)], *nx; r; r = nx) {
        nx = r->onext;
        if (r->owner == owner && unlink_locked(r)) r->onext = gone, gone = r;
    }
    pthread_mutex_unlock(&table_lock);
    for (FileRes *nx; gone; gone = nx) {
        nx = gone->onext;
        file_res_put(gone);
    }
}
