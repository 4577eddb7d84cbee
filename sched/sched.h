/*
 * sched.h - scheduler threads.
 *
 * N scheduler threads each own a run queue (one list per priority). A
 * scheduler runs processes from its own queue, steals from the others when
 * it is empty, and sleeps when there is nothing to steal: in the port poll
 * set (runtime/port/port.h) when no other thread polls it, else on a
 * condition variable. A process runs until it exits, waits in receive, or uses up its
 * reductions (SCHED_REDUCTIONS per slice).
 *
 * Process states (Process.sched_state), changed with compare-and-swap:
 *   PS_IDLE      waiting for a message; in no queue
 *   PS_QUEUED    in a run queue
 *   PS_RUNNING   on a scheduler
 *   PS_NOTIFIED  on a scheduler, and something arrived meanwhile: do not
 *                let it go idle
 *   PS_EXITED    gone; wakes are ignored
 * Whoever moves a process from IDLE to QUEUED puts it in a queue, so a
 * process is never queued twice.
 */
#ifndef ERBIUM_SCHED_H
#define ERBIUM_SCHED_H

#include "runtime/proc/process.h"

#define SCHED_REDUCTIONS 4000

enum { PS_IDLE, PS_QUEUED, PS_RUNNING, PS_NOTIFIED, PS_EXITED };

/* Starts n scheduler threads (n >= 1). Returns 0, or -1 if a thread could not start. */
int sched_start(int n);
/* Stops and joins the threads (processes still alive are abandoned). */
void sched_stop(void);
int sched_count(void);
/* Processes waiting in scheduler i's run queue. */
size_t sched_run_queue_len(int i);

/* Puts a new process (state PS_QUEUED from process_new, so wakes leave it alone) in a run queue. */
void sched_spawned(Process *p);
/* Puts a process that ran elsewhere (a dirty scheduler) back in its home run queue. */
void sched_requeue(Process *p);
/* After pushing to p's mailbox or firing its timer: makes sure p will run. Any thread. */
void sched_wake(Process *p);

/*
 * Called on the scheduler thread when a process has finished (normally or
 * not), before its memory is released. Set once, before sched_start.
 */
void sched_set_exit_hook(void (*hook)(Process *p));

/* Index of the calling scheduler thread, or -1 on other threads. */
int sched_self(void);

#endif
