/* alias.c - process aliases and messages sent to them (see alias.h). */
#include "runtime/proc/alias.h"

#include "runtime/term/atom.h"
#include "runtime/proc/proc_table.h"
#include "runtime/proc/signal.h"
#include "sched/sched.h"

bool alias_parse_monitor_opts(Term opts, Term *tag, int *mode)
{
    *tag = THE_NON_VALUE;
    *mode = ALIAS_NONE;
    for (; is_list(opts); opts = list_tail(opts)) {
        Term o = list_head(opts);
        if (!is_tuple(o) || tuple_arity(o) != 2) return false;
        Term key = tuple_elems(o)[0], v = tuple_elems(o)[1];
        if (key == AM_tag) *tag = v;
        else if (key != AM_alias) return false;
        else if (v == AM_explicit_unalias) *mode = ALIAS_EXPLICIT;
        else if (v == AM_demonitor) *mode = ALIAS_DEMONITOR;
        else if (v == AM_reply_demonitor) *mode = ALIAS_REPLY_DEMONITOR;
        else return false;
    }
    return is_nil(opts);
}

void alias_add(Process *p, Term ref, enum alias_mode mode)
{
    const Term *id = boxed_val(ref) + 1;
    MonitorEntry *e = mset_get(&p->aliases, id);
    if (e) e->pid = (Term)mode;
    else mset_add(&p->aliases, id, (Term)mode, NIL);
}

bool alias_remove(Process *p, const Term *ref_id) { return mset_remove(&p->aliases, ref_id, NULL); }

void alias_monitor_ended(Process *p, const Term *ref_id)
{
    MonitorEntry *e = mset_get(&p->aliases, ref_id);
    if (e && e->pid != ALIAS_EXPLICIT) mset_remove(&p->aliases, ref_id, NULL);
}

void alias_send(Term ref, Term msg, Term token)
{
    const Term *id = boxed_val(ref) + 1;
    Term owner = make_pid((uint64_t)id[1]);
    Process *q = ptab_lookup(owner);
    if (!q) return; /* the owner is gone: so are its aliases */
    /* `from` carries the reference's first word: with the owner's pid it is the whole id */
    Message *m = is_nil(token) ? mbox_message_new(SIG_ALIAS_MSG, owner, id[0], msg)
                               : mbox_message_new_token(SIG_ALIAS_MSG, owner, id[0], msg, token);
    m->sent = true;
    mbox_push(&q->mbox, m);
    sched_wake(q);
}

bool alias_arrived(Process *p, Message *m)
{
    Term id[REF_WORDS] = {m->from, (Term)pid_number(p->pid)};
    MonitorEntry *e = mset_get(&p->aliases, id);
    if (!e) return false;
    enum alias_mode mode = (enum alias_mode)e->pid;
    if (mode == ALIAS_REPLY || mode == ALIAS_REPLY_DEMONITOR) {
        mset_remove(&p->aliases, id, NULL);
        if (mode == ALIAS_REPLY_DEMONITOR) {
            Term buf[1 + REF_WORDS] = {make_header(REF_WORDS, HDR_REF), id[0], id[1]};
            signal_demonitor(p, make_boxed(buf));
        }
    }
    m->kind = SIG_MESSAGE;
    m->from = NIL;
    return true;
}
