/*
 * proc_flags.h - process flags (process_flag/2,3) and spawn options
 * (spawn_opt/2,4), with OTP's checks and OTP's heap size rounding
 * (prefix pflag_).
 *
 * What erbium applies: trap_exit, priority, error_handler (undefined
 * functions go to ErrorHandler:undefined_function/3), min_heap_size (the
 * heap never shrinks below it), fullsweep_after (a major collection after
 * that many minor ones), max_heap_size (max_heap.h). Accepted and reported
 * by process_info as on OTP but without effect on erbium's memory
 * management: min_bin_vheap_size, message_queue_data (erbium's queue is
 * always outside the heap until received), sensitive, save_calls.
 */
#ifndef ERBIUM_PROC_FLAGS_H
#define ERBIUM_PROC_FLAGS_H

#include "runtime/proc/process.h"

#define PFLAG_FULLSWEEP_DEFAULT 65535
#define PFLAG_MIN_BIN_VHEAP_DEFAULT 46422

/* The flags a new process starts with (system_flag/2 changes them), and its minimum heap size. */
ProcFlags proc_flags_default(void);
size_t pflag_default_min_heap(void);
/* system_flag(Flag, Value) for min_heap_size, min_bin_vheap_size, fullsweep_after and
   max_heap_size: the old default, or THE_NON_VALUE for another flag or a bad value. */
Term pflag_set_default(Process *p, Term flag, Term value);

/* OTP's heap sizes: the smallest size in its growth series at least `words` (233 at least). */
uint64_t pflag_heap_size_round(uint64_t words);

/* What spawn_opt asks for besides the flags. */
typedef struct SpawnOpts {
    bool link, monitor;
    int priority;
    Term monitor_tag;  /* {monitor, [{tag, T}]}: T, else THE_NON_VALUE */
    int alias_mode;    /* {monitor, [{alias, M}]} (alias.h) */
    size_t min_heap;   /* words (0: the default) */
    bool system;       /* erts_internal:spawn_system_process/3 */
    ProcFlags flags;
    Term given;        /* the option list as given (seq_trace shows it), else THE_NON_VALUE */
} SpawnOpts;

/* Parses spawn_opt's option list; false (badarg) for a bad option or value. */
bool pflag_parse_spawn_opts(Term list, SpawnOpts *o);
/* Gives a new process q what o asks for (flags, heap size). */
void pflag_apply_spawn_opts(Process *q, const SpawnOpts *o);

/* process_flag(Flag, Value) for p itself: the old value, or THE_NON_VALUE for badarg. */
Term pflag_set(Process *p, Term flag, Term value);
/* Whether process_flag/2 knows flag (else its badarg has OTP's cause badopt). */
bool pflag_is_known(Process *p, Term flag);
/* process_flag(Pid, save_calls, N) for another process (its flags are under its status lock). */
Term pflag_set_save_calls(Process *q, Term value);

/* Priority atom <-> ProcPriority (-1 for a bad atom). */
int pflag_priority_from_atom(Term a);
Term pflag_priority_atom(int prio);
/* #{error_logger => _, kill => _, size => _} on p's heap for f's max_heap_size. */
Term pflag_max_heap_map(Process *p, const ProcFlags *f);

#endif
