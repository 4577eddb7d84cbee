/*
 * heap_cache.c - the large heap block cache of heap_cache.h: a handful of
 * slots under one mutex (only blocks of 256 KB or more come here, that is
 * collections that copy or could copy that much, so the lock is rare).
 */
#include "runtime/proc/heap_cache.h"

#include <pthread.h>
#include <stdlib.h>

#define HCACHE_SLOTS 4

static pthread_mutex_t hcache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
    Term *block;
    size_t words;
} hcache[HCACHE_SLOTS];

static bool hcache_fits(size_t words) { return words >= HCACHE_MIN_WORDS && words <= HCACHE_MAX_WORDS; }

Term *hcache_take(size_t words)
{
    if (!hcache_fits(words)) return NULL;
    Term *found = NULL;
    pthread_mutex_lock(&hcache_lock);
    for (int i = 0; i < HCACHE_SLOTS && !found; i++)
        if (hcache[i].block && hcache[i].words >= words && hcache[i].words / 2 <= words) {
            found = hcache[i].block;
            hcache[i].block = NULL;
        }
    pthread_mutex_unlock(&hcache_lock);
    return found;
}

void hcache_free(Term *block, size_t words)
{
    if (!block || !hcache_fits(words)) {
        free(block);
        return;
    }
    Term *evicted = NULL;
    pthread_mutex_lock(&hcache_lock);
    int i = 0;
    while (i < HCACHE_SLOTS && hcache[i].block) i++;
    if (i == HCACHE_SLOTS) {
        /* the newest blocks are the likeliest to be wanted again: the oldest goes */
        evicted = hcache[0].block;
        for (i = 1; i < HCACHE_SLOTS; i++) hcache[i - 1] = hcache[i];
        i = HCACHE_SLOTS - 1;
    }
    hcache[i].block = block;
    hcache[i].words = words;
    pthread_mutex_unlock(&hcache_lock);
    free(evicted);
}
