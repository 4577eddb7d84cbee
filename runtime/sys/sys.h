/*
 * sys.h - the VM's own settings and facts that erlang:system_info/1,
 * statistics/1, system_flag/2 and memory/0,1 share (prefix sys_).
 */
#ifndef ERBIUM_SYS_H
#define ERBIUM_SYS_H

#include "runtime/term/term.h"

#include <stddef.h>
#include <stdint.h>

/* Settings system_flag/2 changes. Defaults for new processes come from proc_flags. */
int sys_schedulers_online(void);
int sys_set_schedulers_online(int n); /* returns the old value */
int sys_backtrace_depth(void);
int sys_set_backtrace_depth(int n);

/* OTP's release ("25") and erts version ("13.1.5") that erbium stands in for, read from the
   installed OTP (erts's directory name and its releases folder); NULL if unknown. */
const char *sys_otp_release(void);
/* Where the VM sends its error reports: the pid or name set with system_flag(system_logger, _), else logger. */
Term sys_system_logger(void);
const char *sys_erts_version(void);

/* Logical processors: configured, online, and available to this process. */
int sys_cpus_configured(void);
int sys_cpus_online(void);
int sys_cpus_available(void);

/* Bytes in use by the VM as a whole (the C heap, allocated blocks and mappings). */
size_t sys_memory_total(void);

struct Process;

/* system_info/1's allocator keys (allocator, alloc_util_allocators, {allocator, Name},
   allocated_areas); no value for any other key. */
Term sys_alloc_info(struct Process *p, Term key);

#endif
