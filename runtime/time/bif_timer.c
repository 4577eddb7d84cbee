/*
 * bif_timer.c - erlang:send_after/3,4, start_timer/3,4, cancel_timer/1,2,
 * read_timer/1,2. The timer's reference carries the timer id (timer.h) and
 * a tag no make_ref reference has, so cancel_timer needs no table.
 */
#include "runtime/bif/bif.h"

#include "runtime/proc/heap.h"
#include "runtime/proc/mailbox.h"
#include "runtime/proc/proc_table.h"
#include "runtime/interp/raise.h"
#include "runtime/proc/registry.h"
#include "runtime/proc/signal.h"
#include "sched/sched.h"
#include "sched/timer.h"
#include "runtime/time/arith_time.h"

#include <stdlib.h>

#define TIMER_REF_TAG (~(Term)0) /* make_ref puts a pid number here */

typedef struct TimedMessage {
    Term dest;  /* pid or registered name, resolved when the timer fires */
    Message *msg;
} TimedMessage;

static void deliver(void *arg)
{
    TimedMessage *t = arg;
    Term pid = is_atom(t->dest) ? reg_whereis(t->dest) : t->dest;
    Process *q = is_value(pid) ? ptab_lookup(pid) : NULL;
    if (q) {
        t->msg->to = pid;
        mbox_push(&q->mbox, t->msg);
        sched_wake(q);
    } else {
        mbox_message_free(t->msg);
    }
    free(t);
}

static Term timer_ref(Process *p, uint64_t id)
{
    Term *hp = heap_alloc(p, 1 + REF_WORDS);
    hp[0] = make_header(REF_WORDS, HDR_REF);
    hp[1] = (Term)id;
    hp[2] = TIMER_REF_TAG;
    return make_boxed(hp);
}

/* The timer id in a reference made by timer_ref, or 0. */
static uint64_t ref_timer_id(Term ref)
{
    if (!is_ref(ref) || boxed_val(ref)[2] != TIMER_REF_TAG) return 0;
    return (uint64_t)boxed_val(ref)[1];
}

/* As OTP, a timer sending to a pid ends with that process: it is no longer
   read or cancelled once the process is gone (a name is resolved at the end). */
static bool dest_gone(Term dest) { return is_pid(dest) && !ptab_lookup(dest); }

/* Starts a timer sending Msg (start_timer: {timeout, Ref, Msg}) to Dest. */
static Term start(Process *p, const Term *args, bool wrap)
{
    Term time = args[0], dest = args[1];
    if (!is_small(time) || small_val(time) < 0) return bif_error_cause(p, AM_badarg, AM_time);
    if (!is_pid(dest) && !is_atom(dest)) return bif_error(p, AM_badarg);
    uint64_t id = timer_new_id();
    Term ref = timer_ref(p, id);
    if (dest != p->pid && dest_gone(dest)) return ref; /* no timer: reading or cancelling it gives false */
    Term buf[4] = {make_tuple_header(3), AM_timeout, ref, args[2]};
    TimedMessage *t = malloc(sizeof *t);
    if (!t) abort();
    t->dest = dest;
    t->msg = mbox_message_new(SIG_MESSAGE, NIL, p->pid, wrap ? make_boxed(buf) : args[2]);
    timer_start_id(id, (uint64_t)small_val(time), deliver, t);
    return ref;
}

Term bif_send_after_3(Process *p, const Term *args) { return start(p, args, false); }
Term bif_start_timer_3(Process *p, const Term *args) { return start(p, args, true); }

Term bif_cancel_timer_1(Process *p, const Term *args)
{
    if (!is_ref(args[0])) return bif_error(p, AM_badarg);
    uint64_t id = ref_timer_id(args[0]);
    void *arg = NULL;
    int64_t left = id ? timer_cancel_ex(id, &arg) : -1;
    if (left < 0) return AM_false;
    TimedMessage *t = arg;
    bool gone = dest_gone(t->dest);
    mbox_message_free(t->msg);
    free(t);
    return gone ? AM_false : make_small((intptr_t)left);
}

static void peek_dest(void *arg, void *ctx) { *(Term *)ctx = ((TimedMessage *)arg)->dest; }

Term bif_read_timer_1(Process *p, const Term *args)
{
    if (!is_ref(args[0])) return bif_error(p, AM_badarg);
    uint64_t id = ref_timer_id(args[0]);
    Term dest = NIL;
    int64_t left = id ? timer_remaining(id, peek_dest, &dest) : -1;
    return left < 0 || dest_gone(dest) ? AM_false : make_small((intptr_t)left);
}

/* [{abs, Bool}]: Time is an absolute monotonic time in milliseconds; args2[0] becomes the delay. */
static bool timer_opts(const Term *args, Term *args2)
{
    bool abs = false;
    Term opts = args[3];
    for (; is_list(opts); opts = list_tail(opts)) {
        Term o = list_head(opts);
        if (!is_tuple(o) || tuple_arity(o) != 2 || tuple_elems(o)[0] != atom_from_cstr("abs") ||
            (tuple_elems(o)[1] != AM_true && tuple_elems(o)[1] != AM_false))
            return false;
        abs = tuple_elems(o)[1] == AM_true;
    }
    if (!is_nil(opts)) return false;
    args2[0] = args[0], args2[1] = args[1], args2[2] = args[2];
    if (abs && is_small(args[0])) {
        int64_t now_ms = arith_time_monotonic() / (ARITH_TIME_NATIVE_PER_SECOND / 1000);
        int64_t delay = small_val(args[0]) - now_ms;
        args2[0] = make_small(delay < 0 ? 0 : delay);
    }
    return true;
}

Term bif_start_timer_4(Process *p, const Term *args)
{
    Term a[3];
    return timer_opts(args, a) ? start(p, a, true) : bif_error_cause(p, AM_badarg, AM_badopt);
}

Term bif_send_after_4(Process *p, const Term *args)
{
    Term a[3];
    return timer_opts(args, a) ? start(p, a, false) : bif_error_cause(p, AM_badarg, AM_badopt);
}

/* [{async, Bool}, {info, Bool}]: with async the result comes as {Tag, Ref, Result} and the
   call returns ok; without info it returns ok (or sends nothing). */
static bool timer_call_opts(Term opts, bool *async, bool *info)
{
    *async = false, *info = true;
    for (; is_list(opts); opts = list_tail(opts)) {
        Term o = list_head(opts);
        if (!is_tuple(o) || tuple_arity(o) != 2) return false;
        Term k = tuple_elems(o)[0], v = tuple_elems(o)[1];
        if (v != AM_true && v != AM_false) return false;
        if (k == atom_from_cstr("async")) *async = v == AM_true;
        else if (k == AM_info) *info = v == AM_true;
        else return false;
    }
    return is_nil(opts);
}

static Term timer_call_result(Process *p, Term tag, Term ref, Term r, bool async, bool info)
{
    if (!async) return info ? r : AM_ok;
    /* on the heap: a message to oneself is not copied */
    if (info) signal_send(p, p->pid, heap_tuple3(p, tag, ref, r));
    return AM_ok;
}

Term bif_cancel_timer_2(Process *p, const Term *args)
{
    bool async, info;
    if (!is_ref(args[0]) || !timer_call_opts(args[1], &async, &info)) return bif_error(p, AM_badarg);
    Term r = bif_cancel_timer_1(p, args);
    return timer_call_result(p, atom_from_cstr("cancel_timer"), args[0], r, async, info);
}

Term bif_read_timer_2(Process *p, const Term *args)
{
    bool async, info;
    if (!is_ref(args[0]) || !timer_call_opts(args[1], &async, &info)) return bif_error(p, AM_badarg);
    Term r = bif_read_timer_1(p, args);
    return timer_call_result(p, atom_from_cstr("read_timer"), args[0], r, async, true);
}
