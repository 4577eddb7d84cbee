/*
 * interp.h - the threaded-code interpreter.
 *
 * Instructions are listed once in ops.def. interp_init() fills the table of
 * handler addresses (computed-goto labels inside interp_run), which the
 * loader writes into code as each instruction's first word.
 */
#ifndef ERBIUM_INTERP_H
#define ERBIUM_INTERP_H

#include "runtime/proc/process.h"

typedef enum OpCode {
#define OP(name, sig) OP_##name,
#include "runtime/interp/ops.def"
#undef OP
    OP_COUNT
} OpCode;

/* Operand signature of each op (see ops.def). */
extern const char *const op_signature[OP_COUNT];

/* Handler addresses; valid after interp_init(). */
extern const void *op_addr[OP_COUNT];
/* Breakpoint handlers, one per instruction they may replace (see interp_bp.inc). */
extern const void *op_bp_addr[OP_COUNT];

void interp_init(void);

static inline BeamInstr op_word(OpCode op) { return (BeamInstr)op_addr[op]; }

/* How a run of a process ended. */
typedef enum RunResult {
    RUN_EXITED, /* finished: normally (freason EXC_NONE), by an exception, or killed (exiting) */
    RUN_YIELD,  /* used up its reductions: runnable */
    RUN_WAIT,   /* waiting in receive for a message (or its timer) */
    RUN_DIRTY,  /* calling the dirty native p->dirty_call with p->xsave as arguments: for the
                   dirty pool, which then resumes it at p->i with the result in x0 */
} RunResult;

/*
 * Runs p from p->i (with p->arity x registers in p->xsave) for one slice.
 * The process must have a stack whose bottom word is the address of the
 * i_process_exit stub (see process_new).
 */
RunResult interp_run(Process *p);

/* The one-word stub that ends a process when its first function returns. */
const BeamInstr *interp_exit_stub(void);
/*
 * On a dirty scheduler: runs the native call a RUN_DIRTY slice ended on, and
 * prepares p to resume on a normal scheduler (x0 = the result, or raising
 * the native's exception).
 */
void interp_run_dirty_call(Process *p);
/* Stubs that erlang:apply/2,3 exports point at. */
const BeamInstr *interp_apply_stub(int arity);
/* The code of erlang:call_on_load_function/1: enters the pending code's on_load function. */
const BeamInstr *interp_on_load_stub(void);
/* The code erlang:hibernate/3's export points at. */
const BeamInstr *interp_hibernate_stub(void);
/* Whether a process stopped at pc waits in erlang:hibernate/3. */
bool interp_is_hibernating(const BeamInstr *pc);
/* The return address of a call_time return frame (profiler/calltime.h). */
const BeamInstr *interp_time_return_stub(void);
/* The stub of a return_trace (or, with `exception`, exception_trace) frame (profiler/call_trace.h). */
const BeamInstr *interp_return_trace_stub(bool exception);
/* The same for a meta trace frame. */
const BeamInstr *interp_meta_trace_stub(bool exception);
/* The one-word return_to frame (profiler/call_trace.h). */
const BeamInstr *interp_return_to_stub(void);
/* The stub of the debugger agent's function exit frame (runtime/debug/dbg.h). */
const BeamInstr *interp_debug_exit_stub(void);

#endif
