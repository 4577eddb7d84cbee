/*
 * proc_table.h - live processes by pid, and the memory of Process structs.
 *
 * Structs are type-stable: once allocated they are only ever reused as
 * Process structs, never returned to malloc while the VM runs. So a thread
 * that found a process by pid can keep touching it (push a message, wake it)
 * even if the process exits meanwhile: the message carries the addressee's
 * pid and a later owner of the struct drops it. Lookups take no lock.
 */
#ifndef ERBIUM_PROC_TABLE_H
#define ERBIUM_PROC_TABLE_H

#include "runtime/proc/process.h"

#define PTAB_MAX_PROCESSES (1u << 22) /* about 4M live processes */

/* A zeroed-out struct with a new pid, findable by ptab_lookup. NULL if the table is full. */
Process *ptab_alloc(void);
/* The live process with that pid, or NULL. */
Process *ptab_lookup(Term pid);
/* Unpublishes p; its struct is kept for reuse. */
void ptab_release(Process *p);
/* Live processes. */
size_t ptab_count(void);
/* Calls fn on every live process (a moment's snapshot: processes come and go meanwhile). */
void ptab_foreach(void (*fn)(Process *p, void *ctx), void *ctx);

#endif
