/*
 * port_signal.c - a port's links, monitors, exit signals, the messages a
 * port takes ({Pid, {command, D}}, {Pid, close}, {Pid, {connect, New}}),
 * and its termination (see port.h).
 */
#include "runtime/port/port.h"

#include "profiler/trace_ports.h"
#include "runtime/port/port_iodata.h"
#include "runtime/term/atom.h"
#include "runtime/proc/proc_table.h"
#include "runtime/proc/signal.h"
#include "sched/sched.h"

#include <stdlib.h>
#include <string.h>

/* Receivers of messages the poller posted under a port's lock, to wake once it let the
   port go (a receiver woken at once would run into the lock). */
#define MAX_DEFERRED 16
static _Thread_local bool deferring;
static _Thread_local Process *deferred[MAX_DEFERRED];
static _Thread_local unsigned ndeferred;

void port_send(Port *p, Term pid, Term msg)
{
    trace_port_on(p->id, TRACE_SEND, AM_send, msg, pid);
    Process *q = deferring && is_pid(pid) ? ptab_lookup(pid) : NULL;
    if (!q) {
        signal_post(SIG_MESSAGE, pid, p->id, msg, false);
        return;
    }
    /* pushed now, under the lock, so it stays in order with the port's other signals */
    mbox_push(&q->mbox, mbox_message_new(SIG_MESSAGE, pid, p->id, msg));
    for (unsigned i = 0; i < ndeferred; i++)
        if (deferred[i] == q) return;
    if (ndeferred == MAX_DEFERRED) sched_wake(q);
    else deferred[ndeferred++] = q;
}

void port_defer_wakes(void) { deferring = true; }

void port_wake_deferred(void)
{
    deferring = false;
    /* a struct reused by another process meanwhile gets a harmless spurious wake */
    for (unsigned i = 0; i < ndeferred; i++) sched_wake(deferred[i]);
    ndeferred = 0;
}

/* ---- links and monitors ---- */

bool port_add_link(Port *p, Term pid)
{
    for (uint32_t i = 0; i < p->nlinks; i++)
        if (p->links[i] == pid) return false;
    if (p->nlinks == p->caplinks) {
        p->caplinks = p->caplinks ? p->caplinks * 2 : 4;
        p->links = realloc(p->links, p->caplinks * sizeof *p->links);
        if (!p->links) abort();
    }
    p->links[p->nlinks++] = pid;
    return true;
}

static bool remove_link(Port *p, Term pid)
{
    for (uint32_t i = 0; i < p->nlinks; i++) {
        if (p->links[i] != pid) continue;
        p->links[i] = p->links[--p->nlinks];
        return true;
    }
    return false;
}

static void add_monitor(Port *p, const Term *ref_id, Term pid, Term item)
{
    if (p->nmons == p->capmons) {
        p->capmons = p->capmons ? p->capmons * 2 : 4;
        p->mons = realloc(p->mons, p->capmons * sizeof *p->mons);
        if (!p->mons) abort();
    }
    PortMonitor *m = &p->mons[p->nmons++];
    memcpy(m->ref_id, ref_id, sizeof m->ref_id);
    m->pid = pid;
    m->name = is_tuple(item) ? tuple_elems(item)[0] : 0;
}

static void remove_monitor(Port *p, const Term *ref_id)
{
    for (uint32_t i = 0; i < p->nmons; i++) {
        if (memcmp(p->mons[i].ref_id, ref_id, sizeof p->mons[i].ref_id)) continue;
        p->mons[i] = p->mons[--p->nmons];
        return;
    }
}

/* ---- termination ---- */

void port_terminate(Port *p, Term reason)
{
    Term id = p->id, reply_to = p->flush_reply;
    trace_port_on(p->id, TRACE_PORTS, AM_closed, reason, THE_NON_VALUE);
    p->closed = true;
    if (p->drv) p->drv->release(p);
    else port_io_release(p);
    port_reg_release(p);
    port_busy_release(p);
    for (uint32_t i = 0; i < p->nlinks; i++) {
        if (p->exit_quietly) signal_post(SIG_UNLINK, p->links[i], p->id, NIL, false);
        else signal_post(SIG_EXIT, p->links[i], p->id, reason, true);
    }
    for (uint32_t i = 0; i < p->nmons; i++) {
        const PortMonitor *m = &p->mons[i];
        Term named[3] = {make_tuple_header(2), m->name, AM_nonode_at_nohost};
        signal_post_down(m->pid, m->ref_id, AM_port, is_atom(m->name) ? make_boxed(named) : p->id, reason, p->id);
    }
    free(p->links);
    free(p->mons);
    if (p->data) mbox_message_free(p->data);
    free(p->name);
    pthread_mutex_unlock(&p->lock);
    port_table_remove(p);
    if (is_pid(reply_to)) {
        Term closed[3] = {make_tuple_header(2), id, AM_closed};
        trace_port_on(id, TRACE_SEND, AM_send, AM_closed, reply_to); /* OTP reports the reply as `closed` */
        signal_post(SIG_MESSAGE, reply_to, id, make_boxed(closed), false);
    }
}

void port_close_flushing(Port *p, Term reply_to)
{
    p->flush_reply = reply_to;
    if (!port_output_queued(p) || is_value(p->doom)) {
        port_terminate(p, is_value(p->doom) ? p->doom : AM_normal);
        return;
    }
    atomic_store_explicit(&p->flushing, true, memory_order_relaxed);
    port_io_stop_input(p);
    port_reg_release(p); /* the name is free at once, as the port is gone for Erlang code */
    port_busy_release(p); /* senders waiting for it to drain retry now, and get badarg */
    pthread_mutex_unlock(&p->lock);
}

void port_unlock(Port *p)
{
    if (is_value(p->doom)) port_terminate(p, p->doom);
    else pthread_mutex_unlock(&p->lock);
}

/* ---- signals from processes ---- */

/* A link's exit signal closes the port when it comes from the owner (whatever the reason)
   or is not normal; exit/2's always does (kill as killed). */
static void on_exit_signal(Port *p, Term from, Term reason, bool from_link)
{
    if (from_link) {
        if (!remove_link(p, from)) return;
        if (reason == AM_normal && from != p->owner) return;
    } else if (reason == AM_kill) {
        reason = AM_killed;
    }
    p->doom = reason;
}

/* {Pid, {command, Data}}, {Pid, close}, {Pid, {connect, New}} from the owner; anything
   else (or from another process) is a bad signal, which closes the port. True when it
   closed the port (which is then unlocked and gone). */
static bool on_message(Port *p, Term msg)
{
    trace_port_on(p->id, TRACE_RECEIVE, AM_receive, msg, THE_NON_VALUE);
    if (!is_tuple(msg) || tuple_arity(msg) != 2 || tuple_elems(msg)[0] != p->owner) {
        p->doom = AM_badsig;
        return false;
    }
    Term pid = tuple_elems(msg)[0], what = tuple_elems(msg)[1];
    const Term *e = is_tuple(what) && tuple_arity(what) == 2 ? tuple_elems(what) : NULL;
    if (e && e[0] == AM_command) {
        IoBytes b;
        if (!(p->flags & PORT_OUT) || !port_iodata(e[1], &b)) {
            p->doom = AM_badsig;
            return false;
        }
        if (p->drv) p->drv->command(p, pid, b.data, b.len);
        else port_output(p, b.data, b.len);
        port_iodata_free(&b);
    } else if (what == AM_close) {
        port_close_flushing(p, pid);
        return true;
    } else if (e && e[0] == AM_connect && is_pid(e[1])) {
        p->owner = e[1]; /* unlike port_connect/2, no link to the new owner */
        Term connected[3] = {make_tuple_header(2), p->id, AM_connected};
        signal_post(SIG_MESSAGE, pid, p->id, make_boxed(connected), false);
    } else {
        p->doom = AM_badsig;
    }
    return false;
}

/* A link or monitor asked of a port that no longer exists: noproc, as for processes. */
static void answer_dead_port(Message *m)
{
    if (m->kind == SIG_LINK) {
        signal_post(SIG_EXIT, m->from, m->to, AM_noproc, true);
    } else if (m->kind == SIG_MONITOR) {
        const Term *e = tuple_elems(m->term);
        signal_post_down(m->from, boxed_val(e[0]) + 1, AM_port, m->to, AM_noproc, m->to);
    }
}

/* The port task OTP 25 names for a signal (running_ports). */
static Term signal_task(const Message *m)
{
    switch ((SigKind)m->kind) {
    case SIG_LINK: return AM_link;
    case SIG_UNLINK: return AM_unlink;
    case SIG_EXIT: return AM_close;
    case SIG_MONITOR: return AM_monitor;
    case SIG_DEMONITOR: return AM_demonitor;
    case SIG_MESSAGE: {
        Term what = is_tuple(m->term) && tuple_arity(m->term) == 2 ? tuple_elems(m->term)[1] : NIL;
        if (what == AM_close) return AM_close;
        if (is_tuple(what) && tuple_arity(what) == 2 && tuple_elems(what)[0] == AM_connect) return AM_connect;
        return AM_command;
    }
    default: return THE_NON_VALUE;
    }
}

/* running_ports: a task's out, except for a close that ended the port (OTP sends none). */
static void task_out(Term id, Term task, bool gone)
{
    if (is_value(task) && !(gone && task == AM_close)) trace_port_task(id, task, false);
}

/* Unlocks the port after a task. Its out comes first, under the lock, so nothing the port
   does next (input from the poller) comes before it; a port that the task doomed reports
   its end first. */
static void task_unlock(Port *p, Term task)
{
    Term id = p->id;
    bool doomed = is_value(p->doom);
    if (!doomed) task_out(id, task, false);
    port_unlock(p);
    if (doomed) task_out(id, task, true);
}

bool port_signal(Message *m)
{
    Port *p = port_lookup(m->to);
    if (!p) {
        answer_dead_port(m);
        mbox_message_free(m);
        return false;
    }
    Term id = p->id, task = THE_NON_VALUE;
    if (__builtin_expect(atomic_load_explicit(&trace_ports_traced, memory_order_relaxed) != 0, 0)) {
        task = signal_task(m);
        if (is_value(task)) trace_port_task(id, task, true);
    }
    switch ((SigKind)m->kind) {
    case SIG_LINK:
        if (port_add_link(p, m->from)) trace_port_on(p->id, TRACE_PORTS, AM_getting_linked, m->from, THE_NON_VALUE);
        break;
    case SIG_UNLINK:
        if (remove_link(p, m->from)) trace_port_on(p->id, TRACE_PORTS, AM_getting_unlinked, m->from, THE_NON_VALUE);
        break;
    case SIG_EXIT: on_exit_signal(p, m->from, m->term, m->from_link); break;
    case SIG_MONITOR: add_monitor(p, boxed_val(tuple_elems(m->term)[0]) + 1, m->from, tuple_elems(m->term)[1]); break;
    case SIG_DEMONITOR: remove_monitor(p, boxed_val(m->term) + 1); break;
    case SIG_MESSAGE:
        if (on_message(p, m->term)) {
            mbox_message_free(m);
            task_out(id, task, true);
            return true;
        }
        break;
    default: break;
    }
    task_unlock(p, task); /* terminates it if the signal doomed it; the reason may live in m */
    mbox_message_free(m);
    return true;
}
