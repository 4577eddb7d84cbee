/*
 * bif_port.c - the port BIFs: open_port/2, port_command/2,3, port_close/1,
 * port_connect/2, port_info/1,2, ports/0, port_set_data/2, port_get_data/1,
 * port_control/3 (driver ports only: spawn and fd ports have no operations,
 * badarg as OTP's answer) and port_call/2,3 (badarg for every kind here), and
 * the erts_internal forms OTP's own erlang module is built on.
 */
#include "runtime/bif/bif.h"

#include "profiler/trace_ports.h"
#include "runtime/port/port.h"
#include "runtime/port/port_iodata.h"
#include "runtime/proc/heap.h"
#include "runtime/proc/signal.h"
#include "runtime/term/big.h"
#include "runtime/term/binary.h"
#include "runtime/term/map.h"

#include <stdlib.h>
#include <string.h>

/* Raises reason with OTP's error_info (cause badopt for a bad option list). */
static Term port_error(Process *p, Term reason, bool badopt)
{
    Term keys[2] = {AM_module, AM_cause}, values[2] = {AM_erl_erts_errors, AM_badopt};
    p->ferror_info = heap_tuple2(p, AM_error_info, map_from_pairs(p, keys, values, badopt ? 2 : 1));
    return bif_error(p, reason);
}

static Term open_or_reason(Process *p, Term name, Term settings, bool *badopt)
{
    Term reason;
    Port *port = port_open(p, name, settings, &reason, badopt);
    if (!port) return reason;
    Term id = port->id;
    signal_add_link(p, id);
    port_unlock(port);
    return id;
}

Term bif_open_port_2(Process *p, const Term *args)
{
    bool badopt;
    Term r = open_or_reason(p, args[0], args[1], &badopt);
    return is_port(r) ? r : port_error(p, r, badopt);
}

/* erts_internal:open_port/2 returns the error instead of raising it, as OTP's does. */
Term bif_ei_open_port_2(Process *p, const Term *args)
{
    bool badopt;
    return open_or_reason(p, args[0], args[1], &badopt);
}

/* ---- output ---- */

static bool parse_command_opts(Term opts, bool *force, bool *nosuspend)
{
    *force = *nosuspend = false;
    for (; is_list(opts); opts = list_tail(opts)) {
        if (list_head(opts) == AM_force) *force = true;
        else if (list_head(opts) == AM_nosuspend) *nosuspend = true;
        else return false;
    }
    return is_nil(opts);
}

/* {trace, Port, 'receive', {Pid, {command, Bin}}}: OTP reports the data as one binary. */
static void trace_command(Process *p, Term id, const IoBytes *b)
{
    Term bin = binary_from_bytes(p, b->data, b->len);
    if (!is_value(bin)) return;
    Term request[3] = {make_tuple_header(2), AM_command, bin};
    Term got[3] = {make_tuple_header(2), p->pid, make_boxed(request)};
    trace_port_event(id, TRACE_RECEIVE, AM_receive, make_boxed(got), THE_NON_VALUE);
}

/* Queues the data. A busy port suspends the caller until it is not busy (then the call is
   made again: nothing was sent), or answers false to nosuspend; force is for drivers that
   can always take data, which spawn and fd ports cannot (notsup, as OTP's). */
static Term command(Process *p, Term id, Term data, bool force, bool nosuspend)
{
    Port *port = port_lookup_named(id);
    if (!port || !(port->flags & PORT_OUT)) {
        if (port) port_unlock(port);
        return port_error(p, AM_badarg, false);
    }
    bool busy = !port->drv && port->busy;
    if (busy && nosuspend && !force) { /* before looking at the data, as OTP */
        port_unlock(port);
        return AM_false;
    }
    IoBytes b;
    if (!port_iodata(data, &b)) {
        port_unlock(port);
        return port_error(p, AM_badarg, false);
    }
    Term pid = port->id;
    if (__builtin_expect(atomic_load_explicit(&trace_ports_traced, memory_order_relaxed) != 0, 0)) {
        trace_command(p, pid, &b);
        if (!busy || force) trace_port_task(pid, AM_command, true);
    }
    Term result = AM_true;
    if (port->drv) {
        port->drv->command(port, p->pid, b.data, b.len);
    } else if (force) {
        result = THE_NON_VALUE;
    } else if (!busy) {
        port_output(port, b.data, b.len);
    } else {
        port_busy_wait(port, p);
        port_unlock(port);
        port_iodata_free(&b);
        return bif_yield_redo();
    }
    bool doomed = is_value(port->doom);
    if (!doomed) trace_port_task(pid, AM_command, false); /* before the port's next input */
    port_unlock(port);
    if (doomed) trace_port_task(pid, AM_command, false);
    port_iodata_free(&b);
    return is_value(result) ? result : port_error(p, AM_notsup, false);
}

Term bif_port_command_2(Process *p, const Term *args) { return command(p, args[0], args[1], false, false); }

Term bif_port_command_3(Process *p, const Term *args)
{
    bool force, nosuspend;
    if (!parse_command_opts(args[2], &force, &nosuspend)) return port_error(p, AM_badarg, true);
    return command(p, args[0], args[1], force, nosuspend);
}

Term bif_port_close_1(Process *p, const Term *args)
{
    Port *port = port_lookup_named(args[0]);
    if (!port) return port_error(p, AM_badarg, false);
    Term got[3] = {make_tuple_header(2), p->pid, AM_close};
    trace_port_on(port->id, TRACE_RECEIVE, AM_receive, make_boxed(got), THE_NON_VALUE);
    trace_port_task(port->id, AM_close, true); /* no out: the port is gone */
    port_close_flushing(port, NIL);
    return AM_true;
}

Term bif_port_connect_2(Process *p, const Term *args)
{
    Term pid = args[1];
    if (!is_pid(pid)) return port_error(p, AM_badarg, false);
    Port *port = port_lookup_named(args[0]);
    if (!port) return port_error(p, AM_badarg, false);
    Term id = port->id;
    trace_port_task(id, AM_connect, true);
    port->owner = pid;
    port_add_link(port, pid);
    port_unlock(port);
    trace_port_task(id, AM_connect, false);
    if (pid == p->pid) signal_add_link(p, id);
    else signal_post(SIG_LINK, pid, id, NIL, false);
    return AM_true;
}

/* The reply is a list of bytes, or a binary for a driver that asks for binary replies. */
Term bif_port_control_3(Process *p, const Term *args)
{
    IoBytes b;
    if (!is_small(args[1]) || small_val(args[1]) < 0 || small_val(args[1]) > UINT32_MAX ||
        !port_iodata(args[2], &b))
        return bif_error(p, AM_badarg);
    Port *port = port_lookup_named(args[0]);
    uint8_t *out = NULL;
    size_t n = 0;
    const PortDriver *drv = port ? port->drv : NULL;
    Term id = port ? port->id : NIL;
    if (port) trace_port_task(id, AM_control, true);
    bool ok = drv && drv->control(port, p->pid, (uint64_t)small_val(args[1]), b.data, b.len, &out, &n);
    if (port) port_unlock(port);
    if (drv) drv->after_unlock();
    if (port) trace_port_task(id, AM_control, false);
    port_iodata_free(&b);
    if (!ok) return bif_error(p, AM_badarg);
    if (drv->control_binary) {
        uint8_t *bytes;
        Term bin = binary_new(p, n, &bytes);
        memcpy(bytes, out, n);
        free(out);
        return bin;
    }
    Term list = NIL;
    for (size_t i = n; i > 0; i--) list = heap_cons(p, make_small(out[i - 1]), list);
    free(out);
    return list;
}

/* No port here has a call callback: badarg, after the port ran the call (running_ports sees it). */
static Term port_call(Process *p, Term name)
{
    Port *port = port_lookup_named(name);
    if (port) {
        Term id = port->id;
        trace_port_task(id, AM_call, true);
        port_unlock(port);
        trace_port_task(id, AM_call, false);
    }
    return bif_error(p, AM_badarg);
}
Term bif_port_call_2(Process *p, const Term *args) { return port_call(p, args[0]); }
Term bif_port_call_3(Process *p, const Term *args) { return port_call(p, args[0]); }

/* ---- information ---- */


static Term pid_list(Process *p, const Term *v, uint32_t n)
{
    Term list = NIL;
    for (uint32_t i = n; i > 0; i--) list = heap_cons(p, v[i - 1], list);
    return list;
}

/* The value of one port_info item, or THE_NON_VALUE for an unknown item. */
static Term info_value(Process *p, Port *port, Term item)
{
    if (item == AM_name) return heap_string(p, port->name, strlen(port->name));
    if (item == AM_links) return pid_list(p, port->links, port->nlinks);
    if (item == AM_id) return int_from_u64(p, port_number(port->id));
    if (item == AM_connected) return port->owner;
    if (item == AM_input) return int_from_u64(p, port->input_bytes);
    if (item == AM_output) return int_from_u64(p, port->output_bytes);
    if (item == AM_os_pid) return port->os_pid ? make_small(port->os_pid) : AM_undefined;
    if (item == AM_queue_size) return int_from_u64(p, port->olen - port->ooff);
    if (item == AM_memory) return int_from_u64(p, sizeof(Port) + port->icap + port->ocap);
    if (item == AM_locking) return port->os_pid ? AM_port_level : AM_driver_level;
    if (item == AM_parallelism) return AM_false;
    if (item == AM_monitors) return NIL; /* a port monitors nothing */
    if (item == AM_monitored_by) {
        Term list = NIL;
        for (uint32_t i = port->nmons; i > 0; i--) list = heap_cons(p, port->mons[i - 1].pid, list);
        return list;
    }
    return THE_NON_VALUE;
}

Term bif_port_info_1(Process *p, const Term *args)
{
    if (!is_port(args[0]) && !is_atom(args[0])) return port_error(p, AM_badarg, false);
    Port *port = port_lookup_named(args[0]);
    if (!port) return AM_undefined;
    Term id = port->id;
    trace_port_task(id, AM_info, true);
    static const Term *items[] = {&AM_name, &AM_links, &AM_id, &AM_connected, &AM_input, &AM_output, &AM_os_pid};
    Term list = NIL;
    for (size_t i = sizeof items / sizeof items[0]; i > 0; i--)
        list = heap_cons(p, heap_tuple2(p, *items[i - 1], info_value(p, port, *items[i - 1])), list);
    if (is_atom(port->reg_name)) list = heap_cons(p, heap_tuple2(p, AM_registered_name, port->reg_name), list);
    port_unlock(port);
    trace_port_task(id, AM_info, false);
    return list;
}

Term bif_port_info_2(Process *p, const Term *args)
{
    Term item = args[1];
    if ((!is_port(args[0]) && !is_atom(args[0])) || !is_atom(item)) return port_error(p, AM_badarg, false);
    Port *port = port_lookup_named(args[0]);
    if (!port) {
        static const Term *known[] = {&AM_name, &AM_links, &AM_id, &AM_connected, &AM_input, &AM_output,
                                      &AM_os_pid, &AM_queue_size, &AM_memory, &AM_locking, &AM_parallelism,
                                      &AM_monitors, &AM_monitored_by, &AM_registered_name};
        for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
            if (item == *known[i]) return AM_undefined;
        return port_error(p, AM_badarg, false);
    }
    Term name = port->reg_name, id = port->id;
    trace_port_task(id, AM_info, true);
    Term v = item == AM_registered_name ? name : info_value(p, port, item);
    port_unlock(port);
    trace_port_task(id, AM_info, false);
    if (item == AM_registered_name && !is_atom(name)) return NIL; /* unregistered: [], as OTP */
    if (!is_value(v)) return port_error(p, AM_badarg, false);
    return heap_tuple2(p, item, v);
}

Term bif_ports_0(Process *p, const Term *args)
{
    size_t n;
    Term *ids = port_table_ids(&n);
    /* oldest first, as OTP lists them */
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && port_number(ids[j - 1]) > port_number(ids[j]); j--) {
            Term t = ids[j];
            ids[j] = ids[j - 1];
            ids[j - 1] = t;
        }
    Term list = pid_list(p, ids, (uint32_t)n);
    free(ids);
    return list;
}

/* ---- port data ---- */

Term bif_port_set_data_2(Process *p, const Term *args)
{
    Port *port = port_lookup_named(args[0]);
    if (!port) return bif_error(p, AM_badarg);
    if (port->data) mbox_message_free(port->data);
    port->data = mbox_message_new(SIG_MESSAGE, NIL, NIL, args[1]);
    port_unlock(port);
    return AM_true;
}

Term bif_port_get_data_1(Process *p, const Term *args)
{
    Port *port = port_lookup_named(args[0]);
    if (!port) return bif_error(p, AM_badarg);
    Term v = port->data ? term_copy(p, port->data->term) : AM_undefined;
    port_unlock(port);
    return v;
}
