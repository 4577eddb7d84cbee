/*
 * sys_msacc.h - the Erlang face of microstate accounting (sched/msacc.h):
 * erlang:statistics(microstate_accounting) and
 * erlang:system_flag(microstate_accounting, true | false | reset).
 */
#ifndef ERBIUM_SYS_MSACC_H
#define ERBIUM_SYS_MSACC_H

#include "runtime/proc/process.h"

/* [#{type => T, id => N, counters => #{State => Ns}}] for every thread. */
Term sys_msacc_statistics(Process *p);
/* true | false: the old setting; reset: whether accounting is on. THE_NON_VALUE for any other value. */
Term sys_msacc_flag(Term value);

#endif
