/*
 * trace_ports.h - trace flags of ports: erlang:trace/3 sets them on a port
 * (or on every port for `all`, `existing`, `ports`, `existing_ports`) and
 * trace_info/2 reports them, with OTP 25's rules. Ports do not send trace
 * messages yet: the flags are only kept.
 */
#ifndef ERBIUM_TRACE_PORTS_H
#define ERBIUM_TRACE_PORTS_H

#include "runtime/term/term.h"

#include <stdint.h>

/* Turns `flags` on (with `tracer`) or off for the port. False, changing nothing,
   when the port is traced by another tracer (OTP: one tracer per port). */
bool trace_port_set(Term port, uint32_t flags, bool on, Term tracer);
/* The port's flags and tracer (NIL without flags). */
uint32_t trace_port_flags(Term port, Term *tracer);

/* The same for ports opened from now on (new_ports). */
void trace_port_set_new(uint32_t flags, bool on, Term tracer);
uint32_t trace_port_new_flags(Term *tracer);
/* A port was opened: it gets the flags for new ports. Costs one atomic load when there are none. */
void trace_port_opened(Term port);

#endif
