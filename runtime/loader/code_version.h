/*
 * code_version.h - what the code BIFs (code_version.c, code_purge.c) share
 * with the rest of the VM.
 */
#ifndef ERBIUM_CODE_VERSION_H
#define ERBIUM_CODE_VERSION_H

#include "runtime/loader/module.h"
#include "runtime/proc/process.h"

/* True for the modules the boot preloads (erlang:pre_loaded/0). */
bool code_is_preloaded(Term name);
/* The preloaded modules, in erlang:pre_loaded/0's order: how many, and the i-th's name. */
size_t code_preloaded_count(void);
const char *code_preloaded_name(size_t i);

/* True if q is executing m: its current instruction or a return address on its
   stack lies in m's code. q is the caller, or another process whose status
   lock the caller holds. */
bool code_process_runs(const Process *q, const Module *m);

#endif
