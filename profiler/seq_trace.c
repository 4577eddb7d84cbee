/* seq_trace.c - sequential trace tokens and their BIFs (see seq_trace.h). */
#include "profiler/seq_trace.h"

#include "profiler/trace_flags.h"
#include "profiler/trace_msg.h"
#include "runtime/bif/bif.h"
#include "runtime/proc/alias.h"
#include "runtime/proc/heap.h"
#include "runtime/proc/proc_table.h"
#include "runtime/proc/signal.h"
#include "runtime/term/atom.h"
#include "runtime/term/term_cmp.h"
#include "runtime/term/map.h"

enum {
    SEQ_SEND = 1,
    SEQ_RECEIVE = 2,
    SEQ_PRINT = 4,
    SEQ_TIMESTAMP = 8,
    SEQ_STRICT_MONOTONIC = 16,
    SEQ_MONOTONIC = 32,
};

static _Atomic Term system_tracer = AM_false;
static _Atomic uint32_t epoch;

/* ---- the process's token ---- */

/* A reset since p last touched its token: it goes, with the counters. */
static void refresh(Process *p)
{
    uint32_t now = atomic_load_explicit(&epoch, memory_order_acquire);
    if (p->seq_epoch == now) return;
    p->seq_epoch = now;
    p->seq_label = THE_NON_VALUE;
    p->seq_clock = p->seq_received = 0;
}

/* A new token (label 0, no flags), as setting any component without one makes. */
static void ensure_token(Process *p)
{
    if (seq_trace_active(p)) return;
    p->seq_label = make_small(0);
    p->seq_flags = 0;
    p->seq_serial = 0;
    p->seq_last = p->seq_received;
    p->seq_from = p->pid;
}

static void update_serial(Process *p)
{
    p->seq_last = p->seq_received;
    p->seq_serial = ++p->seq_clock;
    p->seq_from = p->pid;
}

static Term pair(Term *buf, uint64_t a, uint64_t b)
{
    buf[0] = make_tuple_header(2);
    buf[1] = make_small((intptr_t)a);
    buf[2] = make_small((intptr_t)b);
    return make_boxed(buf);
}

/* {Flags, Label, Serial, From, LastCnt} in buf (6 words). */
static Term token_in(Term *buf, const Process *p)
{
    buf[0] = make_tuple_header(5);
    buf[1] = make_small(p->seq_flags);
    buf[2] = p->seq_label;
    buf[3] = make_small((intptr_t)p->seq_serial);
    buf[4] = p->seq_from;
    buf[5] = make_small((intptr_t)p->seq_last);
    return make_boxed(buf);
}

/* What a message carries: the token and the epoch it was sent in (7 words), so a reset
   also clears the tokens of messages still queued, as OTP's does. */
static Term message_token(Term *buf, const Process *p)
{
    token_in(buf, p);
    buf[0] = make_tuple_header(6);
    buf[6] = make_small((intptr_t)p->seq_epoch);
    return make_boxed(buf);
}

/* ---- trace messages to the system tracer ---- */

static uint32_t stamp_flags(uint32_t flags)
{
    return (flags & SEQ_TIMESTAMP ? TRACE_TIMESTAMP : 0) | (flags & SEQ_STRICT_MONOTONIC ? TRACE_STRICT_MONOTONIC : 0) |
           (flags & SEQ_MONOTONIC ? TRACE_MONOTONIC : 0);
}

/* {seq_trace, Label, {What, {Last, Serial}, From, To, Msg}[, Stamp]}. */
static void report(uint32_t flags, Term label, Term what, uint64_t last, uint64_t serial, Term from, Term to, Term msg)
{
    Term tracer = atomic_load_explicit(&system_tracer, memory_order_acquire);
    if (!trace_is_tracer(tracer)) return;
    Term pbuf[3], info[6], out[5], sbuf[4];
    info[0] = make_tuple_header(5);
    info[1] = what;
    info[2] = pair(pbuf, last, serial);
    info[3] = from;
    info[4] = to;
    info[5] = msg;
    uint32_t stamps = stamp_flags(flags);
    out[0] = make_tuple_header(stamps ? 4 : 3);
    out[1] = AM_seq_trace;
    out[2] = label;
    out[3] = make_boxed(info);
    if (stamps) out[4] = trace_msg_stamp(sbuf, stamps);
    trace_msg_deliver(tracer, from, make_boxed(out));
}

/* ---- send and receive ---- */

static Message *sent_message(SigKind kind, Term to, Process *p, Term msg)
{
    Term tok[7];
    Message *m = mbox_message_new_token(kind, to, p->pid, msg, message_token(tok, p));
    m->sent = true;
    return m;
}

void seq_trace_send(Process *p, Term to, Term msg)
{
    refresh(p);
    if (seq_trace_active(p)) {
        update_serial(p);
        if (p->seq_flags & SEQ_SEND)
            report(p->seq_flags, p->seq_label, AM_send, p->seq_last, p->seq_serial, p->pid, to, msg);
    }
    if (seq_trace_active(p) && is_pid(to)) {
        signal_post_message(sent_message(SIG_MESSAGE, to, p, msg));
        return;
    }
    /* no token (any more), or a port: it keeps none */
    Message *m = mbox_message_new(SIG_MESSAGE, to, p->pid, msg);
    m->sent = true;
    signal_post_message(m);
}

void seq_trace_alias_send(Process *p, Term ref, Term msg)
{
    if (!seq_trace_has_token(p)) {
        alias_send(ref, msg, NIL);
        return;
    }
    update_serial(p);
    if (p->seq_flags & SEQ_SEND) report(p->seq_flags, p->seq_label, AM_send, p->seq_last, p->seq_serial, p->pid, ref, msg);
    Term tok[7];
    alias_send(ref, msg, message_token(tok, p));
}

void seq_trace_receive(Process *p, const Message *m)
{
    refresh(p);
    const Term *t = is_tuple(m->token) ? tuple_elems(m->token) : NULL;
    if (!t || (uint32_t)small_val(t[5]) != p->seq_epoch) { /* none, or sent before a reset */
        if (m->sent) p->seq_label = THE_NON_VALUE;
        return;
    }
    p->seq_flags = (uint32_t)small_val(t[0]);
    p->seq_label = t[1];
    p->seq_serial = (uint64_t)small_val(t[2]);
    p->seq_from = t[3];
    p->seq_last = (uint64_t)small_val(t[4]);
    p->seq_received = p->seq_serial;
    if (p->seq_serial > p->seq_clock) p->seq_clock = p->seq_serial;
    if (p->seq_flags & SEQ_RECEIVE)
        report(p->seq_flags, p->seq_label, AM_receive, p->seq_last, p->seq_serial, p->seq_from, p->pid, m->term);
}

/* ---- spawn and exit ---- */

bool seq_trace_has_token(Process *p)
{
    refresh(p);
    return seq_trace_active(p);
}

/* The word OTP 25 stores for a small integer: its spawn BIFs put the reply's serial into the
   parent's counters without untagging it, so the parent's next serial jumps (x16 + 16). */
static uint64_t otp_tagged(uint64_t serial) { return serial << 4 | 0xF; }

void seq_trace_spawn(Process *p, Process *q, Term req, Term reply, SeqSpawnReply how)
{
    uint32_t flags = p->seq_flags;
    update_serial(p);
    uint64_t last = p->seq_last, serial = p->seq_serial;
    if (flags & SEQ_SEND) report(flags, p->seq_label, AM_send, last, serial, p->pid, q->pid, req);
    /* q receives the request: the token, and its counters from it */
    q->seq_epoch = p->seq_epoch;
    q->seq_flags = flags;
    q->seq_label = term_copy(q, p->seq_label);
    q->seq_serial = serial;
    q->seq_from = p->pid;
    q->seq_last = last;
    q->seq_received = q->seq_clock = serial;
    if (flags & SEQ_RECEIVE) report(flags, q->seq_label, AM_receive, last, serial, p->pid, q->pid, req);
    /* q answers (its serial counts even when no reply goes) */
    update_serial(q);
    if (how == SEQ_SPAWN_NONE) return;
    if (flags & SEQ_SEND) report(flags, q->seq_label, AM_send, serial, q->seq_serial, q->pid, p->pid, reply);
    if (how == SEQ_SPAWN_POST) {
        signal_post_message(sent_message(SIG_MESSAGE, p->pid, q, reply));
        return;
    }
    /* the spawn BIF takes the reply: p keeps its token */
    if (flags & SEQ_RECEIVE) report(flags, p->seq_label, AM_receive, serial, q->seq_serial, q->pid, p->pid, reply);
    p->seq_received = p->seq_clock = otp_tagged(q->seq_serial);
}

Message *seq_trace_link_exit(Process *p, Term to, Term reason)
{
    refresh(p);
    if (!seq_trace_active(p)) return mbox_message_new(SIG_EXIT, to, p->pid, reason);
    update_serial(p);
    if (p->seq_flags & SEQ_SEND) {
        Term buf[4] = {make_tuple_header(3), AM_EXIT, p->pid, reason};
        report(p->seq_flags, p->seq_label, AM_send, p->seq_last, p->seq_serial, p->pid, to, make_boxed(buf));
    }
    return sent_message(SIG_EXIT, to, p, reason);
}

/* ---- components ---- */

static uint32_t flag_of(Term key)
{
    if (key == AM_send) return SEQ_SEND;
    if (key == AM_receive) return SEQ_RECEIVE;
    if (key == AM_print) return SEQ_PRINT;
    if (key == AM_timestamp) return SEQ_TIMESTAMP;
    if (key == AM_strict_monotonic_timestamp) return SEQ_STRICT_MONOTONIC;
    if (key == AM_monotonic_timestamp) return SEQ_MONOTONIC;
    return 0;
}

static bool is_serial(Term v)
{
    if (!is_tuple(v) || tuple_arity(v) != 2) return false;
    const Term *e = tuple_elems(v);
    return is_small(e[0]) && small_val(e[0]) >= 0 && is_small(e[1]) && small_val(e[1]) >= 0;
}

Term seq_trace_token(Process *p)
{
    refresh(p);
    if (!seq_trace_active(p)) return NIL;
    Term buf[6];
    return term_copy(p, token_in(buf, p));
}

Term seq_trace_ms_set(Process *p, Term key, Term value)
{
    refresh(p);
    uint32_t flag = flag_of(key);
    if (flag) {
        if (value != AM_true && value != AM_false) return THE_NON_VALUE;
        ensure_token(p);
        bool old = p->seq_flags & flag;
        p->seq_flags = value == AM_true ? p->seq_flags | flag : p->seq_flags & ~flag;
        return old ? AM_true : AM_false;
    }
    if (key == AM_label) {
        ensure_token(p);
        Term old = p->seq_label;
        p->seq_label = value;
        return old;
    }
    if (key == AM_serial) {
        if (!is_serial(value)) return THE_NON_VALUE;
        ensure_token(p);
        Term buf[3];
        Term old = term_copy(p, pair(buf, p->seq_last, p->seq_serial));
        p->seq_last = p->seq_received = (uint64_t)small_val(tuple_elems(value)[0]);
        p->seq_serial = p->seq_clock = (uint64_t)small_val(tuple_elems(value)[1]);
        return old;
    }
    if (key == AM_sequential_trace_token && is_nil(value)) {
        Term old = seq_trace_token(p);
        p->seq_label = THE_NON_VALUE;
        return old;
    }
    return THE_NON_VALUE;
}

/* ---- system tracer ---- */

Term seq_trace_set_system_tracer(Term tracer)
{
    if (tracer != AM_false && !(trace_is_tracer(tracer) && trace_tracer_alive(tracer))) return THE_NON_VALUE;
    return atomic_exchange_explicit(&system_tracer, tracer, memory_order_acq_rel);
}

Term seq_trace_system_tracer(void) { return atomic_load_explicit(&system_tracer, memory_order_acquire); }

void seq_trace_reset(void)
{
    atomic_store_explicit(&system_tracer, AM_false, memory_order_release);
    atomic_fetch_add_explicit(&epoch, 1, memory_order_release);
}

/* ---- BIFs ---- */

Term bif_seq_trace_2(Process *p, const Term *args)
{
    Term old = seq_trace_ms_set(p, args[0], args[1]);
    return is_value(old) ? old : bif_error(p, AM_badarg);
}

Term bif_seq_trace_info_1(Process *p, const Term *args)
{
    Term key = args[0];
    refresh(p);
    uint32_t flag = flag_of(key);
    if (flag) return heap_tuple2(p, key, seq_trace_active(p) && (p->seq_flags & flag) ? AM_true : AM_false);
    if (key != AM_label && key != AM_serial) {
        Term keys[1] = {AM_module}, values[1] = {AM_erl_erts_errors};
        p->ferror_info = heap_tuple2(p, AM_error_info, map_from_pairs(p, keys, values, 1));
        return bif_error(p, AM_badarg);
    }
    if (!seq_trace_active(p)) return NIL;
    if (key == AM_label) return heap_tuple2(p, key, p->seq_label);
    Term buf[3];
    return heap_tuple2(p, key, term_copy(p, pair(buf, p->seq_last, p->seq_serial)));
}

/* print: true when p has a token (with that label); reported with the print flag. */
static Term print(Process *p, Term label, Term what)
{
    refresh(p);
    if (!seq_trace_active(p) || (is_value(label) && !term_eq_exact(label, p->seq_label))) return AM_false;
    update_serial(p);
    if (p->seq_flags & SEQ_PRINT)
        report(p->seq_flags, p->seq_label, AM_print, p->seq_last, p->seq_serial, p->pid, NIL, what);
    return AM_true;
}

Term bif_seq_trace_print_1(Process *p, const Term *args) { return print(p, THE_NON_VALUE, args[0]); }
Term bif_seq_trace_print_2(Process *p, const Term *args) { return print(p, args[0], args[1]); }
