/* bif_monitor.c - monitor/2,3, demonitor/1,2, alias/0,1, unalias/1. */
#include "runtime/bif/bif.h"

#include "runtime/proc/alias.h"
#include "runtime/proc/heap.h"
#include "runtime/proc/signal.h"

Term bif_make_ref_0(Process *p, const Term *args);

/* A monitored process: a pid, a registered name, or {Name, Node} (only this node's names). */
static Term monitor_target(Term target)
{
    if (is_tuple(target) && tuple_arity(target) == 2 && is_atom(tuple_elems(target)[0]) &&
        tuple_elems(target)[1] == AM_nonode_at_nohost)
        return tuple_elems(target)[0];
    return is_pid(target) || is_atom(target) ? target : THE_NON_VALUE;
}

static Term monitor(Process *p, Term type, Term target, Term tag, int mode)
{
    /* the time offset never changes here (no_time_warp, as OTP's default), so
       this monitor never fires: it is only a reference */
    if (type == atom_from_cstr("time_offset"))
        return target == atom_from_cstr("clock_service") ? bif_make_ref_0(p, NULL) : bif_error(p, AM_badarg);
    if (type != AM_port && type != AM_process) return bif_error_cause(p, AM_badarg, AM_badtype);
    /* a port by id or registered name */
    if (type == AM_port ? !is_port(target) && !is_atom(target) : !is_value(target = monitor_target(target)))
        return bif_error(p, AM_badarg);
    Term ref = bif_make_ref_0(p, NULL);
    signal_monitor_opts(p, target, ref, tag, mode);
    return ref;
}

Term bif_monitor_2(Process *p, const Term *args) { return monitor(p, args[0], args[1], THE_NON_VALUE, ALIAS_NONE); }

Term bif_monitor_3(Process *p, const Term *args)
{
    Term tag;
    int mode;
    if (!alias_parse_monitor_opts(args[2], &tag, &mode)) return bif_error_cause(p, AM_badarg, AM_badopt);
    return monitor(p, args[0], args[1], tag, mode);
}

static bool same_ref(Term a, Term b)
{
    return is_ref(a) && !memcmp(boxed_val(a) + 1, boxed_val(b) + 1, REF_WORDS * sizeof(Term));
}

/* Drops the 'DOWN' message (whatever its tag) for ref from the queue (demonitor's flush option). */
static void flush_down(Process *p, Term ref)
{
    signal_handle_pending(p);
    mbox_rewind(&p->mbox);
    for (Message *m; (m = mbox_current(&p->mbox)) != NULL;) {
        Term t = m->term;
        if (is_tuple(t) && tuple_arity(t) == 5 && (tuple_elems(t)[2] == AM_process || tuple_elems(t)[2] == AM_port) && same_ref(tuple_elems(t)[1], ref)) {
            mbox_message_free(mbox_take_current(&p->mbox));
            break;
        }
        mbox_skip(&p->mbox);
    }
    mbox_rewind(&p->mbox);
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

Term bif_alias_0(Process *p, const Term *args)
{
    Term ref = bif_make_ref_0(p, NULL);
    alias_add(p, ref, ALIAS_EXPLICIT);
    return ref;
}

/* alias([explicit_unalias | reply]) */
Term bif_alias_1(Process *p, const Term *args)
{
    int mode = ALIAS_EXPLICIT;
    Term opts = args[0];
    for (; is_list(opts); opts = list_tail(opts)) {
        if (list_head(opts) == AM_reply) mode = ALIAS_REPLY;
        else if (list_head(opts) == AM_explicit_unalias) mode = ALIAS_EXPLICIT;
        else return bif_error(p, AM_badarg);
    }
    if (!is_nil(opts)) return bif_error(p, AM_badarg);
    Term ref = bif_make_ref_0(p, NULL);
    alias_add(p, ref, mode);
    return ref;
}

Term bif_unalias_1(Process *p, const Term *args)
{
    if (!is_ref(args[0])) return bif_error(p, AM_badarg);
    return alias_remove(p, boxed_val(args[0]) + 1) ? AM_true : AM_false;
}
