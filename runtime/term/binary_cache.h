/*
 * binary_cache.h - a few freed large Binary blocks kept for the next large
 * Binary.
 *
 * A fresh block of many megabytes costs a page fault per page when first
 * written (a 100 MB file read spends most of its time faulting in the
 * buffer), and glibc maps and unmaps every such block anew. Like OTP's
 * segment cache, erbium keeps the last few freed large blocks and hands one
 * out again when a Binary of about its size is wanted.
 */
#ifndef ERBIUM_BINARY_CACHE_H
#define ERBIUM_BINARY_CACHE_H

#include <stdbool.h>
#include <stddef.h>

/* Blocks smaller than this are left to malloc. */
#define BINCACHE_MIN_BYTES ((size_t)1 << 20)

/* A cached malloc block of at least `bytes` usable bytes and not much more, or NULL. */
void *bincache_take(size_t bytes);

/* Keeps a malloc block that is being freed (true), or declines (false: free it). */
bool bincache_give(void *block);

#endif
