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

/* The system processes the boot starts: OTP's code purger and literal area collector. */
void code_purge_set_purger(Term pid);
void code_literals_set_collector(Term pid);

/* Literal areas of purged code (code_literals.c): a retired area is freed once every process
   has copied what it uses of it; the one being released now, or NULL. */
void code_literals_retire(LiteralArea *a);
const LiteralArea *code_literals_releasing(void);

/* System tasks (code_systask.c). Asks target for task {kind, req_id, arg}; it answers the
   caller with {kind, req_id, Result}. */
void code_systask_request(Process *p, Term target, Term kind, Term req_id, Term arg);
/* signal.c: a SIG_SYSTASK reached its process (set aside until the slice ends), or found
   none (answered at once). */
void code_systask_arrived(Process *p, struct Message *m);
void code_systask_undelivered(struct Message *m);
/* The scheduler, after p's slice, under p's status lock: performs p's system tasks, or
   answers them as a process that uses nothing when p has exited. */
void code_systasks_run(Process *p, bool exited);

#endif
