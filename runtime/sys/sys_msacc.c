/* sys_msacc.c - statistics(microstate_accounting) and its system_flag (see sys_msacc.h). */
#include "runtime/sys/sys_msacc.h"

#include "runtime/proc/heap.h"
#include "runtime/term/atom.h"
#include "runtime/term/big.h"
#include "runtime/term/map.h"
#include "sched/msacc.h"

#include <stdlib.h>

static Term type_atom(MsaccType t)
{
    switch (t) {
    case MSACC_T_SCHEDULER: return AM_scheduler;
    case MSACC_T_DIRTY_CPU: return AM_dirty_cpu_scheduler;
    case MSACC_T_DIRTY_IO: return AM_dirty_io_scheduler;
    case MSACC_T_POLL: return AM_poll;
    case MSACC_T_AUX: break;
    }
    return AM_aux;
}

static Term state_atom(int s)
{
    switch ((MsaccState)s) {
    case MSACC_AUX: return AM_aux;
    case MSACC_CHECK_IO: return AM_check_io;
    case MSACC_EMULATOR: return AM_emulator;
    case MSACC_GC: return AM_gc;
    case MSACC_OTHER: return AM_other;
    case MSACC_PORT: return AM_port;
    case MSACC_SLEEP: case MSACC_STATES: break;
    }
    return AM_sleep;
}

static Term thread_map(Process *p, const MsaccCounts *c)
{
    Term keys[MSACC_STATES], values[MSACC_STATES];
    for (int s = 0; s < MSACC_STATES; s++) {
        keys[s] = state_atom(s);
        values[s] = int_from_u64(p, c->ns[s]);
    }
    Term counters = map_from_pairs(p, keys, values, MSACC_STATES);
    Term k[3] = {AM_counters, AM_id, AM_type};
    Term v[3] = {counters, make_small(c->id), type_atom(c->type)};
    return map_from_pairs(p, k, v, 3);
}

Term sys_msacc_statistics(Process *p)
{
    int n;
    MsaccCounts *c = msacc_collect(&n);
    if (!c) return AM_undefined;
    Term list = NIL;
    for (int i = n; i > 0; i--) list = heap_cons(p, thread_map(p, &c[i - 1]), list);
    free(c);
    return list;
}

Term sys_msacc_flag(Term value)
{
    if (value == AM_true || value == AM_false) return msacc_enable(value == AM_true) ? AM_true : AM_false;
    if (value == AM_reset) return msacc_reset() ? AM_true : AM_false;
    return THE_NON_VALUE;
}
