/*
 * erbium/debugger.h - a debugger agent in C, in the spirit of JVMTI's
 * breakpoints (for a VM created with ErbConfig.debugger, erl's +D).
 *
 *   erb_dbg_set_callback(on_event, ctx);
 *   erb_dbg_set_breakpoint("mymod", 12);
 *   ... on_event runs on the scheduler thread of the process that reaches
 *   line 12, before the line's instruction runs; it returns
 *   ERB_DBG_SUSPEND to keep the process, and any thread then reads its
 *   frames, slots and registers, and calls erb_dbg_resume or erb_dbg_step.
 *
 * Breakpoints go on breakpoint sites: every line of a function body where
 * OTP 25 emits a `line` instruction (calls and instructions that can
 * fail) and every function entry, in modules loaded with +D. Setting and
 * clearing never stop the schedulers; called from a thread that is not a
 * scheduler, they return once every scheduler sees the change. These
 * breakpoints are the agent's own: erl_debugger's (Erlang) are separate,
 * and both may be on one line. The agent's breakpoints follow a module
 * that is loaded again to its new code, where the line (or function)
 * still has a site, and stay in the old code while processes run it (as
 * JVMTI keeps them in every version of a method); erl_debugger's stay
 * with the code they were set in, as in OTP 28.
 *
 * A process is named by its pid number N (<0.N.0>). Terms are given as
 * text (io_lib:write's ~w) and are never longer than a size limit in heap
 * words: a larger one reads "{too_large,Words}", as erl_debugger does.
 */
#ifndef ERBIUM_DEBUGGER_H
#define ERBIUM_DEBUGGER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* JVMTI's kinds of errors, for Erlang code. */
typedef enum ErbDbgError {
    ERB_DBG_OK = 0,
    ERB_DBG_ERR_NOT_AVAILABLE,      /* the VM was created without debugger support */
    ERB_DBG_ERR_MODULE_NOT_LOADED,  /* JVMTI's INVALID_CLASS */
    ERB_DBG_ERR_ABSENT_INFORMATION, /* the module was loaded without breakpoint sites */
    ERB_DBG_ERR_INVALID_LOCATION,   /* no site on that line (none, or a function head) */
    ERB_DBG_ERR_INVALID_FUNCTION,   /* no such function (JVMTI's INVALID_METHODID) */
    ERB_DBG_ERR_DUPLICATE,          /* the agent has a breakpoint there already */
    ERB_DBG_ERR_NOT_FOUND,          /* the agent has no breakpoint there */
    ERB_DBG_ERR_BUSY,               /* the profiler holds that function entry */
    ERB_DBG_ERR_NOT_SUSPENDED,      /* JVMTI's THREAD_NOT_SUSPENDED: alive and suspended is needed */
    ERB_DBG_ERR_NO_MORE_FRAMES,     /* no frame at that depth */
    ERB_DBG_ERR_INVALID_SLOT,       /* no slot or register with that number */
} ErbDbgError;

/* The name of an error ("ERB_DBG_ERR_DUPLICATE"). */
const char *erb_dbg_error_name(ErbDbgError e);

typedef enum ErbDbgEventKind {
    ERB_DBG_BREAKPOINT, /* a breakpoint set with erb_dbg_set_(function_)breakpoint */
    ERB_DBG_STEP,       /* the end of an erb_dbg_step */
    ERB_DBG_ENTRY,      /* JVMTI's MethodEntry: a function of a module with call events was called */
    ERB_DBG_EXIT,       /* JVMTI's MethodExit: that call returned, or an exception left it */
} ErbDbgEventKind;

typedef struct ErbDbgEvent {
    ErbDbgEventKind kind;
    uint64_t pid;          /* <0.pid.0> */
    const char *module;    /* valid while the VM runs */
    const char *function;
    unsigned arity;
    unsigned line;         /* for a function entry, the function head's line */
    bool entry;            /* at the function's entry (a function breakpoint, ERB_DBG_ENTRY/EXIT) */
    const char *value;     /* ERB_DBG_EXIT: the value returned, or {Class,Reason} of the exception,
                              as text (at most 100 words, else {too_large,Words}); valid during the call */
    bool exception;        /* ERB_DBG_EXIT: an exception left the function */
} ErbDbgEvent;

typedef enum ErbDbgAction {
    ERB_DBG_CONTINUE, /* the process goes on at once */
    ERB_DBG_SUSPEND,  /* it stays suspended until erb_dbg_resume or erb_dbg_step */
} ErbDbgAction;

/*
 * Called on the scheduler thread that runs the process, before the
 * instruction at the breakpoint runs; may be called from several
 * schedulers at once. Inside it, the event's process can be read with the
 * functions below (not at ERB_DBG_EXIT); it must not wait for other
 * processes. At one place the order is JVMTI's: ERB_DBG_ENTRY, then a
 * step or breakpoint. ERB_DBG_EXIT comes as the function returns (its
 * result is ignored: the process goes on).
 */
typedef ErbDbgAction (*ErbDbgCallback)(void *ctx, const ErbDbgEvent *ev);

/* One callback for the agent (NULL: none, breakpoints then do nothing). Set it before breakpoints. */
void erb_dbg_set_callback(ErbDbgCallback cb, void *ctx);

ErbDbgError erb_dbg_set_breakpoint(const char *module, unsigned line);
ErbDbgError erb_dbg_clear_breakpoint(const char *module, unsigned line);
ErbDbgError erb_dbg_set_function_breakpoint(const char *module, const char *function, unsigned arity);
ErbDbgError erb_dbg_clear_function_breakpoint(const char *module, const char *function, unsigned arity);
/*
 * Function entry and exit events (JVMTI's MethodEntry and MethodExit) for
 * every function of module, on or off. An entry event can suspend the
 * process there, as a function breakpoint does. A call made while they
 * are on gets a return frame, as return_trace does: its return, or an
 * exception passing it, gives the exit event (so a tail call reports two
 * exits, the callee's then the caller's, and a loop of tail calls grows
 * its stack while they are on, as under return_trace).
 */
ErbDbgError erb_dbg_set_call_events(const char *module, bool on);
/* Clears every breakpoint and call event of the agent. */
void erb_dbg_clear_all(void);

/* Lets a process the callback suspended go on. Any thread (not the callback
   that is suspending it: it is not suspended until the callback returns). */
ErbDbgError erb_dbg_resume(uint64_t pid);

typedef enum ErbDbgStep {
    ERB_DBG_STEP_OVER, /* to the next line of this function (or of a caller, once it returns) */
    ERB_DBG_STEP_INTO, /* to the next line or the entry of a function it calls */
    ERB_DBG_STEP_OUT,  /* to the next line of a caller */
} ErbDbgStep;

/* Resumes a process suspended at a breakpoint until it reaches the next place
   of that kind, where the callback gets an ERB_DBG_STEP event (other
   processes pass those places). One step at a time; as erb_dbg_resume,
   not from the callback that suspends it. */
ErbDbgError erb_dbg_step(uint64_t pid, ErbDbgStep kind);

/* ---- reading a suspended process (or the callback's own) ---- */

typedef struct ErbDbgFrame {
    const char *module;   /* NULL for the frame below the first function */
    const char *function;
    unsigned arity;
    unsigned line;        /* 0 when unknown */
    size_t slots;         /* y registers (and catch handlers) */
} ErbDbgFrame;

/* Frames innermost first: depth 0 is where it stands. */
ErbDbgError erb_dbg_frame_count(uint64_t pid, size_t *count);
ErbDbgError erb_dbg_frame(uint64_t pid, size_t depth, ErbDbgFrame *out);
/* Slot y(slot) of the frame at depth, as text ("<catch>" for a handler), in buf (NUL-ended, cut to buflen). */
ErbDbgError erb_dbg_slot(uint64_t pid, size_t depth, size_t slot, size_t max_words, char *buf, size_t buflen);
/* The x registers live where it stopped at a breakpoint (0 elsewhere), and one of them as text. */
ErbDbgError erb_dbg_xreg_count(uint64_t pid, size_t *count);
ErbDbgError erb_dbg_xreg(uint64_t pid, size_t n, size_t max_words, char *buf, size_t buflen);

#endif
