/*
 * calltime.h - call_time accounting for a traced process.
 *
 * A process traced with the `call` flag has a current traced function
 * (Process.ct_entry, or NULL) and the tick when its time was last charged
 * (ct_since). Whenever the current function changes (a call to another
 * call_time function, the return from one), or the process leaves the
 * scheduler, the ticks since ct_since go to the current function's item
 * for this process in the running thread's table (ptime.h). Time in
 * untraced callees thus goes to the traced caller, and time off the
 * scheduler goes nowhere.
 *
 * A call that changes the function pushes a return frame (unless one is
 * already on top: a tail call) holding the function to return to, so the
 * return can be charged; see interp_bp.inc. An exception changes nothing:
 * as in OTP 25, the function that raised stays current until the next
 * traced call or return, so a catching function's time after the catch is
 * charged to the raiser. A call to the function that is
 * already current needs neither a clock read nor a frame: the time until
 * the next change goes to the same item either way. So self-recursion is
 * as cheap as call_count.
 *
 * call_memory (OTP 26) rides on the same current function: at each change
 * the words the process allocated on its heap since the last change
 * (heap_allocated_words: heap top movement, fragments, messages taken
 * into the heap, continuous across collections) go to the current
 * function's call_memory item, so a function is charged its own
 * allocations, not its traced callees'. The clock is read only when the
 * function left or entered is timed.
 *
 * Everything here runs on the thread running the process, which owns a
 * profiling slot (prof_slot.h). A dirty thread charges into its own table
 * inside tp_delay()/tp_continue().
 */
#ifndef ERBIUM_CALLTIME_H
#define ERBIUM_CALLTIME_H

#include "profiler/ptime.h"
#include "runtime/proc/process.h"

#include <stdbool.h>

/*
 * p enters `entry`, whose call_time and call_memory data are `time` and
 * `memory` (each NULL unless its kind is active; p has the call flag).
 * `htop` is p's heap top. Counts the call. Returns true when the current
 * function changed; *prev is then the function to restore when `entry`
 * returns (possibly NULL).
 */
bool ct_call(Process *p, const BeamInstr *entry, PTime *time, PTime *memory, const Term *htop,
             const BeamInstr **prev);
/* At a return frame: charges the returning function; `prev` becomes current. */
void ct_return(Process *p, const BeamInstr *prev, const Term *htop);

/* A call of the current function itself, when the cached items are those of
   `time` and `memory`: counts it there (nothing else changes). */
static inline bool ct_call_again(Process *p, const BeamInstr *entry, PTime *time, PTime *memory)
{
    if (p->ct_entry != entry || p->ct_cache_time != time || p->cm_cache_memory != memory) return false;
    if (time) ptime_add(p->ct_cache_item, 1, 0);
    if (memory) ptime_add(p->cm_cache_item, 1, 0);
    return true;
}

/* The process starts running on this thread (p->ct_entry is set). */
void ct_sched_in(Process *p);
/* The process stops running on this normal scheduler thread. */
void ct_sched_out(Process *p);
/* The same on a dirty scheduler thread (unmanaged). */
void ct_sched_out_dirty(Process *p);

/* A return frame's second word: the function to return to, as a small integer
   so the GC and stack walkers skip it. */
static inline Term ct_frame_word(const BeamInstr *prev) { return make_small((intptr_t)((uintptr_t)prev >> 3)); }
static inline const BeamInstr *ct_frame_function(Term word) { return (const BeamInstr *)((uintptr_t)small_val(word) << 3); }

#endif
