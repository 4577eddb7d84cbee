/*
 * literal.h - literal areas: memory for terms that outlive any process heap
 * (a module's literals and bignum operands). Terms inside never move and
 * are never collected; the GC recognises them as "not on this heap" and
 * leaves them in place. An area is freed with its module.
 */
#ifndef ERBIUM_LITERAL_H
#define ERBIUM_LITERAL_H

#include "runtime/term/term.h"

typedef struct LiteralArea LiteralArea;

LiteralArea *literal_area_new(void);
void literal_area_free(LiteralArea *a);
/* Zero-initialised words from the area, or NULL when out of memory. */
Term *literal_alloc(LiteralArea *a, size_t words);
/* [head | tail] in the area (aborts when out of memory: areas hold what the VM cannot go without). */
Term literal_cons(LiteralArea *a, Term head, Term tail);
/* An allocator handle that allocates from the area. */
TermAlloc literal_allocator(LiteralArea *a);

#endif
