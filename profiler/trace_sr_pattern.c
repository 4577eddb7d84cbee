/* trace_sr_pattern.c - match specs on send and 'receive' trace (see trace_sr_pattern.h). */
#include "profiler/trace_sr_pattern.h"

#include "runtime/bif/bif.h"
#include "runtime/ms/ms.h"
#include "runtime/proc/heap.h"
#include "sched/sched.h"
#include "sched/tp.h"

#include <stdatomic.h>

/*
 * A kind's setting: SR_ALL, SR_NONE or a compiled spec (holding one
 * reference). Readers load it once; a writer swaps it and releases the old
 * spec only after every scheduler has progressed (tp_defer), so a reader
 * never sees it freed. Writers are serialised by the swap alone.
 */
#define SR_ALL ((uintptr_t)0)
#define SR_NONE ((uintptr_t)1)

static _Atomic uintptr_t send_setting = SR_ALL, receive_setting = SR_ALL;

static _Atomic uintptr_t *setting_of(Term which) { return which == AM_send ? &send_setting : &receive_setting; }

static void release_prog(void *prog) { ms_release(prog); }

static void install(Term which, uintptr_t value)
{
    uintptr_t old = atomic_exchange(setting_of(which), value);
    if (old != SR_ALL && old != SR_NONE) tp_defer(release_prog, (void *)old);
}

Term trace_sr_pattern(Process *p, Term which, Term spec, Term flags)
{
    if (!is_nil(flags)) return bif_error(p, AM_badarg);
    if (spec == AM_true || is_nil(spec)) {
        install(which, SR_ALL);
    } else if (spec == AM_false) {
        install(which, SR_NONE);
    } else {
        MsProg *prog = is_list(spec) ? ms_compile(spec, MS_TRACE, NULL, NULL) : NULL;
        if (!prog) return bif_error(p, AM_badarg);
        install(which, (uintptr_t)prog);
    }
    return make_small(1);
}

Term trace_sr_info(Process *p, Term which, Term item)
{
    if (item != AM_match_spec) return bif_error(p, AM_badarg);
    TpDelay d = 0;
    bool unmanaged = sched_self() < 0;
    if (unmanaged) d = tp_delay();
    uintptr_t s = atomic_load(setting_of(which));
    Term value = s == SR_ALL ? AM_true : s == SR_NONE ? AM_false : term_copy(p, ms_source((const MsProg *)s));
    if (unmanaged) tp_continue(d);
    return heap_tuple2(p, item, value);
}

/* Runs the kind's setting against the argument list built from n terms; false: not reported. */
static bool wanted(Process *p, _Atomic uintptr_t *setting, const Term *args, unsigned n, Term *value)
{
    *value = AM_true;
    uintptr_t s = atomic_load_explicit(setting, memory_order_acquire);
    if (s == SR_ALL) return true;
    if (s == SR_NONE) return false;
    /* dirty threads are not waited for by tp_defer: they hold progress back meanwhile */
    TpDelay d = 0;
    bool unmanaged = sched_self() < 0;
    if (unmanaged) {
        d = tp_delay();
        s = atomic_load_explicit(setting, memory_order_acquire);
    }
    bool matched = true;
    if (s == SR_NONE) matched = false;
    else if (s != SR_ALL) {
        Term list = NIL;
        for (unsigned i = n; i > 0; i--) list = heap_cons(p, args[i - 1], list);
        MsResult res;
        matched = ms_run((const MsProg *)s, p, list, NULL, &res) && res.value != AM_false;
        if (matched) *value = res.value;
    }
    if (unmanaged) tp_continue(d);
    return matched;
}

bool trace_sr_send_wanted(Process *p, Term to, Term msg)
{
    Term args[2] = {to, msg}, value;
    return wanted(p, &send_setting, args, 2, &value) && value == AM_true;
}

bool trace_sr_receive_wanted(Process *p, Term from, Term msg, Term *extra)
{
    Term args[3] = {AM_nonode_at_nohost, from, msg}, value;
    if (!wanted(p, &receive_setting, args, 3, &value)) return false;
    *extra = value == AM_true ? THE_NON_VALUE : value;
    return true;
}
