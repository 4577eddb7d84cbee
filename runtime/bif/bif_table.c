/* bif_table.c - the table of all BIFs, built from the bifs_*.def lists. */
#include "runtime/bif/bif.h"

#include "sched/sched.h"

_Thread_local bool bif_dirty_redo;
_Thread_local bool bif_yield_again;

/* Dirty threads are the ones that are not normal schedulers. */
bool bif_on_dirty(void) { return sched_self() < 0; }

const BifEntry bif_table[] = {
#define BIF_DEF(mod, text, ar, fn) {((Term)ATOM_INDEX_##mod << 6) | TAG_IMMED2_ATOM, text, ar, fn, 0},
#define DIRTY_BIF_DEF(mod, text, ar, fn, kind) {((Term)ATOM_INDEX_##mod << 6) | TAG_IMMED2_ATOM, text, ar, fn, kind},
#include "runtime/bif/bifs.def"
#undef BIF_DEF
#undef DIRTY_BIF_DEF
    {0, NULL, 0, NULL, 0},
};

const size_t bif_table_size = sizeof bif_table / sizeof bif_table[0] - 1;
