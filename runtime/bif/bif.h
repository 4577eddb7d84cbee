/*
 * bif.h - built-in functions implemented in C.
 *
 * A BIF takes the process and its arguments and returns the result, or
 * THE_NON_VALUE after setting the exception with bif_error() (or
 * bif_raise()). A BIF never collects garbage: it allocates with heap_alloc,
 * which falls back to a heap fragment. The argument array may be the x
 * registers, so read all arguments before writing anything through them.
 *
 * BIFs are listed in bifs_*.def files, one per source file that implements
 * them: BIF_DEF(module, "name", arity, c_function). `module` is a predefined
 * atom identifier (erlang, lists, erbium, ...) from atoms.def. A BIF that
 * runs for long goes on the dirty pool: DIRTY_BIF_DEF(module, "name", arity,
 * c_function, kind) with kind 1 (CPU) or 2 (I/O).
 */
#ifndef ERBIUM_BIF_H
#define ERBIUM_BIF_H

#include "runtime/term/atom.h"
#include "runtime/proc/process.h"

typedef Term (*BifFn)(Process *p, const Term *args);

typedef struct BifEntry {
    Term module;
    const char *name;
    unsigned arity;
    BifFn fn;
    int dirty; /* EXPORT_DIRTY_CPU or _IO (export.h) for BIFs listed with DIRTY_BIF_DEF */
} BifEntry;

#define BIF_DEF(mod, text, ar, fn) Term fn(Process *p, const Term *args);
#define DIRTY_BIF_DEF(mod, text, ar, fn, kind) Term fn(Process *p, const Term *args);
#include "runtime/bif/bifs.def"
#undef BIF_DEF
#undef DIRTY_BIF_DEF

/* All BIFs, for registering in the export table at start-up. */
extern const BifEntry bif_table[];
extern const size_t bif_table_size;

/*
 * Sets error:Reason and returns THE_NON_VALUE, for `return bif_error(p, AM_badarg);`.
 * The stack trace will start with the BIF and its arguments, as in OTP.
 */
static inline Term bif_error(Process *p, Term reason)
{
    p->freason = EXC_ERROR;
    p->fvalue = reason;
    p->fargs = THE_NON_VALUE;
    p->fbif_frame = true;
    return THE_NON_VALUE;
}

/* bif_error with OTP's error_info cause (badopt, badtype, time, ...): the BIF's frame
   gets [{error_info, #{cause => Cause, module => M}}], M the module that explains it. */
Term bif_error_cause(Process *p, Term reason, Term cause);

/* Raises Class:Reason (EXC_ERROR, EXC_EXIT or EXC_THROW) as erlang:error/exit/throw
   do: the stack trace starts at the caller, without a frame for the BIF. */
static inline Term bif_raise(Process *p, int cls, Term reason)
{
    p->freason = cls;
    p->fvalue = reason;
    p->fargs = THE_NON_VALUE;
    p->fbif_frame = false;
    return THE_NON_VALUE;
}

/*
 * A BIF called through call_ext (not a guard BIF) whose work turns out too
 * long for a normal scheduler returns bif_redo_dirty(): the process leaves
 * the scheduler and the dirty CPU pool calls the BIF again with the same
 * arguments, where bif_on_dirty() is true.
 */
extern _Thread_local bool bif_dirty_redo;
static inline Term bif_redo_dirty(void)
{
    bif_dirty_redo = true;
    return THE_NON_VALUE;
}
bool bif_on_dirty(void);

/*
 * A BIF called through call_ext (not a guard BIF, never on a dirty thread)
 * that has done one slice of a long job stores how far it got in its
 * arguments (they are the x registers there: write them through a cast)
 * and returns bif_yield_redo(): the process ends its time slice and, when
 * it runs again, makes the same call with those arguments (OTP's BIFs trap
 * the same way). The state it stores must be checked like any argument.
 */
extern _Thread_local bool bif_yield_again;
static inline Term bif_yield_redo(void)
{
    bif_yield_again = true;
    return THE_NON_VALUE;
}

#endif
