/*
 * bif_timer.c - erlang:send_after/3, start_timer/3, cancel_timer/1,
 * read_timer/1. The timer's reference carries the timer id (timer.h) and
 * a tag no make_ref reference has, so cancel_timer needs no table.
 */
#include "runtime/bif/bif.h"

#include "runtime/proc/heap.h"
#include "runtime/proc/mailbox.h"
#include "runtime/proc/proc_table.h"
#include "runtime/interp/raise.h"
#include "runtime/proc/registry.h"
#include "sched/sched.h"
#include "sched/timer.h"

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

/* Starts a timer sending Msg (start_timer: {timeout, Ref, Msg}) to Dest. */
static Term start(Process *p, const Term *args, bool wrap)
{
    Term time = args[0], dest = args[1];
    if (!is_small(time) || small_val(time) < 0 || (!is_pid(dest) && !is_atom(dest)))
        return bif_error(p, AM_badarg);
    uint64_t id = timer_new_id();
    Term ref = timer_ref(p, id);
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
    mbox_message_free(t->msg);
    free(t);
    return make_small((intptr_t)left);
}

Term bif_read_timer_1(Process *p, const Term *args)
{
    if (!is_ref(args[0])) return bif_error(p, AM_badarg);
    uint64_t id = ref_timer_id(args[0]);
    int64_t left = id ? timer_remaining(id) : -1;
    return left < 0 ? AM_false : make_small((intptr_t)left);
}
