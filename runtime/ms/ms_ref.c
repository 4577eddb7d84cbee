/*
 * ms_ref.c - compiled-ms terms: references that name a registered MsProg.
 *
 * A compiled-ms term is a reference whose second id word carries MS_MARK
 * (no pid number, which make_ref stores there, comes near it) and whose
 * first word is the program's index in the registry. Registered programs
 * stay until ms_ref_shutdown(): erbium has no finaliser for a reference
 * yet, so instead a spec compiled again finds its program (interned by
 * hash and =:=), and memory grows only with the number of distinct specs.
 *
 * Readers find a program without a lock: the registry is chunked, and a
 * chunk never moves once published.
 */
#include "runtime/ms/ms_int.h"

#include "runtime/proc/heap.h"
#include "runtime/term/map.h"
#include "runtime/term/term_cmp.h"

#include <pthread.h>
#include <stdlib.h>

#define MS_MARK ((Term)0xE5 << 56)
#define CHUNK_BITS 12
#define CHUNK_SIZE ((size_t)1 << CHUNK_BITS)
#define MAX_CHUNKS 4096

typedef struct Entry {
    MsProg *prog;
    uint32_t hash;
} Entry;

static _Atomic(Entry *) chunks[MAX_CHUNKS];
static atomic_size_t count;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
/* open addressing over indices + 1 (0 = empty), for interning; guarded by lock */
static size_t *buckets;
static size_t nbuckets;
static atomic_uint_fast64_t serial;

static Entry *entry(size_t i)
{
    Entry *c = atomic_load_explicit(&chunks[i >> CHUNK_BITS], memory_order_acquire);
    return &c[i & (CHUNK_SIZE - 1)];
}

static size_t find(uint32_t hash, const MsProg *prog)
{
    if (!nbuckets) return 0;
    for (size_t b = hash & (nbuckets - 1);; b = (b + 1) & (nbuckets - 1)) {
        size_t i = buckets[b];
        if (!i) return 0;
        Entry *e = entry(i - 1);
        if (e->hash == hash && e->prog->dialect == prog->dialect && term_eq_exact(e->prog->spec, prog->spec))
            return i;
    }
}

static bool rehash(void)
{
    size_t n = nbuckets ? nbuckets * 2 : 1024;
    size_t *nb = calloc(n, sizeof(size_t));
    if (!nb) return false;
    size_t total = atomic_load_explicit(&count, memory_order_relaxed);
    for (size_t i = 0; i < total; i++) {
        size_t b = entry(i)->hash & (n - 1);
        while (nb[b]) b = (b + 1) & (n - 1);
        nb[b] = i + 1;
    }
    free(buckets);
    buckets = nb;
    nbuckets = n;
    return true;
}

/* Registers prog (taking a reference) unless an equal program is there; its index + 1, or 0. */
static size_t intern(MsProg *prog)
{
    uint32_t hash = map_hash(prog->spec, 0);
    pthread_mutex_lock(&lock);
    size_t i = find(hash, prog);
    size_t n = atomic_load_explicit(&count, memory_order_relaxed);
    if (!i && n < (size_t)MAX_CHUNKS * CHUNK_SIZE && ((n + 1) * 2 < nbuckets || rehash())) {
        size_t c = n >> CHUNK_BITS;
        if (!atomic_load_explicit(&chunks[c], memory_order_relaxed))
            atomic_store_explicit(&chunks[c], calloc(CHUNK_SIZE, sizeof(Entry)), memory_order_release);
        if (atomic_load_explicit(&chunks[c], memory_order_relaxed)) {
            ms_retain(prog);
            *entry(n) = (Entry){prog, hash};
            size_t b = hash & (nbuckets - 1);
            while (buckets[b]) b = (b + 1) & (nbuckets - 1);
            buckets[b] = n + 1;
            atomic_store_explicit(&count, n + 1, memory_order_release);
            i = n + 1;
        }
    }
    pthread_mutex_unlock(&lock);
    return i;
}

Term ms_ref_make(Process *p, MsProg *prog)
{
    size_t i = intern(prog);
    if (!i) return THE_NON_VALUE;
    uint64_t s = atomic_fetch_add_explicit(&serial, 1, memory_order_relaxed);
    Term *hp = heap_alloc(p, 1 + REF_WORDS);
    hp[0] = make_header(REF_WORDS, HDR_REF);
    hp[1] = (Term)(i - 1);
    hp[2] = MS_MARK | (Term)(s & 0xFFFFFFFFFFFFu);
    return make_boxed(hp);
}

MsProg *ms_ref_prog(Term t)
{
    if (!is_ref(t)) return NULL;
    const Term *w = boxed_val(t);
    if ((w[2] & ((Term)0xFF << 56)) != MS_MARK) return NULL;
    size_t i = (size_t)w[1];
    if (i >= atomic_load_explicit(&count, memory_order_acquire)) return NULL;
    return entry(i)->prog;
}

void ms_ref_shutdown(void)
{
    pthread_mutex_lock(&lock);
    size_t n = atomic_load_explicit(&count, memory_order_relaxed);
    for (size_t i = 0; i < n; i++) ms_release(entry(i)->prog);
    for (size_t c = 0; c < MAX_CHUNKS; c++) {
        free(atomic_load_explicit(&chunks[c], memory_order_relaxed));
        atomic_store_explicit(&chunks[c], NULL, memory_order_relaxed);
    }
    atomic_store_explicit(&count, 0, memory_order_relaxed);
    free(buckets);
    buckets = NULL;
    nbuckets = 0;
    pthread_mutex_unlock(&lock);
}
