/* bif_trace_flags.h - trace_info/2 for processes (bif_trace_flags.c); bif_trace.c hands them over. */
#ifndef ERBIUM_BIF_TRACE_FLAGS_H
#define ERBIUM_BIF_TRACE_FLAGS_H

#include "runtime/proc/process.h"

/* trace_info(Spec, Item) for a pid, a port, `new`, `new_processes` or `new_ports`: {flags, [...]} or {tracer, T};
   the bare atom undefined for a dead pid; badarg (raised) for another item. */
Term trace_flags_info(Process *p, Term spec, Term item);

#endif
