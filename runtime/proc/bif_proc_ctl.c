/*
 * bif_proc_ctl.c - garbage collection on request, the node a process runs
 * on (always nonode@nohost: erbium is not distributed), display_string,
 * loaded modules, and erts_internal functions stdlib and kernel call.
 */
#include "runtime/bif/bif.h"

#include "runtime/io/io_out.h"
#include "runtime/proc/heap.h"
#include "runtime/proc/max_heap.h"
#include "runtime/proc/proc_table.h"
#include "runtime/proc/signal.h"
#include "runtime/term/map.h"
#include "runtime/term/strbuf.h"
#include "sched/sched.h"

/* ---- garbage_collect ---- */

/* p's own collection runs when the BIF returns (the interpreter sees PATTN_GC): a BIF
   does not know the live registers. */
static Term collect_self(Process *p)
{
    process_attention_set(p, PATTN_GC);
    return AM_true;
}

/* Another process is collected here, under its status lock: it is not running then. */
static Term collect_other(Process *p, Term pid)
{
    Process *q = ptab_lookup(pid);
    if (!q) return AM_false;
    bool alive = false;
    pthread_mutex_unlock(&p->status_lock);
    pthread_mutex_lock(&q->status_lock);
    if (__atomic_load_n(&q->pid, __ATOMIC_ACQUIRE) == pid && atomic_load(&q->sched_state) != PS_EXITED) {
        alive = true;
        if (heap_gc_major(q, 0, q->xsave, q->arity) == HEAP_GC_KILLED) maxheap_kill(q);
    }
    pthread_mutex_unlock(&q->status_lock);
    pthread_mutex_lock(&p->status_lock);
    return alive ? AM_true : AM_false;
}

static Term collect(Process *p, Term pid) { return pid == p->pid ? collect_self(p) : collect_other(p, pid); }

Term bif_garbage_collect_0(Process *p, const Term *args) { return collect_self(p); }

Term bif_garbage_collect_1(Process *p, const Term *args)
{
    if (!is_pid(args[0])) return bif_error(p, AM_badarg);
    return collect(p, args[0]);
}

/* garbage_collect(Pid, [{async, ReqId} | {type, major | minor}]): minor collections are
   done as major ones; with async the answer {garbage_collect, ReqId, Result} is a message. */
Term bif_garbage_collect_2(Process *p, const Term *args)
{
    Term pid = args[0], opts = args[1], req = THE_NON_VALUE;
    if (!is_pid(pid)) return bif_error(p, AM_badarg);
    for (; is_list(opts); opts = list_tail(opts)) {
        Term o = list_head(opts);
        if (!is_tuple(o) || tuple_arity(o) != 2) return bif_error_cause(p, AM_badarg, AM_bad_option);
        Term k = tuple_elems(o)[0], v = tuple_elems(o)[1];
        if (k == atom_from_cstr("async")) req = v;
        else if (k != atom_from_cstr("type") || (v != atom_from_cstr("major") && v != atom_from_cstr("minor")))
            return bif_error_cause(p, AM_badarg, AM_bad_option);
    }
    if (!is_nil(opts)) return bif_error_cause(p, AM_badarg, AM_bad_option);
    Term r = collect(p, pid);
    if (!is_value(req)) return r;
    /* on the heap: a message to oneself is not copied */
    signal_send(p, p->pid, heap_tuple3(p, atom_from_cstr("garbage_collect"), req, r));
    return atom_from_cstr("async");
}

/* erts_internal:garbage_collect(major | minor): the caller itself. */
Term bif_ei_garbage_collect_1(Process *p, const Term *args)
{
    if (args[0] != atom_from_cstr("major") && args[0] != atom_from_cstr("minor")) return bif_error(p, AM_badarg);
    return collect_self(p);
}

/* ---- nodes: a node that is not alive knows only itself ---- */

Term bif_is_alive_0(Process *p, const Term *args) { return AM_false; }

static int node_type_kind(Term t)
{
    static const char *const kinds[] = {"visible", "hidden", "connected", "this", "known"};
    for (int i = 0; i < 5; i++)
        if (is_atom(t) && t == atom_from_cstr(kinds[i])) return i;
    return -1;
}

/* Whether a node type (or list of them) takes in this node (this, known); -1 for a bad argument. */
static int asks_for_this(Term types)
{
    if (is_atom(types)) {
        int k = node_type_kind(types);
        return k < 0 ? -1 : k >= 3;
    }
    int found = 0;
    for (; is_list(types); types = list_tail(types)) {
        int k = node_type_kind(list_head(types));
        if (k < 0) return -1;
        if (k >= 3) found = 1;
    }
    return is_nil(types) ? found : -1;
}

Term bif_nodes_0(Process *p, const Term *args) { return NIL; }

Term bif_nodes_1(Process *p, const Term *args)
{
    int this = asks_for_this(args[0]);
    if (this < 0) return bif_error(p, AM_badarg);
    return this ? heap_cons(p, AM_nonode_at_nohost, NIL) : NIL;
}

/* nodes(Types, #{connection_id => Bool, node_type => Bool}) */
Term bif_nodes_2(Process *p, const Term *args)
{
    int this = asks_for_this(args[0]);
    Term opts = args[1];
    if (this < 0 || !is_map(opts)) return bif_error(p, AM_badarg);
    Term cid = map_get(opts, atom_from_cstr("connection_id")), nt = map_get(opts, atom_from_cstr("node_type"));
    size_t known = (is_value(cid) ? 1 : 0) + (is_value(nt) ? 1 : 0);
    if (known != map_size(opts)) return bif_error(p, AM_badarg);
    if ((is_value(cid) && cid != AM_true && cid != AM_false) || (is_value(nt) && nt != AM_true && nt != AM_false))
        return bif_error(p, AM_badarg);
    if (!this) return NIL;
    Term keys[2], values[2];
    size_t n = 0;
    if (cid == AM_true) keys[n] = atom_from_cstr("connection_id"), values[n++] = AM_undefined;
    if (nt == AM_true) keys[n] = atom_from_cstr("node_type"), values[n++] = atom_from_cstr("this");
    Term info = map_from_pairs(p, keys, values, n);
    return heap_cons(p, heap_tuple2(p, AM_nonode_at_nohost, info), NIL);
}

/* ---- the rest ---- */

/* erlang:display_string(String): the characters (UTF-8) on standard error, each newline as CR LF. */
Term bif_display_string_1(Process *p, const Term *args)
{
    StrBuf sb;
    sb_init(&sb);
    Term l = args[0];
    for (; is_list(l); l = list_tail(l)) {
        Term c = list_head(l);
        if (!is_small(c) || small_val(c) < 0 || small_val(c) > 0x10FFFF) break;
        if (c == make_small('\n')) sb_putc(&sb, '\r'); /* as OTP writes it */
        sb_put_utf8(&sb, (uint32_t)small_val(c));
    }
    if (!is_nil(l)) {
        sb_free(&sb);
        return bif_error(p, AM_badarg);
    }
    io_out_write_err(sb.data, sb.len);
    sb_free(&sb);
    return AM_true;
}

/* erts_internal:is_system_process(Pid): true for the VM's own processes (init's shutdown spares them). */
Term bif_ei_is_system_process_1(Process *p, const Term *args)
{
    if (!is_pid(args[0])) return bif_error(p, AM_badarg);
    Process *q = ptab_lookup(args[0]);
    return q && q->is_system ? AM_true : AM_false;
}
