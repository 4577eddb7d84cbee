/*
 * sys_multisched.h - system_flag(multi_scheduling, block | unblock |
 * block_normal | unblock_normal) and the system_info items that report it.
 *
 * OTP's tools (eprof, fprof) block multi-scheduling so that setting trace
 * patterns is atomic. erbium sets patterns and changes code under thread
 * progress without stopping schedulers, so a block here is recorded per
 * process, with OTP's counts and answers, but does not stop the other
 * schedulers (README says so).
 */
#ifndef ERBIUM_SYS_MULTISCHED_H
#define ERBIUM_SYS_MULTISCHED_H

#include "runtime/proc/process.h"

/* system_flag(multi_scheduling, Value) for p: the new state, or THE_NON_VALUE for a bad value. */
Term sys_multisched_flag(Process *p, Term value);
/* system_info(multi_scheduling): blocked, blocked_normal or enabled. */
Term sys_multisched_state(void);
/* system_info(multi_scheduling_blockers) (normal false) or (normal_multi_scheduling_blockers). */
Term sys_multisched_blockers(Process *p, bool normal);

#endif
