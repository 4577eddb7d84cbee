/*
 * literal.h - literal areas: memory for terms that outlive any process heap
 * (a module's literals and bignum operands). Terms inside never move and
 * are never collected; the GC recognises them as "not on this heap" and
 * leaves them in place. A purged module's area is freed once no process
 * refers to it (runtime/loader/code_literals.c).
 */
#ifndef ERBIUM_LITERAL_H
#define ERBIUM_LITERAL_H

#include "runtime/term/term.h"

typedef struct LiteralArea LiteralArea;

LiteralArea *literal_area_new(void);
void literal_area_free(LiteralArea *a);
/* Zero-initialised words from the area, or NULL when out of memory. */
Term *literal_alloc(LiteralArea *a, size_t words);
/* Words allocated from the area (what copying all of its terms out needs at most). */
size_t literal_area_words(const LiteralArea *a);
/* True if addr lies inside one of the area's chunks. */
bool literal_area_holds(const LiteralArea *a, const void *addr);
/* [head | tail] in the area (aborts when out of memory: areas hold what the VM cannot go without). */
Term literal_cons(LiteralArea *a, Term head, Term tail);
/* An allocator handle that allocates from the area. */
TermAlloc literal_allocator(LiteralArea *a);

#endif
