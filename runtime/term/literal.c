/* literal.c - literal areas (see literal.h): a list of malloc'd chunks. */
#include "runtime/term/literal.h"

#include <stdlib.h>

#define CHUNK_WORDS 4096

typedef struct Chunk {
    struct Chunk *next;
    size_t size, used;
    Term mem[];
} Chunk;

struct LiteralArea {
    Chunk *chunks;
};

LiteralArea *literal_area_new(void) { return calloc(1, sizeof(LiteralArea)); }

void literal_area_free(LiteralArea *a)
{
    if (!a) return;
    for (Chunk *c = a->chunks, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    free(a);
}

Term *literal_alloc(LiteralArea *a, size_t words)
{
    Chunk *c = a->chunks;
    if (!c || c->size - c->used < words) {
        size_t size = words > CHUNK_WORDS ? words : CHUNK_WORDS;
        c = calloc(1, sizeof(Chunk) + size * sizeof(Term));
        if (!c) return NULL;
        c->size = size;
        c->next = a->chunks;
        a->chunks = c;
    }
    Term *p = c->mem + c->used;
    c->used += words;
    return p;
}

size_t literal_area_words(const LiteralArea *a)
{
    size_t n = 0;
    for (const Chunk *c = a->chunks; c; c = c->next) n += c->used;
    return n;
}

bool literal_area_holds(const LiteralArea *a, const void *addr)
{
    for (const Chunk *c = a->chunks; c; c = c->next)
        if ((const Term *)addr >= c->mem && (const Term *)addr < c->mem + c->used) return true;
    return false;
}

static Term *area_alloc(void *ctx, size_t words) { return literal_alloc(ctx, words); }

TermAlloc literal_allocator(LiteralArea *a) { return (TermAlloc){area_alloc, a}; }

Term literal_cons(LiteralArea *a, Term head, Term tail)
{
    Term *cell = literal_alloc(a, 2);
    if (!cell) abort();
    cell[0] = head;
    cell[1] = tail;
    return make_list(cell);
}
