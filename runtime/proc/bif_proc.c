/*
 * bif_proc.c - BIFs for processes: spawning, messages, links, monitors,
 * registered names, process flags and information.
 */
#include "runtime/bif/bif.h"

#include "runtime/loader/export.h"
#include "runtime/proc/heap.h"
#include "runtime/term/big.h"
#include "runtime/loader/module.h"
#include "runtime/proc/pdict.h"
#include "runtime/proc/proc_flags.h"
#include "runtime/proc/proc_table.h"
#include "runtime/interp/raise.h"
#include "runtime/port/port.h"
#include "runtime/proc/registry.h"
#include "runtime/proc/signal.h"
#include "profiler/bp.h"
#include "profiler/seq_trace.h"
#include "profiler/trace_msg.h"
#include "sched/sched.h"

#include <stdlib.h>

Term bif_make_ref_0(Process *p, const Term *args);

#define MAX_SPAWN_ARGS 255

/* A process has a leader from its parent; the first process (init) leads itself, as on OTP. */
static Term group_leader_of(const Process *p) { return is_pid(p->group_leader) ? p->group_leader : p->pid; }

/* The {M, F, Args} procs trace reports for a spawn: `how` is the argument list, or the fun
   (reported as {erlang, apply, [Fun, []]}). */
static Term spawn_mfargs(Process *p, const Term *mfa, Term how)
{
    Term args = is_list(how) || is_nil(how) ? how : heap_cons(p, how, heap_cons(p, NIL, NIL));
    return heap_tuple3(p, mfa[0], mfa[1], args);
}

/* spawn_request's reply: its tag and which outcomes are reported (OTP's {reply, _} option). */
typedef struct SpawnReply {
    Term tag, ref;
    bool on_ok, on_error;
} SpawnReply;

/* {Tag, Ref, ok, Pid} or {Tag, Ref, error, Reason} to the requester, if it asked for it. */
static void spawn_reply(Process *p, const SpawnReply *r, bool ok, Term what)
{
    if (!r || !(ok ? r->on_ok : r->on_error)) return;
    Term msg[5] = {make_tuple_header(4), r->tag, r->ref, ok ? AM_ok : AM_error, what};
    signal_post(SIG_MESSAGE, p->pid, p->pid, make_boxed(msg), false);
}

static Term spawn_with_reply(Process *p, const BeamInstr *entry, const Term *args, int arity, const SpawnOpts *o,
                             const Term *mfa, Term how, const SpawnReply *reply);

static Term spawn_with(Process *p, const BeamInstr *entry, const Term *args, int arity, const SpawnOpts *o,
                       const Term *mfa, Term how)
{
    return spawn_with_reply(p, entry, args, arity, o, mfa, how, NULL);
}

/* The option list OTP's spawn_request signal shows: spawn_opt's or spawn_request's as given
   (SpawnOpts.given), else [link] or [monitor] for spawn_link and spawn_monitor. */
static Term seq_spawn_opts(Process *p, const SpawnOpts *o)
{
    if (is_value(o->given)) return o->given;
    if (o->link) return heap_cons(p, AM_link, NIL);
    return o->monitor ? heap_cons(p, AM_monitor, NIL) : NIL;
}

/* A parent with a seq_trace token passes it to q as OTP's spawn_request and spawn_reply
   signals would (seq_trace.h); the reply of a spawn_request goes with the child's token. */
static void seq_spawn(Process *p, Process *q, const SpawnOpts *o, const Term *mfa, Term how, Term ref,
                      const SpawnReply *reply)
{
    Term tag = reply ? reply->tag : atom_put("spawn_reply", 11);
    Term args = is_list(how) || is_nil(how) ? how : heap_cons(p, how, heap_cons(p, NIL, NIL));
    Term call = heap_tuple3(p, mfa[0], mfa[1], mfa[2]);
    if (reply) { /* OTP's spawn_request starts erts_internal:spawn_init({M, F, Args}) */
        args = heap_cons(p, heap_tuple3(p, mfa[0], mfa[1], args), NIL);
        call = heap_tuple3(p, AM_erts_internal, atom_put("spawn_init", 10), make_small(1));
    }
    if (is_nil(ref)) ref = bif_make_ref_0(p, NULL);
    Term *req = heap_alloc(p, 9);
    req[0] = make_tuple_header(8);
    req[1] = atom_put("spawn_request", 13);
    req[2] = ref;
    req[3] = p->pid;
    req[4] = group_leader_of(p);
    req[5] = call;
    req[6] = seq_spawn_opts(p, o);
    req[7] = tag;
    req[8] = args;
    Term answer[5] = {make_tuple_header(4), tag, ref, AM_ok, q->pid};
    SeqSpawnReply mode = !reply ? SEQ_SPAWN_SYNC : reply->on_ok ? SEQ_SPAWN_POST : SEQ_SPAWN_NONE;
    seq_trace_spawn(p, q, make_boxed(req), make_boxed(answer), mode);
}

/* Creates, links/monitors and schedules the process; returns its pid, or {Pid, Ref} with monitor.
   For spawn_request (reply set), the monitor's reference is the request's and the reply is
   queued before the child can send anything. */
static Term spawn_with_reply(Process *p, const BeamInstr *entry, const Term *args, int arity, const SpawnOpts *o,
                             const Term *mfa, Term how, const SpawnReply *reply)
{
    Process *q = process_new(entry, args, arity);
    if (!q && reply) {
        spawn_reply(p, reply, false, AM_system_limit);
        return reply->ref;
    }
    if (!q) return bif_error(p, AM_system_limit);
    q->group_leader = group_leader_of(p);
    q->parent = p->pid;
    q->is_system = o->system;
    for (int i = 0; i < 3; i++) q->initial_call[i] = mfa[i];
    trace_flags_spawned(q, p, o->link);
    pflag_apply_spawn_opts(q, o);
    /* as OTP: the parent's spawn and link, then the child's spawned */
    bool traced = TRACE_UNLIKELY((trace_flags_of(p) | trace_flags_of(q)) & TRACE_PROCS);
    Term mfargs = traced ? spawn_mfargs(p, mfa, how) : NIL;
    if (traced) trace_spawn(p, q, mfargs);
    Term pid = q->pid;
    Term ref = reply ? reply->ref : o->monitor ? bif_make_ref_0(p, NULL) : NIL;
    if (o->link) signal_link(p, pid);
    if (traced) trace_spawned(q, p, mfargs);
    if (o->monitor) signal_monitor_opts(p, pid, ref, o->monitor_tag, o->alias_mode);
    if (seq_trace_active(p) && seq_trace_has_token(p)) seq_spawn(p, q, o, mfa, how, ref, reply);
    else spawn_reply(p, reply, true, pid);
    sched_spawned(q);
    if (reply) return ref;
    return o->monitor ? heap_tuple2(p, pid, ref) : pid;
}

/* spawn(Fun): a fun of arity 0 (its free variables become the arguments of its code). */
/* As on OTP, a process spawned from a fun reports {erlang, apply, 2} as its initial call. */
static Term spawn_fun(Process *p, Term fun, const SpawnOpts *o)
{
    const Term apply2[3] = {AM_erlang, AM_apply, make_small(2)};
    if (is_boxed_of(fun, HDR_FUN)) {
        const Term *f = boxed_val(fun);
        const FunEntry *fe = (const FunEntry *)f[1];
        if (fe->arity == 0) return spawn_with(p, fe->address, f + FUN_FIXED_WORDS, (int)fe->num_free, o, apply2, fun);
    } else if (is_boxed_of(fun, HDR_EXPORT)) {
        const Export *e = (const Export *)boxed_val(fun)[1];
        if (e->arity == 0) return spawn_with(p, atomic_load(&e->address), NULL, 0, o, apply2, fun);
    }
    return bif_error(p, AM_badarg);
}

static Term spawn_mfa_reply(Process *p, Term m, Term f, Term list, const SpawnOpts *o, const SpawnReply *reply)
{
    Term args[MAX_SPAWN_ARGS];
    int n = 0;
    Term rest = list;
    for (; is_list(rest) && n < MAX_SPAWN_ARGS; rest = list_tail(rest)) args[n++] = list_head(rest);
    if (!is_atom(m) || !is_atom(f) || !is_nil(rest)) return bif_error(p, AM_badarg);
    Export *e = export_get(m, f, (uint32_t)n);
    const Term mfa[3] = {m, f, make_small(n)};
    return spawn_with_reply(p, bp_stub_target(e), args, n, o, mfa, list, reply);
}

static Term spawn_mfa(Process *p, Term m, Term f, Term list, const SpawnOpts *o)
{
    return spawn_mfa_reply(p, m, f, list, o, NULL);
}

static const SpawnOpts plain = {.priority = PRIO_NORMAL, .monitor_tag = THE_NON_VALUE, .given = THE_NON_VALUE};
static const SpawnOpts linked = {
    .link = true, .priority = PRIO_NORMAL, .monitor_tag = THE_NON_VALUE, .given = THE_NON_VALUE};
static const SpawnOpts monitored = {
    .monitor = true, .priority = PRIO_NORMAL, .monitor_tag = THE_NON_VALUE, .given = THE_NON_VALUE};

/* Spawn options for the plain spawn BIFs: the default flags. */
static SpawnOpts with_defaults(SpawnOpts o)
{
    o.flags = proc_flags_default();
    return o;
}

Term bif_spawn_1(Process *p, const Term *args)
{
    SpawnOpts o = with_defaults(plain);
    return spawn_fun(p, args[0], &o);
}

Term bif_spawn_3(Process *p, const Term *args)
{
    SpawnOpts o = with_defaults(plain);
    return spawn_mfa(p, args[0], args[1], args[2], &o);
}

Term bif_spawn_link_1(Process *p, const Term *args)
{
    SpawnOpts o = with_defaults(linked);
    return spawn_fun(p, args[0], &o);
}

Term bif_spawn_link_3(Process *p, const Term *args)
{
    SpawnOpts o = with_defaults(linked);
    return spawn_mfa(p, args[0], args[1], args[2], &o);
}

Term bif_spawn_monitor_1(Process *p, const Term *args)
{
    SpawnOpts o = with_defaults(monitored);
    return spawn_fun(p, args[0], &o);
}

Term bif_spawn_monitor_3(Process *p, const Term *args)
{
    SpawnOpts o = with_defaults(monitored);
    return spawn_mfa(p, args[0], args[1], args[2], &o);
}

Term bif_spawn_opt_2(Process *p, const Term *args)
{
    SpawnOpts o;
    if (!pflag_parse_spawn_opts(args[1], &o)) return bif_error_cause(p, AM_badarg, AM_badopt);
    return spawn_fun(p, args[0], &o);
}

Term bif_spawn_opt_4(Process *p, const Term *args)
{
    SpawnOpts o;
    if (!pflag_parse_spawn_opts(args[3], &o)) return bif_error_cause(p, AM_badarg, AM_badopt);
    return spawn_mfa(p, args[0], args[1], args[2], &o);
}

/* erts_internal:spawn_system_process(M, F, Args): a process init never kills at shutdown. */
Term bif_ei_spawn_system_process_3(Process *p, const Term *args)
{
    SpawnOpts o = with_defaults(plain);
    o.system = true;
    return spawn_mfa(p, args[0], args[1], args[2], &o);
}

/* ---- messages, links, exits, monitors ---- */

/* erlang:send's message to args[0]: done (result), a bad destination, or a busy port
   that the caller waits for and then sends again (the BIF is redone). */
static Term send_or_redo(Process *p, const Term *args, Term result)
{
    if (signal_send(p, args[0], args[1])) return result;
    return port_send_take_suspended() ? bif_yield_redo() : bif_error(p, AM_badarg);
}

Term bif_send_2(Process *p, const Term *args) { return send_or_redo(p, args, args[1]); }

Term bif_send_3(Process *p, const Term *args)
{
    /* noconnect changes nothing where no send ever connects */
    bool nosuspend = false;
    Term opts = args[2];
    for (; is_list(opts); opts = list_tail(opts)) {
        Term o = list_head(opts);
        if (o != AM_nosuspend && o != atom_from_cstr("noconnect")) return bif_error_cause(p, AM_badarg, AM_badopt);
        nosuspend |= o == AM_nosuspend;
    }
    if (!is_nil(opts)) return bif_error_cause(p, AM_badarg, AM_badopt);
    Term to = is_atom(args[0]) ? reg_whereis(args[0]) : args[0];
    if (nosuspend && is_port(to) && port_is_busy(to, args[1])) return AM_nosuspend; /* nothing sent */
    return send_or_redo(p, args, AM_ok);
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

/* ---- names ---- */

Term bif_register_2(Process *p, const Term *args)
{
    Term name = args[0], pid = args[1];
    if (is_port(pid)) {
        bool ok = is_atom(name) && name != AM_undefined && port_register(name, pid);
        return ok ? AM_true : bif_error(p, AM_badarg);
    }
    Process *q = is_pid(pid) ? ptab_lookup(pid) : NULL;
    if (!is_atom(name) || name == AM_undefined || !is_pid(pid)) return bif_error_cause(p, AM_badarg, AM_none);
    if (!q) return bif_error_cause(p, AM_badarg, AM_notalive);
    if (is_atom(__atomic_load_n(&q->registered_name, __ATOMIC_ACQUIRE)))
        return bif_error_cause(p, AM_badarg, AM_registered_name);
    if (!reg_register(name, pid)) return bif_error_cause(p, AM_badarg, AM_none);
    __atomic_store_n(&q->registered_name, name, __ATOMIC_RELEASE);
    trace_on_procs(q, AM_register, name);
    return AM_true;
}

Term bif_unregister_1(Process *p, const Term *args)
{
    Term name = args[0];
    Term pid = is_atom(name) ? reg_whereis(name) : THE_NON_VALUE;
    if (!is_value(pid) || !reg_unregister(name)) return bif_error(p, AM_badarg);
    if (is_port(pid)) {
        port_unregistered(pid);
        return AM_true;
    }
    Process *q = ptab_lookup(pid);
    if (q) {
        __atomic_store_n(&q->registered_name, NIL, __ATOMIC_RELEASE);
        trace_on_procs(q, AM_unregister, name);
    }
    return AM_true;
}

Term bif_whereis_1(Process *p, const Term *args)
{
    if (!is_atom(args[0])) return bif_error(p, AM_badarg);
    Term pid = reg_whereis(args[0]);
    /* (a port's name is freed when it terminates) */
    return is_value(pid) && (is_port(pid) || ptab_lookup(pid)) ? pid : AM_undefined;
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
    Term old = pflag_set(p, args[0], args[1]);
    if (is_value(old)) return old;
    return pflag_is_known(p, args[0]) ? bif_error(p, AM_badarg) : bif_error_cause(p, AM_badarg, AM_badopt);
}

/* process_flag(Pid, save_calls, N): the only flag OTP sets on another process. */
Term bif_process_flag_3(Process *p, const Term *args)
{
    Term pid = args[0];
    if (!is_pid(pid) || args[1] != AM_save_calls) return bif_error(p, AM_badarg);
    if (pid == p->pid) return bif_process_flag_2(p, args + 1);
    Process *q = ptab_lookup(pid);
    if (!q) return bif_error_cause(p, AM_badarg, AM_badtype);
    Term old = THE_NON_VALUE;
    pthread_mutex_unlock(&p->status_lock);
    pthread_mutex_lock(&q->status_lock);
    if (__atomic_load_n(&q->pid, __ATOMIC_ACQUIRE) == pid && atomic_load(&q->sched_state) != PS_EXITED)
        old = pflag_set_save_calls(q, args[2]);
    pthread_mutex_unlock(&q->status_lock);
    pthread_mutex_lock(&p->status_lock);
    return is_value(old) ? old : bif_error(p, AM_badarg);
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

/* erlang:bump_reductions(N): N more reductions counted for the process (at most a
   slice's worth, as OTP caps it); prim_eval:'receive'/2 calls it. */
Term bif_bump_reductions_1(Process *p, const Term *args)
{
    intptr_t n;
    if (is_small(args[0]) && small_val(args[0]) >= 0) n = small_val(args[0]);
    else if (is_big(args[0]) && !big_is_negative(args[0])) n = SCHED_REDUCTIONS;
    else return bif_error(p, AM_badarg);
    p->reductions += (uint64_t)(n < SCHED_REDUCTIONS ? n : SCHED_REDUCTIONS);
    return AM_true;
}

/* Takes spawn_request's own options ({reply_tag, T}, {reply, yes | no | error_only |
   success_only}) out of the proper list opts into r; the rest, spawn_opt's, are left in *rest
   (built on p's heap). False for a bad reply option. */
static bool spawn_request_opts(Process *p, Term opts, SpawnReply *r, Term *rest)
{
    bool good = true;
    Term reply_tag = atom_put("reply_tag", 9), reply = atom_put("reply", 5);
    Term kept = NIL;
    for (; is_list(opts); opts = list_tail(opts)) {
        Term o = list_head(opts);
        bool pair = is_tuple(o) && tuple_arity(o) == 2;
        if (pair && tuple_elems(o)[0] == reply_tag) {
            r->tag = tuple_elems(o)[1];
        } else if (pair && tuple_elems(o)[0] == reply) {
            Term v = tuple_elems(o)[1];
            bool yes = v == atom_put("yes", 3), succ = v == atom_put("success_only", 12), err = v == atom_put("error_only", 10);
            if (!yes && !succ && !err && v != atom_put("no", 2)) {
                good = false;
                continue;
            }
            r->on_ok = yes || succ;
            r->on_error = yes || err;
        } else {
            kept = heap_cons(p, o, kept);
        }
    }
    for (*rest = NIL; is_list(kept); kept = list_tail(kept)) *rest = heap_cons(p, list_head(kept), *rest);
    return good;
}

static bool proper_list(Term t)
{
    while (is_list(t)) t = list_tail(t);
    return is_nil(t);
}

/* erts_internal:spawn_request(M, F, Args, Opts) on this node: the request's reference, or the
   atom badarg / badopt that erlang:spawn_request turns into the error. As on OTP a bad option
   in a proper list is reported by an error reply (badopt). A local request is complete when
   this returns: the reply (if asked for) is already in the caller's queue. */
Term bif_ei_spawn_request_4(Process *p, const Term *args)
{
    Term m = args[0], f = args[1], list = args[2], rest;
    SpawnReply r = {atom_put("spawn_reply", 11), THE_NON_VALUE, true, true};
    if (!is_atom(m) || !is_atom(f) || !proper_list(list)) return AM_badarg;
    if (!proper_list(args[3])) return AM_badopt;
    SpawnOpts o;
    bool good = spawn_request_opts(p, args[3], &r, &rest) && pflag_parse_spawn_opts(rest, &o);
    o.given = args[3];
    r.ref = bif_make_ref_0(p, NULL);
    if (!good) {
        spawn_reply(p, &r, false, AM_badopt);
        return r.ref;
    }
    return spawn_mfa_reply(p, m, f, list, &o, &r);
}

/* erlang:spawn_request_abandon(ReqId): false, as every local request has completed already
   (its reply is in the queue); only a reference is accepted. */
Term bif_spawn_request_abandon_1(Process *p, const Term *args)
{
    if (!is_ref(args[0])) return bif_error(p, AM_badarg);
    return AM_false;
}
