/*
 * heap.h - allocation on a process heap and garbage collection.
 *
 * The collector is a generational copying (Cheney) collector. Roots are the
 * live x registers passed in, every term word on the stack (continuation
 * pointers are header-tagged and skipped; catch tags are immediates), the
 * process dictionary, the exception fields, the group leader and the queued
 * messages whose term is on the heap (sent to itself, or small ones moved
 * there when they arrived). Objects outside the heap, its fragments and the
 * old generation (literals, atoms' text) are never copied.
 */
#ifndef ERBIUM_HEAP_H
#define ERBIUM_HEAP_H

#include "runtime/proc/process.h"

#define HEAP_DEFAULT_WORDS 233 /* as OTP's default min_heap_size */
/*
 * A new process's first block, in words: a process that waits in receive
 * right away needs only a few, so an idle process stays small; its first
 * collection gives it its min_heap_size.
 */
#define HEAP_FIRST_WORDS 12

/* Gives p an empty heap+stack block of at least `words` words. 0 on success. */
int heap_init(Process *p, size_t words);
/*
 * The same for a new process: a block of HEAP_FIRST_WORDS, or more when
 * `need` words (its arguments and its first stack word) would not fit; its
 * collections keep at least min_words (at least HEAP_DEFAULT_WORDS).
 */
int heap_init_first(Process *p, size_t need, size_t min_words);
/* Frees the block and all fragments. */
void heap_destroy(Process *p);

static inline size_t heap_free_words(const Process *p) { return (size_t)(p->stop - p->htop); }

/* heap_gc's result when the collection would pass p's max_heap_size with kill set
   (max_heap.h): nothing was collected, and p must be killed (maxheap_kill). */
#define HEAP_GC_KILLED 1

/*
 * Makes sure `need` words are free between htop and stop, collecting
 * garbage if not, with x[0..live) as register roots (updated in place).
 * The block grows as needed. Returns 0, HEAP_GC_KILLED, or -1 when memory
 * is exhausted. After a call, every pointer into the heap or stack must be
 * reloaded.
 */
int heap_gc(Process *p, size_t need, Term *x, int live);
/*
 * Collects now, like heap_gc, but a major collection: everything live,
 * the old generation included, ends up in one new heap and nothing dead is
 * kept (heap_gc may leave dead objects in the old generation; see gc.c).
 */
int heap_gc_major(Process *p, size_t need, Term *x, int live);
/*
 * A major collection that also copies onto the heap every object of literal
 * area `a` the process refers to, so that the area can be freed (a purged
 * module's literals, runtime/loader/code_literals.c).
 */
struct LiteralArea;
int heap_gc_copy_literals(Process *p, const struct LiteralArea *a, Term *x, int live);

/* The heap block sizes the collector uses, in order (system_info(heap_sizes)): the one
   after `words` (0 gives the smallest), or 0 past the largest. */
size_t heap_size_after(size_t words);

/*
 * Words for a BIF or the runtime to build a term in, never collecting: from
 * the heap if there is room (always leaving one word free: the interpreter
 * keeps that slack for a call's return address), else from a heap fragment. The memory is
 * valid until the next heap_gc. Aborts the VM only if malloc fails.
 */
Term *heap_alloc(Process *p, size_t words);
/* The n bytes at s as a string (a list of byte values) on p's heap. */
Term heap_string(Process *p, const char *s, size_t n);

/* [Head | Tail], {A, B} and {A, B, C, D} built with heap_alloc (so they never collect). */
static inline Term heap_cons(Process *p, Term head, Term tail)
{
    Term *hp = heap_alloc(p, 2);
    hp[0] = head;
    hp[1] = tail;
    return make_list(hp);
}

static inline Term heap_tuple2(Process *p, Term a, Term b)
{
    Term *hp = heap_alloc(p, 3);
    hp[0] = make_tuple_header(2);
    hp[1] = a;
    hp[2] = b;
    return make_boxed(hp);
}

static inline Term heap_tuple3(Process *p, Term a, Term b, Term c)
{
    Term *hp = heap_alloc(p, 4);
    hp[0] = make_tuple_header(3);
    hp[1] = a;
    hp[2] = b;
    hp[3] = c;
    return make_boxed(hp);
}

static inline Term heap_tuple4(Process *p, Term a, Term b, Term c, Term d)
{
    Term *hp = heap_alloc(p, 5);
    hp[0] = make_tuple_header(4);
    hp[1] = a;
    hp[2] = b;
    hp[3] = c;
    hp[4] = d;
    return make_boxed(hp);
}

/* Collections so far in all processes and the words they reclaimed. */
void heap_gc_totals(uint64_t *gcs, uint64_t *reclaimed);

/* Total words in use (heap, fragments, stack and old generation), for process_info and tests. */
size_t heap_used_words(const Process *p);
/* Words p allocated on its heap since it began (messages taken from the queue
   included), which garbage collection does not reset; the difference of two
   readings is what was allocated between them (call_memory). `htop`: the heap
   top, which the interpreter keeps in a register while running. */
static inline uint64_t heap_allocated_words(const Process *p, const Term *htop)
{
    return p->alloc_base + (uint64_t)(htop - p->heap) + p->frag_words;
}

/*
 * Copies term t (which may live anywhere, e.g. another heap or a literal
 * area) onto p's heap via heap_alloc, and returns the copy. Shared subterms
 * are copied once per reference.
 */
size_t term_size(Term t);
Term term_copy(Process *p, Term t);
/* Copies t into the `words` words at hp (words >= term_size(t)). */
Term term_copy_to(Term t, Term *hp);

#endif
