/*
 * suspend.h - erlang:suspend_process/1,2 and resume_process/1 (OTP 25).
 *
 * A process's suspend count (Process.suspend_count) is changed only under
 * its status lock, which its scheduler holds for a whole slice; a scheduler
 * that picks a process with a count above zero handles its signals (so an
 * exit signal still kills it) and puts it back to wait without running it.
 * So once suspend_process has raised the count, the target runs no more
 * code: the synchronous call returns only then, and the asynchronous ones
 * are done the same way (their reply is sent at once).
 *
 * Each suspender keeps its own list of whom it suspends and how often
 * (Process.suspending), which only it changes: resume_process needs a
 * suspend of its own to undo, unless_suspending looks there, and when the
 * suspender exits a SIG_RESUME signal gives each target back the counts it
 * still held.
 */
#ifndef ERBIUM_SUSPEND_H
#define ERBIUM_SUSPEND_H

#include "runtime/proc/process.h"

typedef struct SuspendRec {
    Term pid;
    uint32_t count;
} SuspendRec;

/* True when p must not run (its scheduler holds its status lock). */
static inline bool suspend_is_suspended(const Process *p) { return p->suspend_count > 0; }

/* SIG_RESUME arrived (the process handles it): `count` suspends of an exited suspender end. */
void suspend_resumed(Process *p, uint32_t count);

/* A BIF of the running process p (its status lock held) suspends p itself, until
   suspend_wake: p runs no more code once its slice ends (a busy port's sender). */
void suspend_self(Process *p);
/* Ends one suspend_self of pid, from the entity `from` (a SIG_RESUME signal: no lock of
   pid's is taken, so it may be called holding anything). */
void suspend_wake(Term pid, Term from);

/* At p's exit: every suspend p still holds is undone; its list is freed. */
void suspend_release_all(Process *p);

/* process_info(Q, suspending): [{Suspendee, ActiveCount, OutstandingCount}] (read under q's lock). */
Term suspend_info(Process *p, const Process *q);

#endif
