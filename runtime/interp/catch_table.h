/*
 * catch_table.h - handlers of catch and try instructions.
 *
 * A catch tag on the stack is make_catch(index): the entry says where the
 * handler code is and which y slot of its frame holds the tag, so that an
 * exception can cut the stack back to that frame. Entries are never freed
 * or moved; reading one takes no lock.
 */
#ifndef ERBIUM_CATCH_TABLE_H
#define ERBIUM_CATCH_TABLE_H

#include "runtime/proc/process.h"

typedef struct CatchEntry {
    const BeamInstr *handler;
    uint32_t yslot;
} CatchEntry;

/* Adds an entry; returns its index, or UINT32_MAX when the table is full. */
uint32_t catch_table_add(const BeamInstr *handler, uint32_t yslot);
const CatchEntry *catch_table_get(uint32_t index);

#endif
