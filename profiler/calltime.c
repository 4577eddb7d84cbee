/* calltime.c - call_time accounting per process (see calltime.h). */
#include "profiler/calltime.h"

#include "profiler/bp.h"
#include "profiler/pclock.h"
#include "profiler/prof_slot.h"
#include "profiler/trace_flags.h"
#include "runtime/proc/heap.h"
#include "sched/tp.h"

/* The active slot of a function that has breakpoint data, or NULL. */
static const BpSlot *slot_of(const BeamInstr *entry)
{
    const BpData *bd = bp_find(entry);
    return bd ? bp_active(bd) : NULL;
}

static PTime *timed(const BpSlot *s) { return s && (s->flags & BP_TIME) ? s->time : NULL; }
static PTime *measured(const BpSlot *s) { return s && (s->flags & BP_MEMORY) ? s->memory : NULL; }

/* p's call_time item in `time` for this thread's slot, through the one-entry cache. */
static PTimeItem *time_item(Process *p, PTime *time, int slot)
{
    if (p->ct_cache_time == time) return p->ct_cache_item;
    PTimeItem *it = ptime_item(time, slot, p->pid);
    p->ct_cache_time = time;
    p->ct_cache_item = it;
    return it;
}

/* The same for call_memory. */
static PTimeItem *memory_item(Process *p, PTime *memory, int slot)
{
    if (p->cm_cache_memory == memory) return p->cm_cache_item;
    PTimeItem *it = ptime_item(memory, slot, p->pid);
    p->cm_cache_memory = memory;
    p->cm_cache_item = it;
    return it;
}

/*
 * Charges the current function (whose active slot is s) the ticks since
 * ct_since, when it is timed and the clock was read when it became current
 * (ct_since is 0 when neither it nor the one before was timed), and the
 * words allocated since cm_since when its memory is measured.
 */
static void charge(Process *p, const BpSlot *s, int slot, uint64_t now, uint64_t words)
{
    PTime *time = timed(s), *memory = measured(s);
    if (time && p->ct_since) ptime_add(time_item(p, time, slot), 0, now - p->ct_since);
    if (memory) ptime_add(memory_item(p, memory, slot), 0, words - p->cm_since);
}

static void forget_cache(Process *p)
{
    p->ct_cache_time = NULL;
    p->ct_cache_item = NULL;
    p->cm_cache_memory = NULL;
    p->cm_cache_item = NULL;
}

/* Counts a call of the function becoming current in its items (and caches them). */
static void count_call(Process *p, PTime *time, PTime *memory, int slot)
{
    if (time) ptime_add(time_item(p, time, slot), 1, 0);
    if (memory) ptime_add(memory_item(p, memory, slot), 1, 0);
}

/* Makes `entry` current after charging the current function; the clock is read
   only when one of the two is timed. */
static void switch_to(Process *p, const BeamInstr *entry, bool entry_timed, const Term *htop, int slot)
{
    const BpSlot *cur = p->ct_entry && (trace_flags_of(p) & TRACE_CALL) ? slot_of(p->ct_entry) : NULL;
    uint64_t now = entry_timed || timed(cur) ? pclock_ticks() : 0;
    uint64_t words = heap_allocated_words(p, htop);
    charge(p, cur, slot, now, words);
    forget_cache(p);
    p->ct_entry = entry;
    p->ct_since = now;
    p->cm_since = words;
}

bool ct_call(Process *p, const BeamInstr *entry, PTime *time, PTime *memory, const Term *htop,
             const BeamInstr **prev)
{
    int slot = prof_slot();
    if (p->ct_entry == entry) {
        count_call(p, time, memory, slot);
        return false;
    }
    *prev = p->ct_entry;
    switch_to(p, entry, time != NULL, htop, slot);
    count_call(p, time, memory, slot);
    return true;
}

void ct_return(Process *p, const BeamInstr *prev, const Term *htop)
{
    switch_to(p, prev, prev && timed(slot_of(prev)), htop, prof_slot());
}

void ct_sched_in(Process *p)
{
    forget_cache(p);
    if (!(trace_flags_of(p) & TRACE_CALL)) p->ct_entry = NULL; /* untraced meanwhile */
    p->ct_since = pclock_ticks();
}

void ct_sched_out(Process *p)
{
    /* time only: the heap does not grow off the scheduler, words wait for the next change */
    if (trace_flags_of(p) & TRACE_CALL) {
        PTime *time = timed(slot_of(p->ct_entry));
        if (time && p->ct_since) ptime_add(time_item(p, time, prof_slot()), 0, pclock_ticks() - p->ct_since);
    }
    forget_cache(p);
}

void ct_sched_out_dirty(Process *p)
{
    TpDelay d = tp_delay(); /* the data found below stays valid until tp_continue */
    ct_sched_out(p);
    tp_continue(d);
}
