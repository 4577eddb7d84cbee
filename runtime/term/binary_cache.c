/*
 * binary_cache.c - the large-block cache of binary_cache.h: a handful of
 * slots under one mutex (only blocks of a megabyte or more come here, so the
 * lock is taken rarely).
 */
#include "runtime/term/binary_cache.h"

#include <malloc.h>
#include <pthread.h>
#include <stdlib.h>

#define BINCACHE_SLOTS 4

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static void *cached[BINCACHE_SLOTS];

void *bincache_take(size_t bytes)
{
    if (bytes < BINCACHE_MIN_BYTES) return NULL;
    void *found = NULL;
    pthread_mutex_lock(&cache_lock);
    for (int i = 0; i < BINCACHE_SLOTS && !found; i++) {
        size_t usable = cached[i] ? malloc_usable_size(cached[i]) : 0;
        /* at most twice the size wanted, so a small Binary does not pin a huge block */
        if (usable >= bytes && usable / 2 <= bytes) found = cached[i], cached[i] = NULL;
    }
    pthread_mutex_unlock(&cache_lock);
    return found;
}

bool bincache_give(void *block)
{
    if (malloc_usable_size(block) < BINCACHE_MIN_BYTES) return false;
    bool kept = false;
    void *evicted = NULL;
    pthread_mutex_lock(&cache_lock);
    for (int i = 0; i < BINCACHE_SLOTS && !kept; i++)
        if (!cached[i]) cached[i] = block, kept = true;
    if (!kept) {
        /* the newest blocks are the likeliest to be wanted again: the oldest goes */
        evicted = cached[0];
        for (int i = 1; i < BINCACHE_SLOTS; i++) cached[i - 1] = cached[i];
        cached[BINCACHE_SLOTS - 1] = block;
    }
    pthread_mutex_unlock(&cache_lock);
    free(evicted);
    return true;
}
