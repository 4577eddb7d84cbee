/*
 * gc.c - the generational copying garbage collector (heap_gc, see heap.h).
 *
 * A collection is Cheney's algorithm: the roots' objects are copied into a
 * new block, then a scan pointer walks the new heap word by word and copies
 * whatever the scanned words point to, until it meets the allocation
 * pointer. The walk needs no stack, so any list length or nesting depth is
 * fine. From-space is the current heap [heap, htop) plus every fragment
 * (and in a major collection the old generation, see below); any other
 * address (literal areas, static terms) is left alone and not scanned.
 *
 * Walking a heap works because the first word of a boxed object is a header
 * and the first word of a cons cell (its head, a value) never is. A header
 * gives the object's size and, through hdr_raw_words(), which words hold
 * raw data that must not be read as terms.
 *
 * A copied object leaves a forwarding mark behind so that other references
 * to it find the one copy (sharing is preserved): a boxed object's old
 * header becomes a boxed pointer to the copy (a header is never tagged
 * boxed); a cons cell's old head becomes GC_MOVED_CONS and its old tail the
 * new list term.
 *
 * Reference-counted binaries (binary.h): every handle the collection
 * copies is linked into a new off-heap list as it is copied; then the old
 * list is walked, and a handle there whose header was not replaced by a
 * forwarding pointer is garbage, so its Binary loses a reference. The
 * collector also runs when the binaries referred to grow past the process's
 * limit (binary_vheap_full), which after each collection is a quarter
 * more than what survived; a BIF that leaves binaries past it makes its
 * process collect when it returns (PATTN_BINARIES).
 *
 * Generations. Most objects die young, but a large long-lived structure
 * would be copied again by every collection. So, as in OTP, a process's
 * objects that survived two collections move to an old generation, a
 * separate block (p->old_heap) that minor collections neither copy nor
 * scan: the heap words below the high-water mark p->hwm (the end of what
 * the last collection copied) are promoted into it, the rest is copied
 * into the new heap, and a second Cheney scan pointer walks what was
 * promoted. This is sound because terms are immutable: an object only
 * refers to objects older than itself, so what is old never refers to what
 * is young. The one exception is the process dictionary, whose table and
 * bucket lists pdict.c updates in place: a minor collection walks it and
 * treats the slots of its old parts as roots. A major collection copies
 * everything, old generation included, into the new heap and drops the old
 * block; it happens when the aged objects no longer fit in the old
 * generation, and when the off-heap binaries are due for a sweep. A
 * process whose aged objects are few (below GC_OLD_MIN_WORDS) gets no old
 * generation: copying them costs less than the block.
 *
 * Releasing a purged module's literals (heap_gc_copy_literals): a major
 * collection that also copies every object of one literal area the process
 * refers to. The area is shared and read-only, so no forwarding mark can be
 * left in it: a table from old address to copy keeps sharing instead.
 *
 * Sizing follows OTP's heap size series (12, 38, then each size the sum of
 * the two before plus one, from 833026 words 20% steps). The new block must
 * hold the worst case, everything live; once the live size is known the
 * block is resized when live data (with stack and `need`) fills more than
 * 3/4 of it or, above the minimum size, less than 1/4, to the series size
 * that leaves it at most half full. A minor collection keeps the heap's
 * size (it grows only if the young objects might not fit), unless the heap
 * is large and under a quarter used: then it shrinks in place as OTP's does
 * (gc_minor_shrunk_size), never below an eighth of the old generation, so
 * the long-lived data gone there does not leave a small heap that is
 * collected often and promotes young objects that die soon after. The old
 * generation is made twice the size of the first objects promoted into it.
 * Large blocks are taken from and freed into heap_cache.h, so a process with
 * a large heap reuses the pages of its last collection's blocks.
 */
#include "runtime/proc/heap.h"

#include "runtime/proc/heap_cache.h"
#include "runtime/proc/max_heap.h"
#include "runtime/term/binary.h"
#include "runtime/term/literal.h"
#include "runtime/term/offheap.h"
#include "profiler/trace_msg.h"
#include "runtime/sysmon/sysmon.h"
#include "sched/msacc.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <sys/mman.h>

/* A header word with an unused subtag: cannot be a cons cell's head. */
#define GC_MOVED_CONS make_header(0, 0xF)

/* Sizes beyond this are refused (a block must stay far from SIZE_MAX bytes). */
#define GC_MAX_WORDS ((size_t)1 << 56)

/* Number of leading entries of the series built by the +1 Fibonacci rule. */
#define GC_FIB_SIZES 23

#define GC_INLINE_RANGES 16

/*
 * Aged words that make it worth having an old generation. Without one every
 * collection copies all live data again, which a loop that keeps a few hundred
 * words alive while it allocates floats pays at each collection (mandelbrot:
 * 2.90G instructions at 8192, 2.06G at 1024; spectral-norm -9%; binary trees
 * +0.9%).
 */
#define GC_OLD_MIN_WORDS 1024

/*
 * A process that keeps collecting (an allocation-heavy loop) while an eighth
 * or more of its heap stays live gets a larger heap, up to this many words:
 * each collection costs about its live data, so fewer collections cost
 * proportionally less (instructions under callgrind: n-body 1.54G -> 1.23G,
 * fannkuch 5.21G -> 4.14G). Only after GC_NURSERY_AFTER collections, so
 * processes that rarely collect keep OTP's small heaps.
 */
#define GC_NURSERY_MAX_WORDS 2584
#define GC_NURSERY_AFTER 8

/* After a minor collection, a heap of GC_SHRINK_FROM words or more that is
   under a quarter used shrinks, if it is also larger than the old generation
   or than GC_SHRINK_ALWAYS_FROM words (OTP's thresholds). */
#define GC_SHRINK_FROM 3000
#define GC_SHRINK_ALWAYS_FROM 8000

/* Blocks from this size on are backed by huge pages where the system allows. */
#define GC_HUGE_PAGE_BYTES ((size_t)4 << 20)

typedef struct GcRange {
    uintptr_t lo, hi;
} GcRange;

typedef struct Gc {
    uintptr_t young_lo, young_hi; /* the heap's objects: [heap, htop) */
    uintptr_t aged_hi;            /* minor: [young_lo, aged_hi) is promoted; else young_lo */
    uintptr_t old_lo, old_hi;     /* major: the old generation's objects; else empty */
    uintptr_t frag_lo, frag_hi;   /* envelope of all fragments (0, 0 if none) */
    GcRange *frags;             /* fragments' [mem, mem + used), sorted by lo */
    size_t nfrags;
    GcRange inline_frags[GC_INLINE_RANGES];
    Term *htop;                 /* next free word in the new heap */
    Term *old_top;              /* minor: next free word in the old generation; else NULL */
    Term *off_heap;             /* the new off-heap list: refc handles copied so far */
    size_t off_heap_bytes;
    const LiteralArea *lit;     /* heap_gc_copy_literals: the area copied out; else NULL */
    struct GcLitMap *lit_map;
} Gc;

enum { GC_PROC_ROOTS = 7 };

/* The Process fields that hold terms, other than stack and registers. */
static void gc_proc_roots(Process *p, Term *roots[GC_PROC_ROOTS])
{
    roots[0] = &p->dictionary;
    roots[1] = &p->fvalue;
    roots[2] = &p->ftrace;
    roots[3] = &p->fargs;
    roots[4] = &p->group_leader;
    roots[5] = &p->ferror_info;
    roots[6] = &p->seq_label;
}

/* The smallest size in the heap size series that is >= words, or 0 if too large. */
static size_t gc_size_at_least(size_t words)
{
    size_t prev = 12, size = 38;
    if (words <= prev) return prev;
    for (int i = 1; size < words; i++) {
        size_t next = i + 1 < GC_FIB_SIZES ? size + prev + 1 : size + size / 5;
        if (next > GC_MAX_WORDS) return 0;
        prev = size;
        size = next;
    }
    return size;
}

size_t heap_size_after(size_t words) { return gc_size_at_least(words + 1); }

/*
 * A new block of `words` words. The collector writes a large block from
 * start to end right away; first-touch page faults on 4 KiB pages then cost
 * about as much as the copying itself (measured: 68 ms for 80 MB here, 13 ms
 * with huge pages), so large blocks ask for transparent huge pages.
 */
static Term *gc_block_alloc(size_t words)
{
    size_t bytes = words * sizeof(Term);
    Term *block = hcache_take(words);
    if (block) return block; /* already written, and advised below when it was made */
    block = malloc(bytes);
#ifdef MADV_HUGEPAGE
    if (block && bytes >= GC_HUGE_PAGE_BYTES) {
        uintptr_t page = 4096, start = ((uintptr_t)block + page - 1) & ~(page - 1);
        uintptr_t end = ((uintptr_t)block + bytes) & ~(page - 1);
        madvise((void *)start, end - start, MADV_HUGEPAGE); /* only advice: failure is harmless */
    }
#endif
    return block;
}

/* ---- from-space membership ---- */

/* Records the fragments' address ranges. -1 when out of memory. */
/* Few ranges (the usual case: a few messages) sort faster in place than with qsort,
   which in glibc allocates a buffer for a merge sort. */
#define GC_INSERTION_SORT_MAX 64

static void gc_ranges_insertion_sort(GcRange *r, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        GcRange v = r[i];
        size_t j = i;
        for (; j > 0 && r[j - 1].lo > v.lo; j--) r[j] = r[j - 1];
        r[j] = v;
    }
}

/* More ranges (a process that received many messages): in place, no callbacks, no malloc. */
static void gc_ranges_sift(GcRange *r, size_t root, size_t n)
{
    GcRange v = r[root];
    for (size_t child; (child = 2 * root + 1) < n; root = child) {
        if (child + 1 < n && r[child + 1].lo > r[child].lo) child++;
        if (r[child].lo <= v.lo) break;
        r[root] = r[child];
    }
    r[root] = v;
}

static void gc_ranges_heapsort(GcRange *r, size_t n)
{
    for (size_t i = n / 2; i > 0; i--) gc_ranges_sift(r, i - 1, n);
    for (size_t end = n - 1; end > 0; end--) {
        GcRange top = r[0];
        r[0] = r[end];
        r[end] = top;
        gc_ranges_sift(r, 0, end);
    }
}

static int gc_ranges_init(Gc *g, const Process *p)
{
    size_t n = 0;
    for (const HeapFrag *f = p->frags; f; f = f->next) n++;
    g->nfrags = n;
    g->frag_lo = g->frag_hi = 0;
    g->frags = g->inline_frags;
    if (n == 0) return 0;
    if (n > GC_INLINE_RANGES && !(g->frags = malloc(n * sizeof(GcRange)))) return -1;
    GcRange *r = g->frags;
    for (const HeapFrag *f = p->frags; f; f = f->next, r++) {
        r->lo = (uintptr_t)f->mem;
        r->hi = (uintptr_t)(f->mem + f->used);
    }
    if (n > GC_INSERTION_SORT_MAX) gc_ranges_heapsort(g->frags, n);
    else gc_ranges_insertion_sort(g->frags, n);
    g->frag_lo = g->frags[0].lo;
    for (size_t i = 0; i < n; i++)
        if (g->frags[i].hi > g->frag_hi) g->frag_hi = g->frags[i].hi;
    return 0;
}

static void gc_ranges_free(Gc *g)
{
    if (g->frags != g->inline_frags) free(g->frags);
}

static __attribute__((noinline)) bool gc_in_frag(const Gc *g, uintptr_t a)
{
    size_t lo = 0, hi = g->nfrags; /* find the last range starting at or before a */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (g->frags[mid].lo <= a) lo = mid;
        else hi = mid;
    }
    return a >= g->frags[lo].lo && a < g->frags[lo].hi;
}

static inline bool gc_in_from(const Gc *g, const Term *obj)
{
    uintptr_t a = (uintptr_t)obj;
    if (a - g->young_lo < g->young_hi - g->young_lo) return true;
    if (a - g->old_lo < g->old_hi - g->old_lo) return true;
    if (a < g->frag_lo || a >= g->frag_hi) return false;
    return gc_in_frag(g, a);
}

/* The allocation pointer a from-space object is copied to: aged objects are promoted. */
static inline Term **gc_to(Gc *g, const Term *obj)
{
    return (uintptr_t)obj - g->young_lo < g->aged_hi - g->young_lo ? &g->old_top : &g->htop;
}

/* ---- copying ---- */

/* An off-heap handle (offheap.h) was copied to `copy`: it joins the new off-heap list. */
static void gc_link_handle(Gc *g, Term *copy)
{
    copy[3] = (Term)g->off_heap;
    g->off_heap = copy;
    g->off_heap_bytes += offheap_bytes(copy);
}

/* ---- copying out of a literal area ---- */

typedef struct GcLitMap {
    size_t mask;
    struct {
        const Term *from;
        Term to;
    } e[];
} GcLitMap;

static GcLitMap *gc_lit_map_new(const LiteralArea *a)
{
    size_t cap = 16; /* objects take two words at least: at most half full */
    while (cap < literal_area_words(a)) cap *= 2;
    GcLitMap *m = calloc(1, sizeof *m + cap * sizeof m->e[0]);
    if (!m) abort(); /* the area cannot be freed with references left */
    m->mask = cap - 1;
    return m;
}

/* The slot of obj's copy in the map (empty: not copied yet). */
static size_t gc_lit_slot(const GcLitMap *m, const Term *obj)
{
    size_t i = ((uintptr_t)obj >> 3) * 0x9E3779B97F4A7C15ull >> 20 & m->mask;
    while (m->e[i].from && m->e[i].from != obj) i = (i + 1) & m->mask;
    return i;
}

static void gc_link_handle(Gc *g, Term *copy);

/* *slot refers to an object outside from-space: in literal mode, one of the area's is copied
   to the new heap (once; its words are scanned like any copied object's). */
static __attribute__((noinline)) void gc_fix_literal(Gc *g, Term *slot)
{
    Term t = *slot;
    bool cons = is_list(t);
    const Term *obj = cons ? list_val(t) : boxed_val(t);
    if (!literal_area_holds(g->lit, obj)) return;
    size_t i = gc_lit_slot(g->lit_map, obj);
    if (!g->lit_map->e[i].from) {
        size_t words = cons ? 2 : 1 + header_arity(obj[0]);
        Term *copy = g->htop;
        g->htop += words;
        memcpy(copy, obj, words * sizeof(Term));
        if (!cons && offheap_is_handle(obj[0])) {
            offheap_copied(copy); /* the area keeps its own reference */
            gc_link_handle(g, copy);
        }
        g->lit_map->e[i].from = obj;
        g->lit_map->e[i].to = cons ? make_list(copy) : make_boxed(copy);
    }
    *slot = g->lit_map->e[i].to;
}

/* Makes *slot refer to the new copy of its object, copying it the first time. */
static inline void gc_fix(Gc *g, Term *slot)
{
    Term t = *slot;
    switch (term_primary(t)) {
    case TAG_PRIMARY_LIST: {
        Term *cell = list_val(t);
        if (!gc_in_from(g, cell)) {
            if (__builtin_expect(g->lit != NULL, 0)) gc_fix_literal(g, slot);
            return;
        }
        if (cell[0] == GC_MOVED_CONS) {
            *slot = cell[1];
            return;
        }
        Term **top = gc_to(g, cell);
        Term *copy = *top;
        *top += 2;
        copy[0] = cell[0];
        copy[1] = cell[1];
        cell[0] = GC_MOVED_CONS;
        cell[1] = *slot = make_list(copy);
        return;
    }
    case TAG_PRIMARY_BOXED: {
        Term *obj = boxed_val(t);
        if (!gc_in_from(g, obj)) {
            if (__builtin_expect(g->lit != NULL, 0)) gc_fix_literal(g, slot);
            return;
        }
        Term hdr = obj[0];
        if (is_boxed(hdr)) {
            *slot = hdr;
            return;
        }
        size_t words = 1 + header_arity(hdr);
        Term **top = gc_to(g, obj);
        Term *copy = *top;
        *top += words;
        memcpy(copy, obj, words * sizeof(Term));
        obj[0] = *slot = make_boxed(copy);
        if (offheap_is_handle(hdr)) gc_link_handle(g, copy);
        return;
    }
    default:
        return;
    }
}

/* Index of the first term word after header hdr, and the object's end (both offsets). */
static inline void gc_object_terms(Term hdr, size_t *first, size_t *end)
{
    size_t arity = header_arity(hdr), raw = hdr_raw_words(hdr);
    *end = 1 + arity;
    *first = raw < arity ? 1 + raw : *end;
}

/* Cheney's scan of one to-space from `scan` up to its allocation pointer *top, which moves. */
static Term *gc_scan_space(Gc *g, Term *scan, Term *const *top)
{
    while (scan < *top) {
        if (is_header(*scan)) {
            size_t first, end;
            gc_object_terms(*scan, &first, &end);
            for (size_t i = first; i < end; i++) gc_fix(g, scan + i);
            scan += end;
        } else {
            gc_fix(g, scan);
            gc_fix(g, scan + 1);
            scan += 2;
        }
    }
    return scan;
}

/* Scans the new heap from `young` and what was promoted from `old` until no copied word is left unscanned. */
static void gc_scan(Gc *g, Term *young, Term *old)
{
    do {
        young = gc_scan_space(g, young, &g->htop);
        old = gc_scan_space(g, old, &g->old_top);
    } while (young < g->htop || old < g->old_top);
}

/* ---- the process dictionary in a minor collection ---- */

/* Where a heap object is now: a from-space object already copied has left its new address. */
static Term *gc_current(Term t)
{
    Term *obj = is_list(t) ? list_val(t) : boxed_val(t);
    if (is_list(t)) return obj[0] == GC_MOVED_CONS ? list_val(obj[1]) : obj;
    return is_boxed(obj[0]) ? boxed_val(obj[0]) : obj;
}

static bool gc_in_old_generation(const Process *p, const Term *obj)
{
    return obj >= p->old_heap && obj < p->old_hend;
}

/*
 * The dictionary's table (a tuple of buckets) and bucket lists are updated
 * in place (pdict.c), so an old one may refer to younger terms: the slots
 * of every old part are roots. Young parts are copied like any term, but
 * may still lead to old ones, so the walk goes through the whole table.
 * Its pairs are never updated.
 */
static void gc_fix_dictionary(Gc *g, Process *p)
{
    if (!is_tuple(p->dictionary)) return;
    Term *table = gc_current(p->dictionary);
    bool old = gc_in_old_generation(p, table);
    for (size_t i = 1, n = header_arity(table[0]); i <= n; i++) {
        if (old) gc_fix(g, &table[i]);
        for (Term b = table[i]; is_list(b);) {
            Term *cell = gc_current(b);
            if (gc_in_old_generation(p, cell)) {
                gc_fix(g, &cell[0]);
                gc_fix(g, &cell[1]);
            }
            b = cell[1];
        }
    }
}

/* A queued message whose term is on the heap (sent to itself, or moved there on arrival: mailbox.h). */
static void gc_fix_message(void *g, Term *slot) { gc_fix(g, slot); }

static void gc_copy_roots(Gc *g, Process *p, Term *x, int live, Term *stop, Term *hend)
{
    for (int i = 0; i < live; i++) gc_fix(g, &x[i]);
    /* Header-tagged stack words are continuation pointers, not terms. */
    for (Term *s = stop; s < hend; s++)
        if (!is_header(*s)) gc_fix(g, s);
    Term *roots[GC_PROC_ROOTS];
    gc_proc_roots(p, roots);
    for (int i = 0; i < GC_PROC_ROOTS; i++) gc_fix(g, roots[i]);
    mbox_each_on_heap(&p->mbox, gc_fix_message, g);
}

/*
 * Releases the handles of the old off-heap list that were not copied, and
 * installs the new list. Handles in the old generation were not collected
 * (a minor collection): they stay.
 */
static void gc_sweep_off_heap(Process *p, Gc *g)
{
    for (Term *hp = p->off_heap.first, *next; hp; hp = next) {
        next = (Term *)hp[3];
        if (!gc_in_from(g, hp)) gc_link_handle(g, hp);
        else if (!is_boxed(hp[0])) offheap_release(hp); /* not forwarded: dead */
    }
    p->off_heap.first = g->off_heap;
    p->off_heap.bytes = g->off_heap_bytes;
    /* a quarter more than survived: a process that reads big binaries in a loop
       (whole files) frees each dead one at its next read, so the next can reuse its
       block (binary_cache.h); a growing live set still collects geometrically seldom */
    p->off_heap.limit = g->off_heap_bytes + g->off_heap_bytes / 4;
}

static void gc_free_from_space(Process *p)
{
    for (HeapFrag *f = p->frags, *next; f; f = next) {
        next = f->next;
        free(f);
    }
    p->frags = NULL;
    p->frag_words = 0;
    process_attention_clear(p, PATTN_FRAGS);
    hcache_free(p->heap, (size_t)(p->hend - p->heap));
}

/* ---- resizing after a collection ---- */

/* Adds delta to *slot if it points into [lo, hi). */
static inline void gc_offset(Term *slot, uintptr_t lo, uintptr_t hi, uintptr_t delta)
{
    Term t = *slot;
    unsigned tag = term_primary(t);
    if ((tag == TAG_PRIMARY_LIST || tag == TAG_PRIMARY_BOXED) && t - lo < hi - lo) *slot = t + delta;
}

typedef struct GcMove {
    uintptr_t lo, hi, delta;
} GcMove;

static void gc_offset_message(void *ctx, Term *slot)
{
    const GcMove *m = ctx;
    gc_offset(slot, m->lo, m->hi, m->delta);
}

/* After the heap moved from [lo, hi) by delta bytes: fixes every pointer into it. */
static void gc_offset_all(Process *p, Term *x, int live, uintptr_t lo, uintptr_t hi, uintptr_t delta)
{
    for (Term *s = p->heap; s < p->htop;) {
        if (is_header(*s)) {
            size_t first, end;
            gc_object_terms(*s, &first, &end);
            for (size_t i = first; i < end; i++) gc_offset(s + i, lo, hi, delta);
            s += end;
        } else {
            gc_offset(s, lo, hi, delta);
            gc_offset(s + 1, lo, hi, delta);
            s += 2;
        }
    }
    for (Term *s = p->stop; s < p->hend; s++)
        if (!is_header(*s)) gc_offset(s, lo, hi, delta);
    for (int i = 0; i < live; i++) gc_offset(&x[i], lo, hi, delta);
    Term *roots[GC_PROC_ROOTS];
    gc_proc_roots(p, roots);
    for (int i = 0; i < GC_PROC_ROOTS; i++) gc_offset(roots[i], lo, hi, delta);
    GcMove move = {lo, hi, delta};
    mbox_each_on_heap(&p->mbox, gc_offset_message, &move);
    /* The off-heap list links handles by raw pointers, all of them into the heap. */
    Term **link = &p->off_heap.first;
    for (; *link; link = (Term **)&(*link)[3]) *link = (Term *)((uintptr_t)*link + delta);
}

/* The block size wanted for `used` words (heap, stack and need) in a block of `size`. */
static size_t gc_wanted_size(size_t size, size_t used, size_t min)
{
    bool too_full = used > size / 4 * 3;
    bool too_empty = used < size / 4 && size > min;
    if (!too_full && !too_empty) return size;
    size_t want = gc_size_at_least(2 * used);
    if (want == 0) return size;
    return want < min ? min : want;
}

/*
 * Moves heap and stack into a block of `size` words (memcpy, then one pass
 * over every pointer). A failed malloc keeps the current block, which is
 * already large enough.
 */
static void gc_resize(Process *p, size_t size, Term *x, int live)
{
    size_t heap_words = (size_t)(p->htop - p->heap), stack = (size_t)(p->hend - p->stop);
    Term *block = gc_block_alloc(size);
    if (!block) return;
    memcpy(block, p->heap, heap_words * sizeof(Term));
    memcpy(block + size - stack, p->stop, stack * sizeof(Term));
    uintptr_t lo = (uintptr_t)p->heap, hi = (uintptr_t)p->htop;
    hcache_free(p->heap, (size_t)(p->hend - p->heap));
    p->heap = block;
    p->htop = block + heap_words;
    p->hend = block + size;
    p->stop = p->hend - stack;
    gc_offset_all(p, x, live, lo, hi, (uintptr_t)block - lo);
}

/* ---- the collection ---- */

/*
 * Copies what is live into a new block of `size` words, with g's from-space
 * and (in a minor collection) old generation already set, and makes the
 * block p's heap. -1, with nothing changed, when out of memory.
 */
/* Collections and words reclaimed by all processes (statistics(garbage_collection)). */
static atomic_uint_fast64_t total_gcs, total_reclaimed;

void heap_gc_totals(uint64_t *gcs, uint64_t *reclaimed)
{
    *gcs = atomic_load_explicit(&total_gcs, memory_order_relaxed);
    *reclaimed = atomic_load_explicit(&total_reclaimed, memory_order_relaxed);
}

static int gc_collect(Process *p, Gc *g, size_t size, Term *x, int live)
{
    size_t before = (size_t)(p->htop - p->heap) + p->frag_words + (g->old_hi - g->old_lo) / sizeof(Term);
    size_t stack = (size_t)(p->hend - p->stop);
    uint64_t allocated = heap_allocated_words(p, p->htop);
    Term *block = gc_block_alloc(size);
    if (!block) return -1;
    if (gc_ranges_init(g, p) < 0) {
        hcache_free(block, size);
        return -1;
    }
    g->htop = block;
    g->off_heap = NULL;
    g->off_heap_bytes = 0;

    Term *stop = block + size - stack, *promoted = g->old_top;
    memcpy(stop, p->stop, stack * sizeof(Term));
    gc_copy_roots(g, p, x, live, stop, block + size);
    if (g->old_top) gc_fix_dictionary(g, p);
    gc_scan(g, block, promoted);
    gc_sweep_off_heap(p, g); /* (it asks gc_in_from: before the ranges go) */
    gc_ranges_free(g);

    gc_free_from_space(p);
    p->heap = block;
    p->htop = g->htop;
    p->hend = block + size;
    p->stop = stop;
    p->hwm = p->htop;
    p->gc_count++;
    p->alloc_base = allocated - (uint64_t)(p->htop - p->heap); /* the fragments are gone */
    size_t after = (size_t)(p->htop - p->heap) + (g->old_top ? (size_t)(g->old_top - p->old_htop) : 0);
    atomic_fetch_add_explicit(&total_gcs, 1, memory_order_relaxed);
    if (before > after) atomic_fetch_add_explicit(&total_reclaimed, before - after, memory_order_relaxed);
    return 0;
}

static void gc_set_from_space(Gc *g, const Process *p, uintptr_t aged_hi)
{
    g->young_lo = (uintptr_t)p->heap;
    g->young_hi = (uintptr_t)p->htop;
    g->aged_hi = aged_hi;
}

/* Collects everything, the old generation too, into one new heap. */
/*
 * The size a collection that stands in for a minor one keeps: the heap's,
 * one step larger for a process that keeps collecting while more than an
 * eighth of its heap stays live (each collection then copies much for the
 * garbage it frees).
 */
static size_t gc_nursery_floor(const Process *p)
{
    size_t size = (size_t)(p->hend - p->heap);
    size_t used = (size_t)(p->hwm - p->heap) + (size_t)(p->hend - p->stop);
    if (p->gc_count < GC_NURSERY_AFTER || size >= GC_NURSERY_MAX_WORDS || used <= size / 8) return size;
    return gc_size_at_least(size + 1);
}

/* Words in use: heap, fragments and old generation. */
static size_t gc_used_words(const Process *p)
{
    return (size_t)(p->htop - p->heap) + p->frag_words + (size_t)(p->old_htop - p->old_heap);
}

/* garbage_collection trace: the *_start message (wordsize: the need); returns the words in use. */
static size_t gc_trace_start(Process *p, bool major, size_t need)
{
    if (!trace_on_gc(p)) return 0;
    trace_gc(p, major, true, need);
    return gc_used_words(p);
}

/* The *_end message (wordsize: the words reclaimed). */
static void gc_trace_end(Process *p, bool major, size_t before)
{
    if (!trace_on_gc(p)) return;
    size_t after = gc_used_words(p);
    trace_gc(p, major, false, before > after ? before - after : 0);
}

/*
 * A major collection. `may_shrink` is false when it stands in for a minor
 * one (the process has no old generation yet): like a minor collection it
 * then keeps at least the heap's size, so a process with little live data
 * that allocates fast is not collected every few hundred words (fannkuch
 * made eight times as many collections as OTP).
 */
static int gc_major(Process *p, size_t need, Term *x, int live, bool may_shrink, const LiteralArea *lit)
{
    size_t floor = may_shrink ? p->min_heap_words : gc_nursery_floor(p);
    if (floor < p->min_heap_words) floor = p->min_heap_words; /* a new process's first block is smaller */
    size_t stack = (size_t)(p->hend - p->stop), old = (size_t)(p->old_htop - p->old_heap);
    size_t bound = (size_t)(p->htop - p->heap) + p->frag_words + stack + old;
    if (bound > GC_MAX_WORDS) return -1;
    size_t worst = bound + need;
    size_t size = gc_size_at_least(worst < p->min_heap_words ? p->min_heap_words : worst);
    if (size == 0) return -1;
    Gc g;
    gc_set_from_space(&g, p, (uintptr_t)p->heap);
    g.old_lo = (uintptr_t)p->old_heap;
    g.old_hi = (uintptr_t)p->old_htop;
    g.old_top = NULL;
    g.lit = lit;
    g.lit_map = lit ? gc_lit_map_new(lit) : NULL;
    size_t lit_words = lit ? literal_area_words(lit) : 0; /* the copies' room, not kept after */
    size = lit ? gc_size_at_least(worst + lit_words) : size;
    if (size == 0) return -1;
    size_t before = gc_trace_start(p, true, need);
    /* copying literals out of a released area is never refused: the area is freed after */
    if (!lit && maxheap_check(p, size, 0)) return HEAP_GC_KILLED;
    uint64_t t0 = sysmon_gc_begin();
    int r = gc_collect(p, &g, size, x, live);
    free(g.lit_map);
    if (r < 0) return -1;
    hcache_free(p->old_heap, (size_t)(p->old_hend - p->old_heap));
    p->old_heap = p->old_htop = p->old_hend = NULL;

    size_t used = (size_t)(p->htop - p->heap) + stack + need;
    size_t want = gc_wanted_size(size, used, floor);
    if (want != size) {
        gc_resize(p, want, x, live);
        p->hwm = p->htop;
    }
    gc_trace_end(p, true, before);
    sysmon_gc_end(p, t0);
    return 0;
}

/*
 * Whether the aged objects can go to the old generation: it has room for
 * them, or there are enough of them to make one (twice their size).
 */
static bool gc_old_generation_ready(Process *p)
{
    size_t aged = (size_t)(p->hwm - p->heap);
    if (p->old_heap) return (size_t)(p->old_hend - p->old_htop) >= aged;
    if (aged < GC_OLD_MIN_WORDS) return false;
    size_t size = gc_size_at_least(2 * aged);
    Term *block = size ? gc_block_alloc(size) : NULL;
    if (!block) return false;
    p->old_heap = p->old_htop = block;
    p->old_hend = block + size;
    return true;
}

/*
 * The size a heap of `size` words shrinks to after a minor collection, as
 * OTP sizes it: a large heap (GC_SHRINK_FROM words on) that is less than a
 * quarter used becomes three times the words in use, but not less than an
 * eighth of the old generation (so the old generation does not fill after
 * a few minor collections) nor the minimum. A heap left large by a peak
 * (binary trees' stretch tree) would otherwise keep the nursery far beyond
 * the caches: each young object would then be written and read back from
 * memory (binary trees: 4 MB against OTP's 600 KB, twice OTP's time).
 */
static size_t gc_minor_shrunk_size(const Process *p, size_t size, size_t extra)
{
    size_t used = (size_t)(p->htop - p->heap) + extra;
    size_t old = (size_t)(p->old_hend - p->old_heap);
    if (size < GC_SHRINK_FROM || 4 * used >= size) return size;
    if (size <= GC_SHRINK_ALWAYS_FROM && size <= old) return size;
    size_t want = 3 * used;
    if (want < old / 8) want = old / 8;
    want = want < p->min_heap_words ? p->min_heap_words : gc_size_at_least(want);
    return want == 0 ? size : want;
}

/*
 * Makes p's heap the first `size` words of its block: the stack moves down to
 * the new end (nothing points into the stack). The rest of the block is never
 * touched again and goes with the block at the next collection, which asks
 * for a block of the new size. (Moving the heap instead, as gc_resize does,
 * would also have to fix what the old generation's process dictionary and
 * off-heap links refer to.)
 */
static void gc_shrink_in_place(Process *p, size_t size)
{
    size_t stack = (size_t)(p->hend - p->stop);
    Term *stop = p->heap + size - stack;
    memmove(stop, p->stop, stack * sizeof(Term));
    p->stop = stop;
    p->hend = p->heap + size;
}

/* Promotes the aged objects and copies the young ones into a heap of the same size (or larger if needed). */
static int gc_minor(Process *p, size_t need, Term *x, int live)
{
    size_t stack = (size_t)(p->hend - p->stop);
    size_t worst = (size_t)(p->htop - p->hwm) + p->frag_words + stack + need;
    size_t size = (size_t)(p->hend - p->heap);
    if (worst > size && (size = gc_size_at_least(worst)) == 0) return -1;
    Gc g;
    gc_set_from_space(&g, p, (uintptr_t)p->hwm);
    g.old_lo = g.old_hi = 0;
    g.old_top = p->old_htop;
    g.lit = NULL;
    g.lit_map = NULL;
    size_t before = gc_trace_start(p, false, need);
    if (maxheap_check(p, size, 0)) return HEAP_GC_KILLED;
    uint64_t t0 = sysmon_gc_begin();
    if (gc_collect(p, &g, size, x, live) < 0) return -1;
    p->old_htop = g.old_top;
    size_t want = gc_minor_shrunk_size(p, size, stack + need);
    if (want < size) gc_shrink_in_place(p, want);
    gc_trace_end(p, false, before);
    sysmon_gc_end(p, t0);
    return 0;
}

int heap_gc_major(Process *p, size_t need, Term *x, int live)
{
    if (need > GC_MAX_WORDS) return -1;
    MsaccState was = msacc_swap(MSACC_GC);
    int r = gc_major(p, need, x, live, true, NULL);
    msacc_set(was);
    if (r == 0) p->flags.minor_gcs = 0;
    return r;
}

int heap_gc(Process *p, size_t need, Term *x, int live)
{
    size_t free_words = heap_free_words(p);
    /* Like OTP, also collect when the fragments would not fit in the free space,
       and when the off-heap binaries have grown past their limit. */
    bool binaries_due = binary_vheap_full(p);
    if (free_words >= need && free_words - need >= p->frag_words && !binaries_due) return 0;
    if (need > GC_MAX_WORDS) return -1;
    /* dead binaries in the old generation are released only by a major collection; and,
       as on OTP, fullsweep_after minor collections in a row call for a major one */
    bool sweep_due = p->flags.minor_gcs >= p->flags.fullsweep_after;
    MsaccState was = msacc_swap(MSACC_GC);
    int r;
    if (!binaries_due && !sweep_due && gc_old_generation_ready(p)) {
        r = gc_minor(p, need, x, live);
        if (r == 0) p->flags.minor_gcs++;
    } else {
        r = gc_major(p, need, x, live, binaries_due || sweep_due || p->old_heap, NULL);
        if (r == 0) p->flags.minor_gcs = 0;
    }
    msacc_set(was);
    return r;
}

/* Whether any of the words in [w, end) may refer into area a (raw data may look like a
   reference: that costs only a collection that copies nothing). */
static bool gc_words_refer(const Term *w, const Term *end, const LiteralArea *a)
{
    for (; w < end; w++) {
        unsigned tag = term_primary(*w);
        if (tag != TAG_PRIMARY_LIST && tag != TAG_PRIMARY_BOXED) continue;
        if (literal_area_holds(a, tag == TAG_PRIMARY_LIST ? list_val(*w) : boxed_val(*w))) return true;
    }
    return false;
}

static void gc_message_refers(void *ctx, Term *slot)
{
    const void **c = ctx;
    if (!c[1] && gc_words_refer(slot, slot + 1, c[0])) c[1] = slot;
}

static bool gc_refers(Process *p, const LiteralArea *a, const Term *x, int live)
{
    if (gc_words_refer(p->heap, p->htop, a) || gc_words_refer(p->old_heap, p->old_htop, a) ||
        gc_words_refer(p->stop, p->hend, a) || gc_words_refer(x, x + live, a))
        return true;
    for (const HeapFrag *f = p->frags; f; f = f->next)
        if (gc_words_refer(f->mem, f->mem + f->used, a)) return true;
    Term *roots[GC_PROC_ROOTS];
    gc_proc_roots(p, roots);
    for (int i = 0; i < GC_PROC_ROOTS; i++)
        if (gc_words_refer(roots[i], roots[i] + 1, a)) return true;
    const void *ctx[2] = {a, NULL};
    mbox_each_on_heap(&p->mbox, gc_message_refers, ctx);
    return ctx[1] != NULL;
}

int heap_gc_copy_literals(Process *p, const LiteralArea *a, Term *x, int live)
{
    if (!gc_refers(p, a, x, live)) return 0;
    if (gc_major(p, 0, x, live, true, a) < 0) return -1;
    p->flags.minor_gcs = 0;
    return 0;
}
