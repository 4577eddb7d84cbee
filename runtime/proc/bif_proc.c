/*
 * bif_proc.c - BIFs for processes: spawning, messages, links, monitors,
 * registered names, process flags and information.
 */
#include "runtime/bif/bif.h"

#include "runtime/loader/export.h"
#include "runtime/proc/heap.h"
#include "runtime/loader/module.h"
#include "runtime/proc/pdict.h"
#include "runtime/proc/proc_table.h"
#include "runtime/interp/raise.h"
#include "runtime/proc/registry.h"
#include "runtime/proc/signal.h"
#include "profiler/trace_flags.h"
#include "sched/sched.h"

#include <stdlib.h>

Term bif_make_ref_0(Process *p, const Term *args);

#define MAX_SPAWN_ARGS 255

/* A process has a leader from its parent; only the I/O servers, started first, lead themselves. */
static Term group_leader_of(const Process *p) { return is_pid(p->group_leader) ? p->group_leader : p->pid; }

typedef struct SpawnOpts {
    bool link, monitor;
    int priority;
} SpawnOpts;

/* Creates, links/monitors and schedules the process; returns its pid, or {Pid, Ref} with monitor. */
static Term spawn_with(Process *p, const BeamInstr *entry, const Term *args, int arity, SpawnOpts o)
{
    Process *q = process_new(entry, args, arity);
    if (!q) return bif_error(p, AM_system_limit);
    q->group_leader = p->group_leader;
    trace_flags_spawned(q, p);
    q->priority = o.priority;
    Term pid = q->pid;
    Term ref = o.monitor ? bif_make_ref_0(p, NULL) : NIL;
    if (o.link) signal_link(p, pid);
    if (o.monitor) signal_monitor(p, pid, ref);
    sched_spawned(q);
    return o.monitor ? heap_tuple2(p, pid, ref) : pid;
}

/* spawn(Fun): a fun of arity 0 (its free variables become the arguments of its code). */
static Term spawn_fun(Process *p, Term fun, SpawnOpts o)
{
    if (is_boxed_of(fun, HDR_FUN)) {
        const Term *f = boxed_val(fun);
        const FunEntry *fe = (const FunEntry *)f[1];
        if (fe->arity == 0) return spawn_with(p, fe->address, f + FUN_FIXED_WORDS, (int)fe->num_free, o);
    } else if (is_boxed_of(fun, HDR_EXPORT)) {
        const Export *e = (const Export *)boxed_val(fun)[1];
        if (e->arity == 0) return spawn_with(p, atomic_load(&e->address), NULL, 0, o);
    }
    return bif_error(p, AM_badarg);
}

static Term spawn_mfa(Process *p, Term m, Term f, Term list, SpawnOpts o)
{
    Term args[MAX_SPAWN_ARGS];
    int n = 0;
    for (; is_list(list) && n < MAX_SPAWN_ARGS; list = list_tail(list)) args[n++] = list_head(list);
    if (!is_atom(m) || !is_atom(f) || !is_nil(list)) return bif_error(p, AM_badarg);
    Export *e = export_get(m, f, (uint32_t)n);
    return spawn_with(p, atomic_load(&e->address), args, n, o);
}

static const SpawnOpts plain = {false, false, PRIO_NORMAL};
static const SpawnOpts linked = {true, false, PRIO_NORMAL};
static const SpawnOpts monitored = {false, true, PRIO_NORMAL};

Term bif_spawn_1(Process *p, const Term *args) { return spawn_fun(p, args[0], plain); }
Term bif_spawn_3(Process *p, const Term *args) { return spawn_mfa(p, args[0], args[1], args[2], plain); }
Term bif_spawn_link_1(Process *p, const Term *args) { return spawn_fun(p, args[0], linked); }
Term bif_spawn_link_3(Process *p, const Term *args) { return spawn_mfa(p, args[0], args[1], args[2], linked); }
Term bif_spawn_monitor_1(Process *p, const Term *args) { return spawn_fun(p, args[0], monitored); }
Term bif_spawn_monitor_3(Process *p, const Term *args)
{
    return spawn_mfa(p, args[0], args[1], args[2], monitored);
}

static int priority_from_atom(Term a)
{
    if (a == AM_low) return PRIO_LOW;
    if (a == AM_normal) return PRIO_NORMAL;
    if (a == AM_high) return PRIO_HIGH;
    if (a == AM_max) return PRIO_MAX;
    return -1;
}

static Term priority_atom(int prio)
{
    static const Term *names[] = {&AM_max, &AM_high, &AM_normal, &AM_low};
    return *names[prio];
}

/* link, monitor, {priority, P}; heap sizing options are accepted and ignored. */
static bool parse_spawn_opts(Term list, SpawnOpts *o)
{
    *o = plain;
    for (; is_list(list); list = list_tail(list)) {
        Term opt = list_head(list);
        if (opt == AM_link) o->link = true;
        else if (opt == AM_monitor) o->monitor = true;
        else if (is_tuple(opt) && tuple_arity(opt) == 2 && tuple_elems(opt)[0] == AM_priority) {
            if ((o->priority = priority_from_atom(tuple_elems(opt)[1])) < 0) return false;
        } else if (!(is_tuple(opt) && tuple_arity(opt) == 2 &&
                     (tuple_elems(opt)[0] == AM_min_heap_size || tuple_elems(opt)[0] == AM_fullsweep_after)))
            return false;
    }
    return is_nil(list);
}

Term bif_spawn_opt_2(Process *p, const Term *args)
{
    SpawnOpts o;
    if (!parse_spawn_opts(args[1], &o)) return bif_error(p, AM_badarg);
    return spawn_fun(p, args[0], o);
}

Term bif_spawn_opt_4(Process *p, const Term *args)
{
    SpawnOpts o;
    if (!parse_spawn_opts(args[3], &o)) return bif_error(p, AM_badarg);
    return spawn_mfa(p, args[0], args[1], args[2], o);
}

/* ---- messages, links, exits, monitors ---- */

Term bif_send_2(Process *p, const Term *args)
{
    if (!signal_send(p, args[0], args[1])) return bif_error(p, AM_badarg);
    return args[1];
}

Term bif_send_3(Process *p, const Term *args)
{
    if (!is_list(args[2]) && !is_nil(args[2])) return bif_error(p, AM_badarg);
    if (!signal_send(p, args[0], args[1])) return bif_error(p, AM_badarg);
    return AM_ok;
}

Term bif_link_1(Process *p, const Term *args)
{
    Term pid = args[0];
    if (!is_pid(pid) && !is_port(pid)) return bif_error(p, AM_badarg);
    if (signal_link(p, pid)) return AM_true;
    if (!p->trap_exit) return bif_error(p, AM_noproc);
    Term buf[4] = {make_tuple_header(3), AM_EXIT, pid, AM_noproc};
    mbox_append(&p->mbox, mbox_message_new(SIG_MESSAGE, p->pid, pid, make_boxed(buf)));
    return AM_true;
}

Term bif_unlink_1(Process *p, const Term *args)
{
    if (!is_pid(args[0]) && !is_port(args[0])) return bif_error(p, AM_badarg);
    signal_unlink(p, args[0]);
    return AM_true;
}

Term bif_exit_2(Process *p, const Term *args)
{
    if (!is_pid(args[0]) && !is_port(args[0])) return bif_error(p, AM_badarg);
    signal_exit(p, args[0], args[1]);
    if (p->exiting) return bif_raise(p, EXC_EXIT, p->fvalue); /* it killed itself */
    return AM_true;
}

Term bif_monitor_2(Process *p, const Term *args)
{
    Term target = args[1];
    if (args[0] == AM_port) {
        if (!is_port(target)) return bif_error(p, AM_badarg);
        Term ref = bif_make_ref_0(p, NULL);
        signal_monitor(p, target, ref);
        return ref;
    }
    if (args[0] != AM_process) return bif_error(p, AM_badarg);
    if (is_tuple(target) && tuple_arity(target) == 2 && tuple_elems(target)[1] == AM_nonode_at_nohost)
        target = tuple_elems(target)[0];
    if (!is_pid(target) && !is_atom(target)) return bif_error(p, AM_badarg);
    Term ref = bif_make_ref_0(p, NULL);
    signal_monitor(p, target, ref);
    return ref;
}

/* Drops a 'DOWN' message for ref from the queue (demonitor's flush option). */
static bool flush_down(Process *p, Term ref)
{
    signal_handle_pending(p);
    bool found = false;
    mbox_rewind(&p->mbox);
    for (Message *m; (m = mbox_current(&p->mbox)) != NULL;) {
        Term t = m->term;
        if (is_tuple(t) && tuple_arity(t) == 5 && tuple_elems(t)[0] == AM_DOWN && is_ref(tuple_elems(t)[1]) &&
            !memcmp(boxed_val(tuple_elems(t)[1]) + 1, boxed_val(ref) + 1, REF_WORDS * sizeof(Term))) {
            mbox_message_free(mbox_take_current(&p->mbox));
            found = true;
            break;
        }
        mbox_skip(&p->mbox);
    }
    mbox_rewind(&p->mbox);
    return found;
}

Term bif_demonitor_1(Process *p, const Term *args)
{
    if (!is_ref(args[0])) return bif_error(p, AM_badarg);
    signal_demonitor(p, args[0]);
    return AM_true;
}

Term bif_demonitor_2(Process *p, const Term *args)
{
    if (!is_ref(args[0])) return bif_error(p, AM_badarg);
    bool flush = false, info = false;
    Term opts = args[1];
    for (; is_list(opts); opts = list_tail(opts)) {
        if (list_head(opts) == AM_flush) flush = true;
        else if (list_head(opts) == AM_info) info = true;
        else return bif_error(p, AM_badarg);
    }
    if (!is_nil(opts)) return bif_error(p, AM_badarg);
    bool removed = signal_demonitor(p, args[0]);
    if (flush) flush_down(p, args[0]);
    return !info || removed ? AM_true : AM_false;
}

/* ---- names ---- */

Term bif_register_2(Process *p, const Term *args)
{
    Term name = args[0], pid = args[1];
    Process *q = is_pid(pid) ? ptab_lookup(pid) : NULL;
    if (!is_atom(name) || name == AM_undefined || !q) return bif_error(p, AM_badarg);
    if (is_atom(__atomic_load_n(&q->registered_name, __ATOMIC_ACQUIRE))) return bif_error(p, AM_badarg);
    if (!reg_register(name, pid)) return bif_error(p, AM_badarg);
    __atomic_store_n(&q->registered_name, name, __ATOMIC_RELEASE);
    return AM_true;
}

Term bif_unregister_1(Process *p, const Term *args)
{
    Term name = args[0];
    Term pid = is_atom(name) ? reg_whereis(name) : THE_NON_VALUE;
    if (!is_value(pid) || !reg_unregister(name)) return bif_error(p, AM_badarg);
    Process *q = ptab_lookup(pid);
    if (q) __atomic_store_n(&q->registered_name, NIL, __ATOMIC_RELEASE);
    return AM_true;
}

Term bif_whereis_1(Process *p, const Term *args)
{
    if (!is_atom(args[0])) return bif_error(p, AM_badarg);
    Term pid = reg_whereis(args[0]);
    return is_value(pid) && ptab_lookup(pid) ? pid : AM_undefined;
}

Term bif_registered_0(Process *p, const Term *args)
{
    Term names[4096];
    size_t n = reg_names(names, sizeof names / sizeof names[0]);
    Term list = NIL;
    for (size_t i = 0; i < n; i++) list = heap_cons(p, names[i], list);
    return list;
}

/* ---- flags and information ---- */

Term bif_process_flag_2(Process *p, const Term *args)
{
    Term flag = args[0], value = args[1];
    if (flag == AM_trap_exit) {
        if (value != AM_true && value != AM_false) return bif_error(p, AM_badarg);
        Term old = p->trap_exit ? AM_true : AM_false;
        p->trap_exit = value == AM_true;
        return old;
    }
    if (flag == AM_priority) {
        int prio = priority_from_atom(value);
        if (prio < 0) return bif_error(p, AM_badarg);
        Term old = priority_atom(p->priority);
        p->priority = prio;
        return old;
    }
    return bif_error(p, AM_badarg);
}

Term bif_is_process_alive_1(Process *p, const Term *args)
{
    if (!is_pid(args[0])) return bif_error(p, AM_badarg);
    if (args[0] == p->pid) return AM_true;
    return ptab_lookup(args[0]) ? AM_true : AM_false;
}

typedef struct PidCollector {
    Term *pids;
    size_t n, cap;
} PidCollector;

static void collect_pid(Process *q, void *ctx)
{
    PidCollector *c = ctx;
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 1024;
        Term *grown = realloc(c->pids, c->cap * sizeof *grown);
        if (!grown) abort();
        c->pids = grown;
    }
    c->pids[c->n++] = __atomic_load_n(&q->pid, __ATOMIC_ACQUIRE);
}

Term bif_processes_0(Process *p, const Term *args)
{
    PidCollector c = {0};
    ptab_foreach(collect_pid, &c);
    Term list = NIL;
    for (size_t i = c.n; i > 0; i--) list = heap_cons(p, c.pids[i - 1], list);
    free(c.pids);
    return list;
}

static Term message_list(Process *p)
{
    signal_handle_pending(p);
    Term list = NIL, *tail = &list;
    for (Message *m = p->mbox.head; m; m = m->next) {
        Term *cell = heap_alloc(p, 2);
        cell[0] = term_copy(p, m->term);
        cell[1] = NIL;
        *tail = make_list(cell);
        tail = &cell[1];
    }
    return list;
}

static Term own_info(Process *p, Term item)
{
    if (item == AM_registered_name) {
        Term name = __atomic_load_n(&p->registered_name, __ATOMIC_ACQUIRE);
        return is_atom(name) ? name : NIL;
    }
    if (item == AM_trap_exit) return p->trap_exit ? AM_true : AM_false;
    if (item == AM_priority) return priority_atom(p->priority);
    if (item == AM_status) return AM_running;
    if (item == AM_group_leader) return group_leader_of(p);
    if (item == AM_dictionary) return pdict_get_all(p);
    if (item == AM_messages) return message_list(p);
    if (item == AM_message_queue_len) {
        signal_handle_pending(p);
        return make_small((intptr_t)p->mbox.len);
    }
    if (item == AM_links) {
        Term list = NIL;
        for (uint32_t i = 0; i < p->num_links; i++) list = heap_cons(p, p->links[i], list);
        return list;
    }
    if (item == AM_heap_size || item == AM_total_heap_size) return make_small((intptr_t)heap_used_words(p));
    if (item == AM_stack_size) return make_small(p->hend - p->stop);
    return THE_NON_VALUE;
}

/* Items process_info/2 knows, in the order process_info/1 lists them. */
static const Term *const info_items[] = {&AM_registered_name, &AM_status, &AM_message_queue_len, &AM_links,
                                         &AM_dictionary, &AM_trap_exit, &AM_priority, &AM_group_leader,
                                         &AM_total_heap_size, &AM_heap_size, &AM_stack_size};

/*
 * One item of another process q, copied to p's heap. q's status lock is
 * held, so q is not running; its pending signals are handled first, since
 * OTP answers process_info after the signals that reached it before.
 */
static Term other_info(Process *p, Process *q, Term item)
{
    signal_handle_pending(q);
    if (item == AM_status) return atomic_load(&q->sched_state) == PS_IDLE ? atom_from_cstr("waiting")
                                                                          : atom_from_cstr("runnable");
    Term v = own_info(q, item); /* built on q's heap, which only this thread touches now */
    return is_value(v) ? term_copy(p, v) : v;
}

/*
 * Reads items of pid for p: its own directly; another process's under that
 * process's status lock (held by whoever runs it), after giving up p's own,
 * so two processes inspecting each other cannot deadlock. Returns NIL when
 * pid is not alive, THE_NON_VALUE for an unknown item.
 */
static Term info_items_of(Process *p, Term pid, const Term *items, size_t n, Term *out)
{
    if (pid == p->pid) {
        for (size_t i = 0; i < n; i++)
            if (!is_value(out[i] = own_info(p, items[i]))) return THE_NON_VALUE;
        return AM_true;
    }
    Process *q = ptab_lookup(pid);
    if (!q) return NIL;
    Term result = AM_true;
    pthread_mutex_unlock(&p->status_lock);
    pthread_mutex_lock(&q->status_lock);
    if (__atomic_load_n(&q->pid, __ATOMIC_ACQUIRE) != pid || atomic_load(&q->sched_state) == PS_EXITED) {
        result = NIL;
    } else {
        for (size_t i = 0; i < n && is_value(result); i++)
            if (!is_value(out[i] = other_info(p, q, items[i]))) result = THE_NON_VALUE;
    }
    pthread_mutex_unlock(&q->status_lock);
    pthread_mutex_lock(&p->status_lock);
    return result;
}

static Term info_pair(Process *p, Term item, Term v)
{
    return heap_tuple2(p, item, v);
}

/* process_info(Pid, Item | [Item]) */
Term bif_process_info_2(Process *p, const Term *args)
{
    Term pid = args[0], spec = args[1];
    if (!is_pid(pid)) return bif_error(p, AM_badarg);
    Term items[64], values[64];
    size_t n = 0;
    if (is_atom(spec)) {
        items[n++] = spec;
    } else {
        for (; is_list(spec) && n < 64; spec = list_tail(spec)) items[n++] = list_head(spec);
        if (!is_nil(spec)) return bif_error(p, AM_badarg);
    }
    for (size_t i = 0; i < n; i++)
        if (!is_atom(items[i])) return bif_error(p, AM_badarg);
    Term r = info_items_of(p, pid, items, n, values);
    if (r == NIL) return AM_undefined;
    if (!is_value(r)) return bif_error(p, AM_badarg);
    if (is_atom(args[1])) /* an unnamed process: [] rather than {registered_name, []} */
        return items[0] == AM_registered_name && is_nil(values[0]) ? NIL : info_pair(p, items[0], values[0]);
    Term list = NIL;
    for (size_t i = n; i > 0; i--) list = heap_cons(p, info_pair(p, items[i - 1], values[i - 1]), list);
    return list;
}

/* process_info(Pid): the items erbium knows, as a list of pairs. */
Term bif_process_info_1(Process *p, const Term *args)
{
    Term items[sizeof info_items / sizeof info_items[0]], values[sizeof items / sizeof items[0]];
    size_t n = sizeof items / sizeof items[0];
    if (!is_pid(args[0])) return bif_error(p, AM_badarg);
    for (size_t i = 0; i < n; i++) items[i] = *info_items[i];
    Term r = info_items_of(p, args[0], items, n, values);
    if (r == NIL) return AM_undefined;
    Term list = NIL;
    for (size_t i = n; i > 0; i--) list = heap_cons(p, info_pair(p, items[i - 1], values[i - 1]), list);
    return list;
}

Term bif_group_leader_0(Process *p, const Term *args) { return group_leader_of(p); }

/* Another process's leader changes by a signal, so it comes before anything sent to it later. */
Term bif_group_leader_2(Process *p, const Term *args)
{
    Term leader = args[0], pid = args[1];
    if (!is_pid(leader) || !is_pid(pid)) return bif_error(p, AM_badarg);
    if (pid == p->pid) p->group_leader = leader;
    else if (!signal_group_leader(p, pid, leader)) return bif_error(p, AM_badarg);
    return AM_true;
}

Term bif_yield_0(Process *p, const Term *args) { return AM_true; }
