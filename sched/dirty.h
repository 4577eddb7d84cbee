/*
 * dirty.h - dirty schedulers: thread pools for natives that run long (CPU
 * bound) or block (I/O), so that normal schedulers keep running processes.
 *
 * A process whose slice ended in RUN_DIRTY is handed over with
 * dirty_submit(); a dirty thread runs the native call
 * (interp_run_dirty_call) and puts the process back on a normal scheduler.
 * Dirty threads are not managed threads of thread progress (tp.h): code
 * that must know them quiescent has to handle them explicitly.
 */
#ifndef ERBIUM_DIRTY_H
#define ERBIUM_DIRTY_H

#include "runtime/proc/process.h"

/* Starts ncpu CPU-bound and nio I/O threads (each at least 1). 0 on success.
   Their profiling slots follow the schedulers' (prof_slot.h). */
int dirty_start(int ncpu, int nio);
void dirty_stop(void);
/* Threads of the CPU pool (0) or the I/O pool (1), and processes waiting for one. */
int dirty_threads(int pool);
size_t dirty_queue_len(int pool);
/* Queues p (its slice ended in RUN_DIRTY) on the pool its native asks for. */
void dirty_submit(Process *p);
/* Processes in dirty calls now (queued or running): each comes back to a normal
   scheduler soon, so an idle scheduler waits for it a moment before it sleeps. */
int dirty_in_flight(void);
/* How long a thread that expects work soon spins before it sleeps: a sleep and a wake
   cost more than a short dirty call (a 64 KB file write) takes. */
#define DIRTY_SPIN_NS 30000

#endif
