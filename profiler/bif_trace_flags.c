/*
 * bif_trace_flags.c - erlang:trace/3, erlang:trace_info/2 for processes
 * and `new`, and erlang:trace_delivered/1, with OTP 25's results and
 * errors (see trace_flags.h for the flags, trace_msg.h for what they send).
 */
#include "profiler/bif_trace_flags.h"

#include "profiler/trace_flags.h"
#include "profiler/trace_msg.h"
#include "profiler/trace_ports.h"
#include "runtime/bif/bif.h"
#include "runtime/loader/module.h"
#include "runtime/port/port.h"
#include "runtime/proc/heap.h"
#include "runtime/proc/proc_table.h"
#include "runtime/proc/signal.h"
#include "runtime/term/map.h"

#include <stdio.h>
#include <stdlib.h>

Term bif_make_ref_0(Process *p, const Term *args);

/* ---- trace/3 ---- */

typedef struct TraceRequest {
    uint32_t flags;
    bool on, cpu_timestamp;
    Term tracer;
    bool void_tracer; /* {tracer, erl_tracer, State} whose State is no tracer: counted, set nothing */
    unsigned affected;
    bool conflict; /* a process has another tracer */
} TraceRequest;

static bool is_tuple_of(Term t, unsigned n, Term first)
{
    return is_tuple(t) && tuple_arity(t) == n && tuple_elems(t)[0] == first;
}

/* A live process or port as tracer. */
static bool take_tracer(Term t, TraceRequest *r)
{
    if (!trace_is_tracer(t) || !trace_tracer_alive(t)) return false;
    r->tracer = t;
    return true;
}

/*
 * {tracer, Module, State}. OTP's own erl_tracer module with a process or
 * port as state sends the plain messages, so it is that tracer; with any
 * other state it asks to be removed at once, so the call counts its
 * tracees and traces nothing (OTP 25's result). Any other
 * tracer module must implement enabled/3 and trace/5 as NIFs, which erbium
 * cannot load: a loaded module gets OTP's badarg for a module without them,
 * and one not loaded the undef OTP's erlang:trace/3 raises when it calls
 * Module:enabled/3 to load it (erbium loads nothing here: the module could
 * only give badarg once loaded).
 */
static Term take_tracer_module(Term module, Term state, TraceRequest *r)
{
    if (module == AM_erl_tracer && !trace_is_tracer(state)) r->void_tracer = true;
    if (module == AM_erl_tracer) return r->void_tracer || take_tracer(state, r) ? AM_ok : AM_badarg;
    if (!is_atom(module) || module_find(module)) return AM_badarg;
    return AM_undef;
}

/* ok, or the error reason (badarg, undef). */
static Term parse_trace_flags(Term list, TraceRequest *r)
{
    for (; is_list(list); list = CDR(list_val(list))) {
        Term f = CAR(list_val(list));
        if (trace_flag_bit(f)) r->flags |= trace_flag_bit(f);
        else if (f == AM_all) r->flags |= TRACE_ALL_FLAGS;
        else if (f == AM_cpu_timestamp) r->cpu_timestamp = true;
        else if (is_tuple_of(f, 2, AM_tracer) && take_tracer(tuple_elems(f)[1], r)) continue;
        else if (is_tuple_of(f, 3, AM_tracer)) {
            Term why = take_tracer_module(tuple_elems(f)[1], tuple_elems(f)[2], r);
            if (why != AM_ok) return why;
        } else return AM_badarg;
    }
    return is_nil(list) ? AM_ok : AM_badarg;
}

/* Does q have a live tracer other than `tracer`? */
static bool other_tracer(Process *q, Term tracer)
{
    Term theirs = atomic_load(&q->tracer);
    return trace_is_tracer(theirs) && theirs != tracer && trace_flags_of(q) && trace_tracer_alive(theirs);
}

static void trace_one(Process *q, void *ctx)
{
    TraceRequest *r = ctx;
    if (r->on && other_tracer(q, r->tracer)) {
        r->conflict = true;
        return;
    }
    r->affected++;
    if (r->on && r->void_tracer) return;
    if (r->on && trace_is_tracer(atomic_load(&q->tracer)) && !trace_tracer_alive(atomic_load(&q->tracer)))
        trace_flags_clear(q);
    trace_flags_set(q, r->flags, r->on, r->tracer);
}

/* A port whose tracer died is no longer traced (as a process is): its flags go before new
   ones are set. The tracer is looked at outside the flags table's lock, which is taken
   under port locks. */
static void drop_dead_port_tracer(Term port)
{
    Term tracer;
    if (trace_port_flags(port, &tracer) && trace_is_tracer(tracer) && !trace_tracer_alive(tracer))
        trace_port_set(port, TRACE_ALL_FLAGS, false, NIL);
}

/* The collective targets: which existing processes, and whether new ones, are meant. */
typedef struct Target {
    bool procs, new_procs, ports, new_ports;
} Target;

static bool parse_target(Term spec, Target *t)
{
    *t = (Target){false, false, false, false};
    if (spec == AM_all) *t = (Target){true, true, true, true};
    else if (spec == AM_existing) *t = (Target){true, false, true, false};
    else if (spec == AM_processes) *t = (Target){true, true, false, false};
    else if (spec == AM_existing_processes) t->procs = true;
    else if (spec == AM_new) *t = (Target){false, true, false, true};
    else if (spec == AM_new_processes) t->new_procs = true;
    else if (spec == AM_ports) *t = (Target){false, false, true, true};
    else if (spec == AM_existing_ports) t->ports = true;
    else if (spec == AM_new_ports) t->new_ports = true;
    else return false;
    return true;
}

Term bif_trace_3(Process *p, const Term *args)
{
    Term spec = args[0];
    TraceRequest r = {0, args[1] == AM_true, false, p->pid, false, 0, false};
    if (args[1] != AM_true && args[1] != AM_false) return bif_error(p, AM_badarg);
    Term why = parse_trace_flags(args[2], &r);
    if (why != AM_ok) return bif_error(p, why);
    if (r.cpu_timestamp && spec != AM_all) return bif_error(p, AM_badarg);
    if (is_pid(spec)) {
        Process *q = ptab_lookup(spec);
        if (!q) return bif_error(p, AM_badarg);
        trace_one(q, &r);
        if (r.conflict) {
            fputs("** can only have one tracer per process\n", stderr);
            return bif_error(p, AM_badarg);
        }
        return make_small((intptr_t)r.affected);
    }
    if (is_port(spec)) {
        Port *port = port_lookup(spec);
        if (!port) return bif_error(p, AM_badarg);
        pthread_mutex_unlock(&port->lock);
        if (r.on && r.void_tracer) return make_small(1);
        drop_dead_port_tracer(spec);
        if (!trace_port_set(spec, r.flags, r.on, r.tracer)) {
            fputs("** can only have one tracer per port\n", stderr);
            return bif_error(p, AM_badarg);
        }
        return make_small(1);
    }
    Target t;
    if (!parse_target(spec, &t)) return bif_error(p, AM_badarg);
    if (r.cpu_timestamp) trace_flags_set_cpu_timestamp(r.on);
    if (r.on && r.void_tracer) t.new_procs = t.new_ports = false;
    unsigned count = 0;
    if (t.procs && (r.flags & TRACE_PROC_FLAGS)) {
        ptab_foreach(trace_one, &r);
        count += r.affected;
    }
    if (t.ports && (r.flags & TRACE_PORT_FLAGS)) {
        size_t n;
        Term *ids = port_table_ids(&n);
        for (size_t i = 0; i < n; i++) {
            if (r.on && !r.void_tracer) drop_dead_port_tracer(ids[i]);
            count += (r.on && r.void_tracer) || trace_port_set(ids[i], r.flags, r.on, r.tracer);
        }
        free(ids);
    }
    if (t.new_procs) trace_flags_set_new(r.flags, r.on, r.tracer);
    if (t.new_ports) trace_port_set_new(r.flags, r.on, r.tracer);
    return make_small((intptr_t)count);
}

/* ---- trace_info/2 ---- */

Term trace_flags_info(Process *p, Term spec, Term item)
{
    uint32_t flags;
    Term tracer;
    if (spec == AM_new || spec == AM_new_processes) {
        flags = trace_flags_new(&tracer);
    } else if (spec == AM_new_ports) {
        flags = trace_port_new_flags(&tracer);
    } else if (is_port(spec)) {
        Port *port = port_lookup(spec);
        if (!port) return AM_undefined;
        pthread_mutex_unlock(&port->lock);
        flags = trace_port_flags(spec, &tracer);
    } else {
        Process *q = ptab_lookup(spec);
        if (!q) return AM_undefined;
        tracer = atomic_load(&q->tracer);
        if (trace_is_tracer(tracer) && tracer != q->pid && !trace_tracer_alive(tracer)) trace_flags_clear(q); /* its tracer died */
        flags = trace_flags_of(q);
        tracer = atomic_load(&q->tracer);
    }
    if (item == AM_flags) return heap_tuple2(p, item, trace_flag_list(p, flags));
    if (item == AM_tracer) return heap_tuple2(p, item, is_nil(tracer) || !flags ? NIL : tracer);
    return bif_error(p, AM_badarg);
}

/* ---- trace_delivered/1 ---- */

/*
 * Trace messages go straight into the tracer's mailbox when their event
 * happens (trace_msg.h), so every earlier one has been delivered already:
 * the answer can be sent at once, after them.
 */
Term bif_trace_delivered_1(Process *p, const Term *args)
{
    Term who = args[0];
    if (!is_pid(who) && who != AM_all) {
        Term keys[1] = {AM_module}, values[1] = {AM_erl_erts_errors};
        p->ferror_info = heap_tuple2(p, AM_error_info, map_from_pairs(p, keys, values, 1));
        return bif_error(p, AM_badarg);
    }
    Term ref = bif_make_ref_0(p, NULL);
    signal_post(SIG_MESSAGE, p->pid, p->pid, heap_tuple3(p, AM_trace_delivered, who, ref), false);
    return ref;
}
