/*
 * sysprof.h - erlang:system_profile/0,2 (prefix sysprof_): one process or
 * port (the profiler) is told, with OTP 25's messages, when processes
 * become runnable and stop being so (runnable_procs: {profile, Pid, active |
 * inactive, MFA | 0, Ts}) and when schedulers go to sleep and wake
 * (scheduler: {profile, scheduler, Id, active | inactive, NActive, Ts}).
 * runnable_ports and exclusive are accepted and reported but send nothing:
 * erbium's ports have no run queue of their own (they are served by the
 * poller thread and the calling process).
 *
 * The hooks cost one relaxed load when profiling is off. A process becomes
 * inactive on its scheduler before the waiting state is published, and
 * active in whichever thread wakes it, so the profiler gets each process's
 * messages in order.
 */
#ifndef ERBIUM_SYSPROF_H
#define ERBIUM_SYSPROF_H

#include "runtime/proc/process.h"

#include <stdatomic.h>

enum {
    SYSPROF_PROCS = 1,
    SYSPROF_PORTS = 2,
    SYSPROF_SCHED = 4,
    SYSPROF_EXCLUSIVE = 8,
};

/* The SYSPROF_* bits in force (0 when profiling is off or asks for no messages). */
extern _Atomic uint32_t sysprof_flags;

static inline bool sysprof_on(uint32_t what)
{
    return __builtin_expect((atomic_load_explicit(&sysprof_flags, memory_order_relaxed) & what) != 0, 0);
}

/* runnable_procs: p became runnable (spawned or woken) / stops running (waits; exited: MFA 0). */
void sysprof_proc(Process *p, bool active, bool exited);
/* scheduler: scheduler `index` (0-based) wakes / goes to sleep, leaving nactive awake. */
void sysprof_sched(int index, bool active, int nactive);

#endif
