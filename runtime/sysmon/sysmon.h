/*
 * sysmon.h - erlang:system_monitor/1,2: one process (the monitor) is told
 * about garbage collections that take long (long_gc) or leave a large heap
 * (large_heap), processes that run long without yielding (long_schedule),
 * and processes suspended on a busy port (busy_port), with OTP 25's
 * {monitor, Pid, Event, Info} messages.
 *
 * The settings are atomics that the hooks read with one relaxed load when
 * monitoring is off, so the collector and the scheduler pay nothing more.
 */
#ifndef ERBIUM_SYSMON_H
#define ERBIUM_SYSMON_H

#include "runtime/proc/process.h"

#include <stdatomic.h>
#include <stdint.h>

/* A threshold not asked for. */
#define SYSMON_UNSET UINT64_MAX

typedef struct SysMonSettings {
    Term pid;                   /* the monitor, or NIL when off */
    uint64_t long_gc_ms;        /* SYSMON_UNSET: not asked */
    uint64_t long_schedule_ms;
    uint64_t large_heap_words;
    bool busy_port, busy_dist_port;
} SysMonSettings;

/* Whether a collection must be timed (long_gc or large_heap asked for). */
extern _Atomic bool sysmon_gc_watched;
/* Whether slices must be timed (long_schedule asked for). */
extern _Atomic bool sysmon_slice_watched;

/* The current settings (pid NIL when off). */
SysMonSettings sysmon_get(void);
/* Replaces the settings (pid NIL turns monitoring off). */
void sysmon_set(const SysMonSettings *s);

/* Collection hooks: begin returns a start time (0 when not watched), end reports on it. */
uint64_t sysmon_gc_begin(void);
void sysmon_gc_end(Process *p, uint64_t t0);

/* A slice of p that began at t0 (ns) at code in_pc has ended; 0 t0: not watched. */
void sysmon_slice_end(Process *p, uint64_t t0, const BeamInstr *in_pc);
/* The monotonic clock in ns, for slice starts (0 when slices are not watched). */
uint64_t sysmon_slice_begin(void);

/* p is being suspended on the busy port `port`. */
void sysmon_busy_port(Process *p, Term port);

#endif
