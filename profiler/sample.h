/*
 * sample.h - stack sampling per scheduler: the hooks the interpreter and
 * the schedulers call, and starting, stopping and reading.
 *
 * Each normal scheduler thread has a POSIX timer on its own CPU clock that
 * sends it SIGPROF at the rate (per second of its CPU time, so an idle
 * scheduler is never asked, and no other thread wakes up to ask). The
 * handler raises the thread's sample_limit, a thread-local the interpreter
 * compares its reduction count against at every call, in place of 0: so
 * asking costs the interpreter nothing extra. The scheduler notices at its
 * next call (or when the BIF or NIF it is in returns), lowers the limit
 * again and records the stack of the process it runs (sample_take) in its
 * own table (sample_table.h), weighing as many samples as timer
 * expirations came since the last (the kernel fires CPU-clock timers at
 * its own tick, often 250 Hz, so at 997 Hz one signal stands for about
 * four: counts are per 1/rate s of CPU time, distinct observations fewer). Each slice starts with the limit lowered, so
 * a tick between processes samples nothing. A dirty thread runs one native
 * call to its end: when sampling is on it takes its process's stack as the
 * call starts and, at the end, adds the ticks the call's wall time spans.
 * With `waiting`, a process that waited in receive is charged, when it
 * runs again, the ticks its wait spanned, under its stack at the wait
 * topped by SAMPLE_WAITING. A query also counts the waits and dirty calls
 * still in progress, up to the moment (sample_pending_foreach): it reads
 * the stack each took as it began, published in its process.
 */
#ifndef ERBIUM_SAMPLE_H
#define ERBIUM_SAMPLE_H

#include "erbium/profiler.h"
#include "profiler/sample_table.h"

#include <stdatomic.h>

/* The interpreter's slice ends (to sample or yield) when its reductions fall to this.
   erbium is linked into executables only, so the variable's offset from the thread
   pointer is a link-time constant: the check at every call compares with it directly. */
extern _Thread_local _Atomic intptr_t sample_limit __attribute__((tls_model("local-exec")));

/* Called by every thread owning a profiling slot as it starts (normal schedulers get timers). */
void sample_register_slot(int slot);

/* Starts sampling at hz ticks per second (1..100000), from no samples; with `waiting`,
   waits in receive too. Restarts if on. -1 for a bad rate or no memory, else 0. */
int sample_start(unsigned hz, bool waiting);
/* Stops sampling; the samples stay readable until the next start or sample_clear. */
void sample_stop(void);
/* Drops the samples (sampling goes on if it is on). */
void sample_clear(void);
/* Whether sampling is on, its rate, and whether waits are sampled. */
bool sample_on(void);
unsigned sample_rate(void);

/* Calls fn for every wait in receive and dirty call in progress in `set` with the ticks it
   spanned so far (up to the stop when sampling stopped), its stack and the slot where it
   began; waits and calls that began before the set, or ended after the stop, are not seen.
   The caller reads `set` per sample_table.h's rules. */
void sample_pending_foreach(const SampleSet *set, SampleVisit *fn, void *ctx);

/* The current samples (NULL if none); valid for a reader per sample_table.h's rules. */
const SampleSet *sample_current(void);
/* The samples of `set` (NULL: none) merged by view, read by such a reader (erb_prof_samples
   reads the current set so). NULL if out of memory. */
ErbProfSamples *sample_query(const SampleSet *set, ErbProfView view);

/* ---- hooks ---- */

/* The interpreter saw the limit raised: records p's stack (p->i and p->stop written back),
   `native` being the BIF or NIF that just ran, if the request came during one. */
void sample_take(Process *p, const Export *native);

/* A dirty thread starts and ends running p's native call (p->dirty_call). */
void sample_dirty_begin(Process *p);
void sample_dirty_end(Process *p);

/* A process stops to wait in receive, and is scheduled again. */
extern atomic_bool sample_waiting;
void sample_wait_begin(Process *p);
void sample_wait_end(Process *p);

#endif
