/*
 * port_busy.c - busy ports (see port.h), as OTP's spawn and fd drivers:
 * a port whose output queue reaches PORT_BUSY_HIGH bytes is busy until it
 * is down to PORT_BUSY_LOW. A process that sends to a busy port with
 * port_command (without nosuspend) raises its own suspend count, is listed
 * among the port's waiters, and yields so that the call is made again once
 * it runs (`!` and erlang:send the same way for {Pid, {command, D}}:
 * port_send_wait; {Pid, close} and {Pid, {connect, New}} never wait); the port
 * resumes every waiter with a SIG_RESUME signal when it
 * stops being busy or terminates. A signal needs no lock of the waiter's,
 * so the poller (or whoever holds the port) never waits for a process, and
 * a waiter that died meanwhile simply drops it.
 */
#include "runtime/port/port.h"
#include "runtime/sysmon/sysmon.h"

#include "runtime/proc/suspend.h"
#include "runtime/term/atom.h"

#include <stdlib.h>

/* Set by port_send_wait when a send waits; read on the send's failure path only. */
static _Thread_local bool port_send_suspended;

bool port_send_take_suspended(void)
{
    bool was = port_send_suspended;
    port_send_suspended = false;
    return was;
}

static void wake_all(Port *p)
{
    for (uint32_t i = 0; i < p->nwaiters; i++) suspend_wake(p->waiters[i], p->id);
    p->nwaiters = 0;
}

void port_busy_update(Port *p)
{
    size_t queued = p->olen - p->ooff;
    if (!p->busy && queued >= PORT_BUSY_HIGH) {
        p->busy = true;
    } else if (p->busy && queued <= PORT_BUSY_LOW) {
        p->busy = false;
        wake_all(p);
    }
}

void port_busy_wait(Port *p, Process *caller)
{
    if (p->nwaiters == p->capwaiters) {
        p->capwaiters = p->capwaiters ? 2 * p->capwaiters : 4;
        p->waiters = realloc(p->waiters, p->capwaiters * sizeof *p->waiters);
        if (!p->waiters) abort();
    }
    p->waiters[p->nwaiters++] = caller->pid;
    sysmon_busy_port(caller, p->id);
    suspend_self(caller);
}

/* {Pid, {command, _}}: the only message a busy port makes wait, as OTP's output is the only
   port operation that suspends (close, connect and bad messages go through at once). */
static bool is_command(Term msg)
{
    if (!is_tuple(msg) || tuple_arity(msg) != 2) return false;
    Term what = tuple_elems(msg)[1];
    return is_tuple(what) && tuple_arity(what) == 2 && tuple_elems(what)[0] == AM_command;
}

bool port_is_busy(Term id, Term msg)
{
    if (!is_command(msg)) return false;
    Port *p = port_lookup(id);
    if (!p) return false;
    bool busy = p->busy;
    port_unlock(p);
    return busy;
}

void port_busy_release(Port *p)
{
    wake_all(p);
    free(p->waiters);
    p->waiters = NULL;
    p->capwaiters = 0;
    p->busy = false;
}

bool port_send_wait(Process *caller, Term id, Term msg)
{
    if (!is_command(msg)) return false;
    Port *p = port_lookup(id);
    if (!p) return false;
    bool busy = p->busy;
    if (busy) port_busy_wait(p, caller);
    port_unlock(p);
    if (busy) port_send_suspended = true;
    return busy;
}
