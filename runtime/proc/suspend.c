/*
 * suspend.c - erlang:suspend_process/1,2 and resume_process/1 (suspend.h).
 *
 * The caller changes the target's count with only the target's status
 * lock held, giving up its own meanwhile (as garbage_collect/1 of another
 * process does), so two processes suspending each other cannot deadlock.
 */
#include "runtime/proc/suspend.h"

#include "runtime/bif/bif.h"
#include "runtime/proc/heap.h"
#include "runtime/proc/proc_table.h"
#include "runtime/proc/signal.h"
#include "runtime/term/map.h"
#include "sched/sched.h"

#include <stdlib.h>

/* OTP's limit is "greater than 2,000,000,000 suspends". */
#define SUSPEND_MAX 2000000000u

enum suspend_opt { OPT_ASYNC = 1, OPT_UNLESS = 2 };

/* ---- the suspender's list ---- */

static SuspendRec *rec_of(const Process *p, Term pid)
{
    for (uint32_t i = 0; i < p->n_suspending; i++)
        if (p->suspending[i].pid == pid) return &p->suspending[i];
    return NULL;
}

/* pid's record, made if need be; NULL when out of memory. */
static SuspendRec *rec_add(Process *p, Term pid)
{
    SuspendRec *r = rec_of(p, pid);
    if (r) return r;
    if (p->n_suspending == p->cap_suspending) {
        uint32_t cap = p->cap_suspending ? 2 * p->cap_suspending : 4;
        SuspendRec *v = realloc(p->suspending, cap * sizeof *v);
        if (!v) return NULL;
        p->suspending = v;
        p->cap_suspending = cap;
    }
    r = &p->suspending[p->n_suspending++];
    *r = (SuspendRec){pid, 0};
    return r;
}

static void rec_remove(Process *p, SuspendRec *r) { *r = p->suspending[--p->n_suspending]; }

/* ---- the target's count ---- */

/*
 * Adds delta (+1 or -1) to the count of the live process pid, p's own lock
 * given up meanwhile. False when pid is not alive; *overflow when the count
 * is at its limit (then unchanged). A count back at zero wakes the target.
 */
static bool change_count(Process *p, Term pid, int delta, bool *overflow)
{
    Process *q = ptab_lookup(pid);
    if (!q) return false;
    bool alive = false, wake = false;
    *overflow = false;
    pthread_mutex_unlock(&p->status_lock);
    pthread_mutex_lock(&q->status_lock);
    if (__atomic_load_n(&q->pid, __ATOMIC_ACQUIRE) == pid && atomic_load(&q->sched_state) != PS_EXITED) {
        alive = true;
        if (delta > 0 && q->suspend_count >= SUSPEND_MAX) *overflow = true;
        else q->suspend_count += (uint32_t)delta;
        wake = q->suspend_count == 0;
        if (wake) process_attention_clear(q, PATTN_SUSPEND);
        else process_attention_set(q, PATTN_SUSPEND);
    }
    pthread_mutex_unlock(&q->status_lock);
    /* a process left waiting while suspended runs again (a spurious wake is harmless) */
    if (wake && delta < 0) sched_wake(q);
    pthread_mutex_lock(&p->status_lock);
    return alive;
}

void suspend_resumed(Process *p, uint32_t count)
{
    p->suspend_count = count < p->suspend_count ? p->suspend_count - count : 0;
    if (p->suspend_count == 0) process_attention_clear(p, PATTN_SUSPEND);
}

void suspend_self(Process *p) { p->suspend_count++; }

void suspend_wake(Term pid, Term from) { signal_post(SIG_RESUME, pid, from, make_small(1), false); }

void suspend_release_all(Process *p)
{
    for (uint32_t i = 0; i < p->n_suspending; i++)
        if (p->suspending[i].count)
            signal_post(SIG_RESUME, p->suspending[i].pid, p->pid, make_small(p->suspending[i].count), false);
    free(p->suspending);
    p->suspending = NULL;
    p->n_suspending = p->cap_suspending = 0;
}

Term suspend_info(Process *p, const Process *q)
{
    Term list = NIL;
    for (uint32_t i = q->n_suspending; i > 0; i--) {
        const SuspendRec *r = &q->suspending[i - 1];
        /* a target that died is left out (its record goes at the next suspend or resume) */
        if (r->count && ptab_lookup(r->pid)) list = heap_cons(p, heap_tuple3(p, r->pid, make_small(r->count), make_small(0)), list);
    }
    return list;
}

/* ---- BIFs ---- */

static Term suspend_error(Process *p, Term reason, bool badopt)
{
    Term keys[2] = {AM_module, AM_cause}, values[2] = {AM_erl_erts_errors, AM_badopt};
    p->ferror_info = heap_tuple2(p, AM_error_info, map_from_pairs(p, keys, values, badopt ? 2 : 1));
    return bif_error(p, reason);
}

/* The options of suspend_process/2; false for an improper list or an unknown option. */
static bool parse_opts(Term opts, unsigned *flags, Term *tag)
{
    *flags = 0;
    *tag = THE_NON_VALUE;
    for (; is_list(opts); opts = list_tail(opts)) {
        Term o = list_head(opts);
        if (o == AM_asynchronous) {
            *flags |= OPT_ASYNC;
        } else if (o == AM_unless_suspending) {
            *flags |= OPT_UNLESS;
        } else if (is_tuple(o) && tuple_arity(o) == 2 && tuple_elems(o)[0] == AM_asynchronous) {
            *flags |= OPT_ASYNC;
            *tag = tuple_elems(o)[1];
        } else {
            return false;
        }
    }
    return is_nil(opts);
}

/* The reply of {asynchronous, Tag}: {Tag, State}. */
static void reply(Process *p, Term tag, Term state)
{
    if (is_value(tag)) signal_send(p, p->pid, heap_tuple2(p, tag, state));
}

static Term suspend(Process *p, Term pid, Term opts)
{
    unsigned flags;
    Term tag;
    if (!parse_opts(opts, &flags, &tag)) return suspend_error(p, AM_badarg, true);
    if (!is_pid(pid) || pid == p->pid) return suspend_error(p, AM_badarg, false);
    SuspendRec *r = rec_of(p, pid);
    if ((flags & OPT_UNLESS) && r && r->count) return AM_false;
    bool overflow;
    if (!change_count(p, pid, 1, &overflow)) {
        if (r) rec_remove(p, r); /* it died: what was held of it is gone */
        if (!(flags & OPT_ASYNC)) return suspend_error(p, AM_badarg, false);
        reply(p, tag, AM_badarg);
        return AM_true;
    }
    if (overflow) return suspend_error(p, AM_system_limit, false);
    if (!(r = rec_add(p, pid))) {
        change_count(p, pid, -1, &overflow);
        return suspend_error(p, AM_system_limit, false);
    }
    r->count++;
    reply(p, tag, AM_suspended);
    return AM_true;
}

Term bif_suspend_process_1(Process *p, const Term *args) { return suspend(p, args[0], NIL); }

Term bif_suspend_process_2(Process *p, const Term *args) { return suspend(p, args[0], args[1]); }

Term bif_resume_process_1(Process *p, const Term *args)
{
    Term pid = args[0];
    SuspendRec *r = is_pid(pid) ? rec_of(p, pid) : NULL;
    if (!r || !r->count) return suspend_error(p, AM_badarg, false);
    bool overflow;
    bool alive = change_count(p, pid, -1, &overflow); /* (r stays valid: only p changes its list) */
    if (!alive || --r->count == 0) rec_remove(p, r);
    return alive ? AM_true : suspend_error(p, AM_badarg, false);
}
