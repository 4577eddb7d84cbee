/* calltime.c - call_time accounting per process (see calltime.h). */
#include "profiler/calltime.h"

#include "profiler/bp.h"
#include "profiler/pclock.h"
#include "profiler/prof_slot.h"
#include "profiler/trace_flags.h"
#include "sched/tp.h"

/* The call_time data of the function at entry while it is timed, or NULL. */
static PTime *timed_data(const BeamInstr *entry)
{
    const BpData *bd = bp_find(entry);
    if (!bd) return NULL;
    const BpSlot *s = bp_active(bd);
    return (s->flags & BP_TIME) ? s->time : NULL;
}

/* p's item in `time` for this thread's slot, through the one-entry cache. */
static PTimeItem *item_of(Process *p, PTime *time, int slot)
{
    if (p->ct_cache_time == time) return p->ct_cache_item;
    PTimeItem *it = ptime_item(time, slot, p->pid);
    p->ct_cache_time = time;
    p->ct_cache_item = it;
    return it;
}

/* Charges the ticks since ct_since to the current function, if it is timed. */
static void charge_current(Process *p, int slot, uint64_t now)
{
    if (!p->ct_entry) return;
    PTime *time = timed_data(p->ct_entry);
    if (time) ptime_add(item_of(p, time, slot), 0, now - p->ct_since);
}

static void forget_cache(Process *p)
{
    p->ct_cache_time = NULL;
    p->ct_cache_item = NULL;
}

bool ct_call(Process *p, const BeamInstr *entry, PTime *time, const BeamInstr **prev)
{
    int slot = prof_slot();
    if (p->ct_entry == entry) {
        ptime_add(item_of(p, time, slot), 1, 0);
        return false;
    }
    uint64_t now = pclock_ticks();
    charge_current(p, slot, now);
    forget_cache(p);
    ptime_add(item_of(p, time, slot), 1, 0);
    *prev = p->ct_entry;
    p->ct_entry = entry;
    p->ct_since = now;
    return true;
}

/* Makes `prev` current after charging the current function. */
static void switch_to(Process *p, const BeamInstr *prev)
{
    uint64_t now = pclock_ticks();
    if (trace_flags_of(p) & TRACE_CALL) charge_current(p, prof_slot(), now);
    forget_cache(p);
    p->ct_entry = prev;
    p->ct_since = now;
}

void ct_return(Process *p, const BeamInstr *prev) { switch_to(p, prev); }

void ct_sched_in(Process *p)
{
    forget_cache(p);
    if (!(trace_flags_of(p) & TRACE_CALL)) p->ct_entry = NULL; /* untraced meanwhile */
    p->ct_since = pclock_ticks();
}

void ct_sched_out(Process *p)
{
    if (trace_flags_of(p) & TRACE_CALL) charge_current(p, prof_slot(), pclock_ticks());
    forget_cache(p);
}

void ct_sched_out_dirty(Process *p)
{
    TpDelay d = tp_delay(); /* the data found below stays valid until tp_continue */
    ct_sched_out(p);
    tp_continue(d);
}
