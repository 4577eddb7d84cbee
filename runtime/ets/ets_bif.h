/*
 * ets_bif.h - helpers shared by the ETS BIF files (bif_ets*.c): OTP 25's
 * errors, table lookup with access checks, copying objects out.
 */
#ifndef ERBIUM_ETS_BIF_H
#define ERBIUM_ETS_BIF_H

#include "runtime/bif/bif.h"
#include "runtime/ets/ets.h"
#include "runtime/ets/ets_store.h"

/* badarg with OTP 25's error_info: #{module => erl_stdlib_errors} and, unless
   cause is THE_NON_VALUE, cause => Cause (id, access, badkey, keypos, ...). */
Term ets_badarg(Process *p, Term cause);

/* The table t names, if p may read (or write) it; else NULL with the exception set. */
EtsTable *ets_get(Process *p, Term t, EtsNeed need);

/* A copy of o's tuple on p's heap. */
Term ets_copy_out(Process *p, const EtsObj *o);

/* A list of copies of objects, built front to back. */
typedef struct EtsListBuild {
    Process *p;
    Term head;
    Term *tail; /* where the next cell goes */
} EtsListBuild;
static inline void ets_list_init(EtsListBuild *b, Process *p)
{
    b->p = p;
    b->head = NIL;
    b->tail = &b->head;
}
void ets_list_add(EtsListBuild *b, Term t);
static inline Term ets_list_done(EtsListBuild *b)
{
    *b->tail = NIL;
    return b->head;
}
/* An EtsVisit that adds a copy of each object to an EtsListBuild. */
bool ets_collect(void *ctx, EtsObj *o);

/* True if t is a tuple that can be stored in tab (arity >= keypos). */
static inline bool ets_storable(const EtsTable *tab, Term t)
{
    return is_tuple(t) && tuple_arity(t) >= tab->keypos;
}

/* Frees detached objects away from the caller (after thread progress, a big lot on another thread). */
void ets_free_later(EtsTable *tab, void *detached);
/* Frees a chain of objects (through next). */
void ets_free_chain(EtsObj *o);

#endif
