/*
 * heap.c - the process heap block and heap fragments (see heap.h).
 *
 * heap_alloc is how BIFs and the runtime get memory: it never collects, so
 * when the block is full it falls back to a fragment. A small request is
 * served from the newest fragment while it has room, so that a BIF building
 * its result piece by piece does not call malloc once per piece. The
 * collector (gc.c) copies what is live out of the fragments into the new
 * heap and frees them.
 */
#include "runtime/proc/heap.h"
#include "runtime/proc/heap_cache.h"
#include "runtime/proc/proc_flags.h"

#include "runtime/term/binary.h"

#include <stdio.h>
#include <stdlib.h>

/* A fragment made for a small request gets this many words, the rest is spare. */
#define FRAG_MIN_WORDS 256

/* A block of `words` words; collections keep at least min_words. */
static int heap_init_block(Process *p, size_t words, size_t min_words)
{
    if (words > SIZE_MAX / sizeof(Term)) return -1;
    Term *block = malloc(words * sizeof(Term));
    if (!block) return -1;
    p->heap = block;
    p->htop = block;
    p->hwm = block;
    p->hend = block + words;
    p->stop = p->hend;
    p->frags = NULL;
    p->frag_words = 0;
    p->min_heap_words = min_words < HEAP_DEFAULT_WORDS ? HEAP_DEFAULT_WORDS : min_words;
    p->gc_count = 0;
    p->flags.fullsweep_after = PFLAG_FULLSWEEP_DEFAULT; /* a new heap allows minor collections */
    p->flags.minor_gcs = 0;
    p->off_heap = (struct OffHeap){NULL, 0, 0};
    return 0;
}

int heap_init(Process *p, size_t words)
{
    if (words < HEAP_DEFAULT_WORDS) words = HEAP_DEFAULT_WORDS;
    return heap_init_block(p, words, words);
}

int heap_init_first(Process *p, size_t need, size_t min_words)
{
    /* strictly more than `need`: one word stays free for a call's return address */
    size_t words = need < HEAP_FIRST_WORDS ? HEAP_FIRST_WORDS : heap_size_after(need);
    if (words == 0) return -1;
    return heap_init_block(p, words, min_words);
}

void heap_destroy(Process *p)
{
    binary_release_all(p);
    for (HeapFrag *f = p->frags, *next; f; f = next) {
        next = f->next;
        free(f);
    }
    hcache_free(p->heap, (size_t)(p->hend - p->heap));
    hcache_free(p->old_heap, (size_t)(p->old_hend - p->old_heap));
    p->heap = p->htop = p->stop = p->hend = p->hwm = NULL;
    p->old_heap = p->old_htop = p->old_hend = NULL;
    p->frags = NULL;
    p->frag_words = 0;
    process_attention_clear(p, PATTN_FRAGS);
}

static _Noreturn void heap_out_of_memory(size_t words)
{
    fprintf(stderr, "erbium: out of memory allocating a heap fragment of %zu words\n", words);
    abort();
}

static HeapFrag *heap_frag_new(size_t words)
{
    if (words > (SIZE_MAX - sizeof(HeapFrag)) / sizeof(Term)) heap_out_of_memory(words);
    HeapFrag *f = malloc(sizeof(HeapFrag) + words * sizeof(Term));
    if (!f) heap_out_of_memory(words);
    f->size = words;
    f->used = 0;
    return f;
}

/*
 * The newest fragment stays first in the list so small requests can use
 * its spare room; a fragment made for a large request is linked second so
 * that it does not hide that room.
 */
static __attribute__((cold, noinline)) Term *heap_alloc_frag(Process *p, size_t words)
{
    HeapFrag *f = p->frags;
    if (!f || f->size - f->used < words) {
        f = heap_frag_new(words < FRAG_MIN_WORDS ? FRAG_MIN_WORDS : words);
        if (words >= FRAG_MIN_WORDS && p->frags) {
            f->next = p->frags->next;
            p->frags->next = f;
        } else {
            f->next = p->frags;
            p->frags = f;
        }
    }
    Term *hp = f->mem + f->used;
    f->used += words;
    p->frag_words += words;
    process_attention_set(p, PATTN_FRAGS);
    return hp;
}

Term *heap_alloc(Process *p, size_t words)
{
    /* Strictly more: the last free word is kept for the return address a call pushes. */
    if (__builtin_expect(heap_free_words(p) > words, 1)) {
        Term *hp = p->htop;
        p->htop += words;
        return hp;
    }
    return heap_alloc_frag(p, words);
}

Term heap_string(Process *p, const char *s, size_t n)
{
    Term *hp = heap_alloc(p, 2 * n), list = NIL;
    for (size_t i = n; i > 0; i--, hp += 2) {
        hp[0] = make_small((unsigned char)s[i - 1]);
        hp[1] = list;
        list = make_list(hp);
    }
    return list;
}

size_t heap_used_words(const Process *p)
{
    return (size_t)(p->htop - p->heap) + (size_t)(p->hend - p->stop) + p->frag_words +
           (size_t)(p->old_htop - p->old_heap);
}
