/* proc_info.h - what process_info/1,2 (proc_info.c) also tells the rest of the VM. */
#ifndef ERBIUM_PROC_INFO_H
#define ERBIUM_PROC_INFO_H

#include "runtime/proc/process.h"

/* Bytes q takes (process_info's memory): its structure, memory blocks and queue. q is p itself,
   or a process whose status lock the caller holds. */
size_t proc_info_memory(const Process *q);

/* process_info(Q, backtrace): Q's stack as text, a binary on p's heap (proc_backtrace.c). */
Term proc_backtrace(Process *p, const Process *q);

#endif
