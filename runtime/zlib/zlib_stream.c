/* zlib_stream.c - zlib stream handles and their registry (see zlib_stream.h). */
#include "runtime/zlib/zlib_stream.h"

#include "runtime/proc/heap.h"
#include "runtime/term/atom.h"
#include "runtime/term/binary.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

/* Open addressing by id; a freed slot becomes a tombstone until the table is rebuilt. */
#define TOMB ((ZStream *)1)

static pthread_mutex_t reg_lock = PTHREAD_MUTEX_INITIALIZER;
static ZStream **slots;
static size_t nslots, used, live;
static atomic_size_t open_streams; /* read without the lock by zlib_owner_exit */
static uint64_t next_id = 1;

static size_t slot_of(uint64_t id) { return (size_t)(id * 0x9E3779B97F4A7C15ull) & (nslots - 1); }

static bool grow(void)
{
    size_t n = nslots ? nslots * 2 : 64;
    while (live * 2 >= n) n *= 2;
    ZStream **s = calloc(n, sizeof *s);
    if (!s) return false;
    ZStream **old = slots;
    size_t oldn = nslots;
    slots = s;
    nslots = n;
    used = 0;
    for (size_t i = 0; i < oldn; i++)
        if (old[i] && old[i] != TOMB) {
            size_t j = slot_of(old[i]->id);
            while (slots[j]) j = (j + 1) & (n - 1);
            slots[j] = old[i];
            used++;
        }
    free(old);
    return true;
}

static void *zs_alloc(void *opaque, unsigned items, unsigned size) { return calloc(items, size); }
static void zs_zfree(void *opaque, void *addr) { free(addr); }

ZStream *zs_new(Process *p)
{
    ZStream *zs = calloc(1, sizeof *zs);
    if (!zs) return NULL;
    zs->owner = p->pid;
    zs->s.zalloc = zs_alloc;
    zs->s.zfree = zs_zfree;
    zs->s.data_type = Z_BINARY;
    zs->eos_behavior = ZS_EOS_CUT;
    zs->chunk_bufsize = 4000;
    pthread_mutex_lock(&reg_lock);
    if ((used + 1) * 4 >= nslots * 3 && !grow()) {
        pthread_mutex_unlock(&reg_lock);
        free(zs);
        return NULL;
    }
    zs->id = next_id++;
    size_t j = slot_of(zs->id);
    while (slots[j] && slots[j] != TOMB) j = (j + 1) & (nslots - 1);
    if (!slots[j]) used++;
    slots[j] = zs;
    live++;
    atomic_fetch_add(&open_streams, 1);
    pthread_mutex_unlock(&reg_lock);
    return zs;
}

Term zs_handle(Process *p, const ZStream *zs)
{
    Term *hp = heap_alloc(p, 1 + REF_WORDS);
    hp[0] = make_header(REF_WORDS, HDR_REF);
    hp[1] = (Term)zs->id;
    hp[2] = ZS_REF_MARK;
    return make_boxed(hp);
}

/* The slot holding id (lock held), or NULL. */
static ZStream **find(uint64_t id)
{
    if (!nslots) return NULL;
    for (size_t j = slot_of(id);; j = (j + 1) & (nslots - 1)) {
        if (!slots[j]) return NULL;
        if (slots[j] != TOMB && slots[j]->id == id) return &slots[j];
    }
}

ZStream *zs_lookup(Process *p, Term handle, Term *reason)
{
    if (!is_ref(handle) || boxed_val(handle)[2] != ZS_REF_MARK) {
        *reason = AM_badarg;
        return NULL;
    }
    pthread_mutex_lock(&reg_lock);
    ZStream **s = find((uint64_t)boxed_val(handle)[1]);
    ZStream *zs = s ? *s : NULL;
    bool mine = zs && zs->owner == p->pid; /* owner changes under the lock (zs_set_owner) */
    pthread_mutex_unlock(&reg_lock);
    if (!zs) *reason = AM_not_initialized;
    else if (!mine) *reason = AM_not_on_controlling_process;
    else return zs;
    return NULL;
}

void zs_set_owner(ZStream *zs, Term pid)
{
    pthread_mutex_lock(&reg_lock);
    zs->owner = pid;
    pthread_mutex_unlock(&reg_lock);
}

static void release(ZStream *zs)
{
    if (zs->state == ZS_DEFLATE) deflateEnd(&zs->s);
    else if (zs->state == ZS_INFLATE) inflateEnd(&zs->s);
    if (zs->stash) {
        binary_drop_copy(zs->stash + 1, zs->stash_words);
        free(zs->stash);
    }
    free(zs->q);
    free(zs);
}

void zs_free(ZStream *zs)
{
    pthread_mutex_lock(&reg_lock);
    ZStream **s = find(zs->id);
    if (s) {
        *s = TOMB;
        live--;
        atomic_fetch_sub(&open_streams, 1);
    }
    pthread_mutex_unlock(&reg_lock);
    release(zs);
}

void zlib_owner_exit(Process *p)
{
    if (atomic_load(&open_streams) == 0) return;
    ZStream *mine = NULL;
    pthread_mutex_lock(&reg_lock);
    for (size_t j = 0; j < nslots; j++) {
        ZStream *zs = slots[j];
        if (!zs || zs == TOMB || zs->owner != p->pid) continue;
        slots[j] = TOMB;
        live--;
        atomic_fetch_sub(&open_streams, 1);
        zs->next_dead = mine;
        mine = zs;
    }
    pthread_mutex_unlock(&reg_lock);
    while (mine) {
        ZStream *next = mine->next_dead;
        release(mine);
        mine = next;
    }
}
