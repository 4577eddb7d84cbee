/*
 * export.h - the export table: one entry per {Module, Function, Arity} that
 * has been exported, imported or called, created on first mention and never
 * freed, so code can hold Export pointers for good.
 *
 * `address` is where a call to the function jumps. While the module is not
 * loaded it points at the entry's own stub, an instruction that loads the
 * module from the code path or raises `undef`. For a BIF it points at a
 * stub that calls the C function. Calls read `address` with one load;
 * loading a module stores the new address with release semantics.
 */
#ifndef ERBIUM_EXPORT_H
#define ERBIUM_EXPORT_H

#include "runtime/bif/bif.h"

#include <stdatomic.h>

typedef struct Export {
    Term module, function;
    uint32_t arity;
    const BeamInstr *_Atomic address;
    BifFn bif;          /* non-NULL for a BIF or a registered native */
    uint8_t dirty;      /* EXPORT_DIRTY_CPU / _IO: the native runs on the dirty pool (sched/dirty.h) */
    bool vm_stub;       /* address is an interpreter stub (apply/2,3, hibernate/3...): loading erlang.beam keeps it */
    BeamInstr stub[2];  /* [handler, (BeamInstr)this]; see interp.c */
    /* A BIF with a breakpoint installed: its BpData (profiler/bp.h), else
       NULL. Every call of the BIF tests it (interp.c, CALL_EXT_BIF callers). */
    void *_Atomic bp;
    void *_Atomic bp_data; /* the BIF's BpData once it had a breakpoint; kept for good */
    uint64_t seq;          /* creation order: module_info(exports) lists newest first, as OTP */
} Export;

enum { EXPORT_DIRTY_NONE, EXPORT_DIRTY_CPU, EXPORT_DIRTY_IO };

/* Creates the table and registers every BIF. Needs atom_init(). */
void export_init(void);
/* The entry for M:F/A, created (pointing at its stub) if missing. */
Export *export_get(Term module, Term function, uint32_t arity);
/* The entry, or NULL if nothing ever mentioned it. */
Export *export_find(Term module, Term function, uint32_t arity);
/* Makes M:F/A a native function (before code that calls it is loaded). */
Export *export_set_native(Term module, Term function, uint32_t arity, BifFn fn, int dirty);
/* True if the VM provides the function (a BIF, a native or an interpreter stub): loading its module does not replace it. */
static inline bool export_is_vm_provided(const Export *e) { return e->bif || e->vm_stub; }
/* True if calling the entry runs code (a loaded function or a BIF). */
bool export_is_defined(const Export *e);

#endif
