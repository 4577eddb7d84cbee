/*
 * heap_cache.h - a few freed large heap blocks kept for the next collection.
 *
 * A collection copies into a new block and frees the old one, so a process
 * with a large heap (binary trees' young generation: 4 MB) asks malloc for a
 * block of the same size at every collection. glibc returns such blocks to
 * the system (unmapped, or trimmed from an arena's top), and the next one
 * costs a page fault per page when the copy or the program first writes it:
 * measured, page faults were 12% of binary trees' run time. Like OTP's
 * segment cache, the last few freed large blocks are kept and handed out
 * again for a block of about their size.
 */
#ifndef ERBIUM_HEAP_CACHE_H
#define ERBIUM_HEAP_CACHE_H

#include "runtime/term/term.h"

#include <stdbool.h>
#include <stddef.h>

/* Blocks outside [HCACHE_MIN_WORDS, HCACHE_MAX_WORDS] are left to malloc: small ones malloc
   reuses well, and the cache must not pin a huge block (it holds at most a few of these). */
#define HCACHE_MIN_WORDS ((size_t)32 * 1024)
#define HCACHE_MAX_WORDS ((size_t)2 * 1024 * 1024)

/* A cached block of at least `words` words and at most twice that, or NULL. */
Term *hcache_take(size_t words);

/* Frees a heap block of `words` words (NULL is fine), keeping it in the cache if it fits. */
void hcache_free(Term *block, size_t words);

#endif
