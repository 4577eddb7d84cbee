/*
 * trace_ports.h - trace flags of ports: erlang:trace/3 sets them on a port
 * (or on every port for `all`, `existing`, `ports`, `existing_ports`) and
 * trace_info/2 reports them, with OTP 25's rules, and the port events send
 * OTP 25's messages: with `ports`, {trace, Port, open, Opener, Name},
 * {trace, Port, closed, Reason}, getting_linked and getting_unlinked; with
 * `send`, {trace, Port, send, Msg, Pid} for what the port sends; with
 * `'receive'`, {trace, Port, 'receive', {Pid, Request}} for a command, close
 * or other message it gets; with `running_ports`, {trace, Port, in | out, Task}
 * around each piece of work a port does, named as OTP 25 names its port
 * tasks: open, command, control, call, info, link, unlink, connect, monitor,
 * demonitor, close (no out: the port is gone) and 0 for I/O.
 */
#ifndef ERBIUM_TRACE_PORTS_H
#define ERBIUM_TRACE_PORTS_H

#include "profiler/trace_flags.h"
#include "runtime/term/atom.h"
#include "runtime/term/term.h"

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

/* Turns `flags` on (with `tracer`) or off for the port. False, changing nothing,
   when the port is traced by another tracer (OTP: one tracer per port). */
bool trace_port_set(Term port, uint32_t flags, bool on, Term tracer);
/* The port's flags and tracer (NIL without flags). */
uint32_t trace_port_flags(Term port, Term *tracer);

/* The same for ports opened from now on (new_ports). */
void trace_port_set_new(uint32_t flags, bool on, Term tracer);
uint32_t trace_port_new_flags(Term *tracer);
struct Port;
/* A port was opened (by its owner, already linked; unlocked): it gets the flags for new
   ports and reports open and getting_linked. Costs one atomic load when there are none. */
void trace_port_opened(const struct Port *p);

/* Traced ports now (nonzero while any port has flags): the hooks' only test. */
extern _Atomic size_t trace_ports_traced;
/* Sends {trace, Port, What, A[, B]} when the port has `flag` (B omitted when THE_NON_VALUE). */
void trace_port_event(Term port, uint32_t flag, Term what, Term a, Term b);

static inline void trace_port_on(Term port, uint32_t flag, Term what, Term a, Term b)
{
    if (__builtin_expect(atomic_load_explicit(&trace_ports_traced, memory_order_relaxed) != 0, 0))
        trace_port_event(port, flag, what, a, b);
}

/* running_ports: the port starts (in) or ends (out) the task named `task`. */
static inline void trace_port_task(Term port, Term task, bool in)
{
    trace_port_on(port, TRACE_RUNNING_PORTS, in ? AM_in : AM_out, task, THE_NON_VALUE);
}

#endif
