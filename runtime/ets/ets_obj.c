/* ets_obj.c - objects copied into and out of table memory (see ets.h). */
#include "runtime/ets/ets.h"

#include "runtime/proc/heap.h"
#include "runtime/term/binary.h"

#include <stdlib.h>

EtsObj *ets_obj_new(Term t, uint32_t hash)
{
    size_t words = term_size(t);
    if (words > UINT32_MAX) return NULL;
    EtsObj *o = malloc(sizeof(EtsObj) + words * sizeof(Term));
    if (!o) return NULL;
    o->next = NULL;
    o->hash = hash;
    o->words = (uint32_t)words;
    o->term = term_copy_to(t, o->data); /* takes a reference on each refc binary */
    return o;
}

void ets_obj_free(EtsObj *o)
{
    binary_drop_copy(o->data, o->words);
    free(o);
}
