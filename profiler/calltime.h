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
 * p enters `entry`, whose call_time data is `time` (the active slot has
 * BP_TIME and p has the call flag). Counts the call. Returns true when the
 * current function changed; *prev is then the function to restore when
 * `entry` returns (possibly NULL).
 */
bool ct_call(Process *p, const BeamInstr *entry, PTime *time, const BeamInstr **prev);
/* At a return frame: charges the returning function; `prev` becomes current. */
void ct_return(Process *p, const BeamInstr *prev);

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
