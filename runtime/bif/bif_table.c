/* bif_table.c - the table of all BIFs, built from the bifs_*.def lists. */
#include "runtime/bif/bif.h"

const BifEntry bif_table[] = {
#define BIF_DEF(mod, text, ar, fn) {((Term)ATOM_INDEX_##mod << 6) | TAG_IMMED2_ATOM, text, ar, fn, 0},
#define DIRTY_BIF_DEF(mod, text, ar, fn, kind) {((Term)ATOM_INDEX_##mod << 6) | TAG_IMMED2_ATOM, text, ar, fn, kind},
#include "runtime/bif/bifs.def"
#undef BIF_DEF
#undef DIRTY_BIF_DEF
    {0, NULL, 0, NULL, 0},
};

const size_t bif_table_size = sizeof bif_table / sizeof bif_table[0] - 1;
