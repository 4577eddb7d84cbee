/* signal.c - messages, links, exit signals and monitors (see signal.h). */
#include "runtime/proc/signal.h"

#include "runtime/halt.h"
#include "runtime/proc/alias.h"
#include "runtime/loader/code_version.h"
#include "runtime/proc/error_report.h"
#include "profiler/seq_trace.h"
#include "profiler/trace_msg.h"

#include "runtime/term/atom.h"
#include "runtime/term/binary.h"
#include "runtime/proc/heap.h"
#include "runtime/proc/proc_table.h"
#include "runtime/interp/raise.h"
#include "runtime/proc/registry.h"
#include "runtime/proc/suspend.h"
#include "runtime/port/port.h"
#include "runtime/term/strbuf.h"
#include "runtime/term/term_print.h"
#include "sched/sched.h"
#include "sched/timer.h"

#include <stdio.h>
#include <stdlib.h>

/* ---- delivery ---- */

/* Pushes m to its addressee and wakes it; drops m if there is none. Returns false then. */
static bool post(Message *m)
{
    if (is_port(m->to)) return port_signal(m);
    Process *q = ptab_lookup(m->to);
    if (!q) {
        if (m->kind == SIG_SYSTASK) code_systask_undelivered(m);
        else mbox_message_free(m);
        return false;
    }
    mbox_push(&q->mbox, m);
    sched_wake(q);
    return true;
}

static void post_new(SigKind kind, Term to, Term from, Term term)
{
    post(mbox_message_new(kind, to, from, term));
}

void signal_post_message(Message *m) { post(m); }

void signal_post(SigKind kind, Term to, Term from, Term term, bool from_link)
{
    Message *m = mbox_message_new(kind, to, from, term);
    m->from_link = from_link;
    post(m);
}

/* Does the pid or port exist (at this moment)? */
static bool alive(Term id)
{
    if (!is_port(id)) return ptab_lookup(id) != NULL;
    Port *port = port_lookup(id);
    if (port) pthread_mutex_unlock(&port->lock);
    return port != NULL;
}

/* Resolves a send destination to a pid; THE_NON_VALUE for a bad one, NIL for a remote node. */
static Term resolve_dest(Term dest)
{
    if (is_pid(dest) || is_port(dest)) return dest;
    if (is_atom(dest)) return reg_whereis(dest);
    if (is_tuple(dest) && tuple_arity(dest) == 2) {
        const Term *e = tuple_elems(dest);
        if (!is_atom(e[0]) || !is_atom(e[1])) return THE_NON_VALUE;
        /* {Name, Node} never fails: an unregistered local name drops the message, as on OTP */
        Term pid = e[1] == AM_nonode_at_nohost ? reg_whereis(e[0]) : NIL;
        return is_value(pid) ? pid : NIL;
    }
    return THE_NON_VALUE;
}

bool signal_send(Process *from, Term dest, Term msg)
{
    if (is_ref(dest)) {
        trace_on_send(from, dest, msg, true);
        if (seq_trace_active(from)) seq_trace_alias_send(from, dest, msg);
        else alias_send(dest, msg, NIL);
        return true;
    }
    Term pid = resolve_dest(dest);
    if (pid == THE_NON_VALUE) {
        if (is_atom(dest)) trace_on_send(from, dest, msg, true); /* traced before badarg, as OTP */
        return false;
    }
    if (is_port(pid) && port_send_wait(from, pid, msg)) return false; /* busy: nothing sent, redo */
    if (TRACE_UNLIKELY(trace_flags_of(from) & TRACE_SEND))
        trace_send(from, dest, msg, !is_pid(pid) || pid == from->pid || ptab_lookup(pid));
    if (seq_trace_active(from) && (is_pid(pid) || is_port(pid))) {
        seq_trace_send(from, pid, msg);
        return true;
    }
    if (pid == from->pid && !mbox_has_inbound(&from->mbox)) {
        mbox_append_own(&from->mbox, pid, msg); /* to itself: no copy, no wake */
        trace_on_receive(from, from->pid, msg);
        return true;
    }
    if (is_pid(pid) || is_port(pid)) {
        Message *m = mbox_message_new(SIG_MESSAGE, pid, from->pid, msg);
        m->sent = true;
        post(m);
    }
    return true;
}

/* ---- small term builders (in a caller's buffer; the message copies them) ---- */

static Term tuple3(Term *buf, Term a, Term b, Term c)
{
    buf[0] = make_tuple_header(3);
    buf[1] = a;
    buf[2] = b;
    buf[3] = c;
    return make_boxed(buf);
}

static Term ref_from_id(Term *buf, const Term *id)
{
    buf[0] = make_header(REF_WORDS, HDR_REF);
    for (int i = 0; i < REF_WORDS; i++) buf[1 + i] = id[i];
    return make_boxed(buf);
}

/* ---- links ---- */

static bool has_link(const Process *p, Term pid)
{
    for (uint32_t i = 0; i < p->num_links; i++)
        if (p->links[i] == pid) return true;
    return false;
}

static void add_link(Process *p, Term pid)
{
    if (has_link(p, pid)) return;
    if (p->num_links == p->cap_links) {
        p->cap_links = p->cap_links ? p->cap_links * 2 : 4;
        Term *grown = realloc(p->links, p->cap_links * sizeof *grown);
        if (!grown) abort();
        p->links = grown;
    }
    p->links[p->num_links++] = pid;
}

static bool remove_link(Process *p, Term pid)
{
    for (uint32_t i = 0; i < p->num_links; i++) {
        if (p->links[i] != pid) continue;
        p->links[i] = p->links[--p->num_links];
        return true;
    }
    return false;
}

/* ---- monitors ---- */

static const Term *ref_id(Term ref) { return boxed_val(ref) + 1; }

/* Posts {Tag, Ref, Type, Item, Reason} to watcher, as a signal (kind SIG_DOWN, which
   the watcher drops if it demonitored meanwhile) or as a plain message (SIG_MESSAGE). */
static void post_down_full(SigKind kind, Term watcher, const Term *ref_id, Term type, Term item, Term reason,
                           Term from, Term tag)
{
    Term rbuf[1 + REF_WORDS], tbuf[6];
    tbuf[0] = make_tuple_header(5);
    tbuf[1] = tag;
    tbuf[2] = ref_from_id(rbuf, ref_id);
    tbuf[3] = type;
    tbuf[4] = item;
    tbuf[5] = reason;
    post_new(kind, watcher, from, make_boxed(tbuf));
}

static void post_down_as(SigKind kind, Term watcher, const Term *ref_id, Term item, Term reason, Term from)
{
    post_down_full(kind, watcher, ref_id, AM_process, item, reason, from, AM_DOWN);
}

void signal_post_down(Term watcher, const Term *ref_id, Term type, Term item, Term reason, Term from)
{
    post_down_full(SIG_DOWN, watcher, ref_id, type, item, reason, from, AM_DOWN);
}

static void post_down(Term watcher, const Term *ref_id, Term item, Term reason, Term from)
{
    post_down_as(SIG_DOWN, watcher, ref_id, item, reason, from);
}

/* What a 'DOWN' message names: the pid, or {Name, Node} for a monitor by name. */
static Term down_item(Term *buf, const MonitorEntry *e)
{
    if (!is_atom(e->name)) return e->pid;
    buf[0] = make_tuple_header(2);
    buf[1] = e->name;
    buf[2] = AM_nonode_at_nohost;
    return make_boxed(buf);
}

/* ---- handling arrived signals ---- */

/* Largest message (in words) moved onto the receiver's heap when it arrives. */
#define ONTO_HEAP_MAX_WORDS 64 /* at most 255: Message.heap_words */
/* Only while fewer messages than this are queued (see queue_message). */
#define ONTO_HEAP_MAX_QUEUED 16

/*
 * Queues a message that arrived. A small one is moved onto the heap if
 * there is room: the receiver then takes it without adopting a fragment, so
 * a process receiving many small messages leaves the collector no pile of
 * fragments, and the message's memory is freed (and reused) at once. A
 * process whose queue is long is not keeping up: its messages stay in their
 * fragments, where collections do not copy them again and again.
 */
static void queue_message(Process *p, Message *m)
{
    trace_on_receive(p, m->from, m->term);
    size_t words = mbox_message_words(m);
    if (words && words <= ONTO_HEAP_MAX_WORDS && is_nil(m->token) && p->mbox.len < ONTO_HEAP_MAX_QUEUED &&
        heap_free_words(p) > words) {
        Term *hp = heap_alloc(p, words);
        mbox_message_onto_heap(m, hp);
        binary_adopt_copy(p, hp, words);
        /* allocated by whoever takes it (call_memory), as a message in a fragment is */
        m->heap_words = (uint8_t)words;
        p->alloc_base -= words;
    }
    mbox_append(&p->mbox, m);
}

/* The process dies of an exit signal (m, if given, is consumed: its memory joins the heap). */
static void die(Process *p, Term reason, Message *m)
{
    p->exiting = true;
    p->fvalue = reason;
    if (m) process_adopt_frag(p, mbox_message_to_heap(&p->mbox, m));
}

static void on_exit_signal(Process *p, Message *m)
{
    Term reason = m->term;
    if (m->from_link && !remove_link(p, m->from)) {
        mbox_message_free(m); /* unlinked meanwhile */
        return;
    }
    if (m->from_link) trace_on_procs(p, AM_getting_unlinked, m->from);
    if (!m->from_link && reason == AM_kill) {
        die(p, AM_killed, NULL);
    } else if (p->trap_exit) {
        /* the signal's seq_trace token (or none: it clears the receiver's) goes with it */
        Term buf[4];
        Term msg = tuple3(buf, AM_EXIT, m->from, reason);
        Message *e = is_nil(m->token) ? mbox_message_new(SIG_MESSAGE, p->pid, m->from, msg)
                                      : mbox_message_new_token(SIG_MESSAGE, p->pid, m->from, msg, m->token);
        e->sent = true;
        queue_message(p, e);
    } else if (reason != AM_normal || (!m->from_link && m->from == p->pid)) {
        die(p, reason, m);
        return;
    }
    mbox_message_free(m);
}

/* A 'DOWN' for a monitor made with {tag, Tag}: the same message with Tag first. */
static Message *retag_down(Message *m, Message *tag)
{
    Term buf[6];
    memcpy(buf, boxed_val(m->term), sizeof buf);
    buf[1] = tag->term;
    Message *r = mbox_message_new(SIG_MESSAGE, m->to, m->from, make_boxed(buf));
    mbox_message_free(m);
    mbox_message_free(tag);
    return r;
}

static void on_arrival(void *ctx, Message *m)
{
    Process *p = ctx;
    if (p->exiting) {
        if (m->kind == SIG_SYSTASK) code_systask_undelivered(m);
        else mbox_message_free(m);
        return;
    }
    switch ((SigKind)m->kind) {
    case SIG_LINK:
        add_link(p, m->from);
        trace_on_procs(p, AM_getting_linked, m->from);
        break;
    case SIG_UNLINK:
        remove_link(p, m->from);
        trace_on_procs(p, AM_getting_unlinked, m->from);
        break;
    case SIG_EXIT: on_exit_signal(p, m); return;
    case SIG_MONITOR: {
        const Term *e = tuple_elems(m->term);
        Term item = e[1];
        mset_add(&p->watchers, ref_id(e[0]), m->from, is_tuple(item) ? tuple_elems(item)[0] : NIL);
        break;
    }
    case SIG_DEMONITOR: mset_remove(&p->watchers, ref_id(m->term), NULL); break;
    case SIG_DOWN: {
        /* After demonitor, no 'DOWN' for that monitor may arrive (OTP's guarantee):
           one from a target that was already exiting is dropped here. */
        MonitorEntry e;
        const Term *id = ref_id(tuple_elems(m->term)[1]);
        if (!mset_remove(&p->watching, id, &e)) break;
        alias_monitor_ended(p, id);
        if (e.tag) m = retag_down(m, e.tag);
        m->kind = SIG_MESSAGE;
        queue_message(p, m);
        return;
    }
    case SIG_ALIAS_MSG:
        if (!alias_arrived(p, m)) break;
        queue_message(p, m);
        return;
    case SIG_GROUP_LEADER: p->group_leader = m->term; break;
    case SIG_RESUME: suspend_resumed(p, (uint32_t)small_val(m->term)); break;
    case SIG_SYSTASK: code_systask_arrived(p, m); return;
    case SIG_MESSAGE: queue_message(p, m); return;
    }
    mbox_message_free(m);
}

bool signal_handle_pending(Process *p)
{
    mbox_drain(&p->mbox, p->pid, on_arrival, p);
    return p->exiting;
}

/* ---- requests from BIFs ---- */

void signal_add_link(Process *p, Term id) { add_link(p, id); }

bool signal_link(Process *p, Term pid)
{
    if (pid == p->pid) return true;
    if (!alive(pid)) return false;
    add_link(p, pid);
    trace_on_procs(p, AM_link, pid);
    post_new(SIG_LINK, pid, p->pid, NIL);
    return true;
}

void signal_unlink(Process *p, Term pid)
{
    trace_on_procs(p, AM_unlink, pid);
    if (remove_link(p, pid)) post_new(SIG_UNLINK, pid, p->pid, NIL);
}

void signal_exit(Process *p, Term pid, Term reason)
{
    Message *m = mbox_message_new(SIG_EXIT, pid, p->pid, reason);
    if (pid != p->pid) {
        post(m);
        return;
    }
    mbox_push(&p->mbox, m); /* to itself: takes effect at once */
    signal_handle_pending(p);
}

void signal_monitor(Process *p, Term target, Term ref) { signal_monitor_opts(p, target, ref, THE_NON_VALUE, 0); }

void signal_monitor_opts(Process *p, Term target, Term ref, Term tag, int alias_mode)
{
    if (alias_mode != ALIAS_NONE) alias_add(p, ref, alias_mode);
    Term name = is_atom(target) ? target : NIL;
    Term pid = is_atom(target) ? reg_whereis(target) : target;
    MonitorEntry e = {.pid = pid, .name = name};
    memcpy(e.ref_id, boxed_val(ref) + 1, sizeof e.ref_id);
    Term ibuf[3], tbuf[3];
    Term item = down_item(ibuf, &e);
    if (pid == THE_NON_VALUE || !alive(pid)) { /* never registered: a plain message */
        post_down_full(SIG_MESSAGE, p->pid, e.ref_id, is_port(pid) ? AM_port : AM_process,
                       is_atom(target) ? item : target, AM_noproc, p->pid, is_value(tag) ? tag : AM_DOWN);
        alias_monitor_ended(p, e.ref_id);
        return;
    }
    if (pid == p->pid) { /* as OTP: a process monitoring itself gets a reference and no monitor */
        alias_monitor_ended(p, e.ref_id);
        return;
    }
    MonitorEntry *w = mset_add(&p->watching, ref_id(ref), pid, name);
    if (is_value(tag)) w->tag = mbox_message_new(SIG_MESSAGE, NIL, NIL, tag);
    tbuf[0] = make_tuple_header(2);
    tbuf[1] = ref;
    tbuf[2] = item;
    post_new(SIG_MONITOR, pid, p->pid, make_boxed(tbuf));
}

bool signal_demonitor(Process *p, Term ref)
{
    MonitorEntry e;
    if (!mset_remove(&p->watching, ref_id(ref), &e)) return false;
    alias_monitor_ended(p, e.ref_id);
    if (e.tag) mbox_message_free(e.tag);
    post_new(SIG_DEMONITOR, e.pid, p->pid, ref);
    return true;
}

bool signal_group_leader(Process *p, Term pid, Term leader)
{
    if (!ptab_lookup(pid)) return false;
    post_new(SIG_GROUP_LEADER, pid, p->pid, leader);
    return true;
}

/* ---- receive timeouts ---- */

typedef struct TimeoutArg {
    Term pid;
    uint32_t gen;
} TimeoutArg;

static void timeout_fired(void *arg)
{
    TimeoutArg *a = arg;
    Process *p = ptab_lookup(a->pid);
    int armed = TIMER_ARMED;
    if (p && atomic_load(&p->timer_gen) == a->gen &&
        atomic_compare_exchange_strong(&p->timer_state, &armed, TIMER_FIRED))
        sched_wake(p);
    free(a);
}

void signal_arm_timeout(Process *p, uint64_t ms)
{
    TimeoutArg *a = malloc(sizeof *a);
    if (!a) abort();
    a->pid = p->pid;
    a->gen = atomic_load(&p->timer_gen);
    atomic_store(&p->timer_state, TIMER_ARMED);
    p->timer = timer_start(ms, timeout_fired, a);
}

void signal_cancel_timeout(Process *p)
{
    if (atomic_load(&p->timer_state) == TIMER_NONE) return;
    atomic_fetch_add(&p->timer_gen, 1); /* a firing already under way is ignored */
    void *arg;
    if (timer_cancel_ex(p->timer, &arg) >= 0) free(arg);
    atomic_store(&p->timer_state, TIMER_NONE);
}

/* ---- exit ---- */

Term signal_exit_reason(Process *p)
{
    if (p->exiting) return p->fvalue;
    if (p->freason == EXC_NONE) return AM_normal;
    return raise_exit_reason(p);
}

/* As erl: when init (<0.0.0>) ends, whatever the reason, the VM halts with
   status 1 (init halts the VM itself when the system stops). */
static void halt_if_init(Process *p, Term reason)
{
    if (pid_number(p->pid) != 0 || p->is_boot) return;
    StrBuf sb;
    sb_init(&sb);
    term_write_opts(&sb, reason, 20, false);
    halt_prepare();
    fprintf(stderr, "System process <0.0.0> terminated: %.*s\n", (int)sb.len, sb.data);
    sb_free(&sb);
    exit(1);
}

void signal_process_exit(Process *p)
{
    Term reason = signal_exit_reason(p);
    halt_if_init(p, reason);
    trace_on_procs(p, AM_exit, reason);
    if (!p->exiting && (p->freason == EXC_ERROR || p->freason == EXC_THROW) && !p->is_boot)
        error_report_exit(p, reason);
    /* the name goes first, as on OTP: whoever gets the 'DOWN' or 'EXIT' finds it free */
    Term name = __atomic_load_n(&p->registered_name, __ATOMIC_ACQUIRE);
    if (is_atom(name)) {
        reg_unregister_pid(name, p->pid);
        trace_on_procs(p, AM_unregister, name);
    }
    trace_on_exited(p);
    bool token = seq_trace_active(p);
    for (uint32_t i = 0; i < p->num_links; i++) {
        Message *m = token ? seq_trace_link_exit(p, p->links[i], reason)
                           : mbox_message_new(SIG_EXIT, p->links[i], p->pid, reason);
        m->from_link = true;
        post(m);
    }
    for (uint32_t i = 0; i < p->watchers.n; i++) {
        const MonitorEntry *w = &p->watchers.v[i];
        Term buf[3];
        post_down(w->pid, w->ref_id, is_atom(w->name) ? down_item(buf, w) : p->pid, reason, p->pid);
    }
    for (uint32_t i = 0; i < p->watching.n; i++) {
        Term rbuf[1 + REF_WORDS];
        post_new(SIG_DEMONITOR, p->watching.v[i].pid, p->pid, ref_from_id(rbuf, p->watching.v[i].ref_id));
        if (p->watching.v[i].tag) mbox_message_free(p->watching.v[i].tag);
        p->watching.v[i].tag = NULL;
    }
    signal_cancel_timeout(p);
    suspend_release_all(p);
}

/* A link or monitor request that reached a process which had already exited. */
static void answer_late_signal(void *ctx, Message *m)
{
    Process *p = ctx;
    if (m->kind == SIG_LINK) {
        Message *e = mbox_message_new(SIG_EXIT, m->from, p->pid, AM_noproc);
        e->from_link = true;
        post(e);
    } else if (m->kind == SIG_MONITOR) {
        const Term *e = tuple_elems(m->term);
        post_down(m->from, boxed_val(e[0]) + 1, e[1], AM_noproc, p->pid);
    } else if (m->kind == SIG_SYSTASK) {
        code_systask_undelivered(m);
        return;
    }
    mbox_message_free(m);
}

void signal_release(Process *p) { mbox_destroy(&p->mbox, p->pid, answer_late_signal, p); }
