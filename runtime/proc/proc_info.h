/* proc_info.h - what process_info/1,2 (proc_info.c) also tells the rest of the VM. */
#ifndef ERBIUM_PROC_INFO_H
#define ERBIUM_PROC_INFO_H

#include "runtime/proc/process.h"

/* Bytes q takes (process_info's memory): its structure, memory blocks and queue. q is p itself,
   or a process whose status lock the caller holds. */
size_t proc_info_memory(const Process *q);

/* process_info(Q, backtrace): Q's stack as text, a binary on p's heap (proc_backtrace.c). */
Term proc_backtrace(Process *p, const Process *q);
/* process_info(Q, garbage_collection_info)'s items in OTP's order: their names (atoms) and
   values in words. Trace messages of the GC list them too (profiler/trace_msg.c). */
#define PROC_GC_ITEMS 11
void proc_info_gc_items(const Process *q, Term names[PROC_GC_ITEMS], size_t values[PROC_GC_ITEMS]);

#endif
