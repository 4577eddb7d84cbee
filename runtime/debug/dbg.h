/*
 * dbg.h - debugger breakpoints: sites, breakpoints, hits, suspension and
 * inspection (erbium's +D; OTP 28's erl_debugger and the C agent
 * interface include/erbium/debugger.h are built on it).
 *
 * Sites. With +D the loader records breakpoint sites (ModSite, see
 * runtime/loader/load_sites.c): the word of the instruction that follows
 * each `line` in a function body, and each function entry, with the live
 * x registers there. Nothing is emitted for them.
 *
 * Breakpoints. A site's `bp` word says who set a breakpoint there
 * (DBG_BY_*). Setting one stores the i_debug_break handler over the site's
 * word (one aligned atomic store); clearing the last one stores the
 * original word back. The handler never depends on the word: it finds the
 * site by its address and goes on with the original handler, so a change
 * racing with a process that just dispatched is harmless. A change from
 * a thread that is not a scheduler then waits for thread progress
 * (tp_wait), so once it returns every scheduler sees it; the schedulers
 * never stop. Changes are serialised by one mutex.
 *
 * Hits. A process reaching a site with a breakpoint runs dbg_hit before
 * the site's instruction: the Erlang debugger gets its event message, the
 * C agent its callback (on this scheduler thread). Either may keep the
 * process: then it is suspended (its suspend count raised, as
 * erlang:suspend_process does) at the site with its live x registers
 * saved, until dbg_resume. It then runs the site's original instruction.
 *
 * Reload. The agent's breakpoints and call events follow a module to its
 * next version where the line (function) still has a site, and stay in
 * the old code; erl_debugger's stay with the code they were set in (OTP 28).
 */
#ifndef ERBIUM_DBG_H
#define ERBIUM_DBG_H

#include "runtime/loader/module.h"
#include "runtime/proc/process.h"
#include "runtime/term/strbuf.h"

/* Who set a breakpoint (bits of ModSite.bp). */
enum {
    DBG_BY_ERLANG = 1u, /* erl_debugger:breakpoint/3 */
    DBG_BY_AGENT = 2u,  /* the C agent (debugger.h) */
    DBG_BY_STEP = 4u,   /* the C agent's temporary stepping breakpoints */
    DBG_BY_CALLS = 8u,  /* the C agent's function entry and exit events (entry sites) */
};

typedef enum DbgErr {
    DBG_OK,
    DBG_NO_MODULE,    /* not loaded */
    DBG_NO_SITES,     /* loaded without sites */
    DBG_NO_LINE,      /* no code on that line / no such function */
    DBG_NO_SITE,      /* code, but no site (a function head) */
    DBG_DUPLICATE,    /* the agent set one there already */
    DBG_NOT_FOUND,    /* the agent has none there */
    DBG_BUSY,         /* the profiler holds the function's entry word */
} DbgErr;

/* +D: the VM was started with debugging support (sites in modules loaded from now on). */
void dbg_enable(void);
bool dbg_enabled(void);

/* ---- breakpoints (dbg_site.c) ---- */

/* Sets (on) or clears `who`'s breakpoint on every site of Module:Line. */
DbgErr dbg_set_line(Term module, uint32_t line, uint32_t who, bool on);
/* The same at the entry of Module:Function/Arity. */
DbgErr dbg_set_entry(Term module, Term function, uint32_t arity, uint32_t who, bool on);
/* Sets (on) or clears `who` on every function entry of Module (DBG_BY_CALLS). */
DbgErr dbg_set_calls(Term module, bool on);
/* Clears `who`'s breakpoints on every site of every module, old code included. */
void dbg_clear_all(uint32_t who);
/* Sets `who` on sites chosen by keep(site, ctx) in the modules with sites. */
void dbg_set_where(uint32_t who, bool (*keep)(const Module *m, const ModSite *s, void *ctx), void *ctx);
/*
 * Module loading (module.c): m is about to replace prev (NULL: none) as the
 * current code. Gives m the agent's breakpoints of prev where the line (or
 * function entry) still has a site, and holds breakpoint changes back until
 * dbg_module_loaded(the result), called once m is current.
 */
bool dbg_module_loading(Module *m, const Module *prev);
void dbg_module_loaded(bool locked);
/* The sites at pc (an entry and a line may share a word): the first, and *n of them; NULL if none. */
ModSite *dbg_sites_at(const BeamInstr *pc, Module **m, uint32_t *n);
/* The line sites of a module as Erlang pairs (Line, Enabled) on p's heap:
   calls f(ctx, line, enabled) for each line once, in line order. */
void dbg_each_line(const Module *m, const FuncRange *only, void (*f)(void *ctx, uint32_t line, bool on), void *ctx);

/* ---- hits and suspension (dbg_hit.c) ---- */

/*
 * What i_debug_break does next: first, with `exit_frame`, push an exit
 * frame [interp_debug_exit_stub()][frame...] below the return address (a
 * function entry with call events: its return lands in the stub, which
 * calls dbg_exit); then suspend with `live` x registers saved, or run the
 * instruction word `word` with I = pc.
 */
enum { DBG_EXIT_FRAME_WORDS = 4 }; /* the stub, then M, F and (Arity | Line << 8) */
typedef struct DbgGo {
    const BeamInstr *pc;
    BeamInstr word;
    bool suspend;
    bool exit_frame;
    unsigned live;
    Term frame[DBG_EXIT_FRAME_WORDS - 1];
} DbgGo;

/* A process reached a site's word (or the resume stub) with x registers x. */
DbgGo dbg_hit(Process *p, const BeamInstr *pc, Term *x);
/* The function of an exit frame (its words after the stub) returned `value`. */
void dbg_exit(Process *p, const Term *frame, Term value);
/* An exception {cls, reason} unwinds the stack words [top, limit): each exit frame there reports it. */
void dbg_unwind(Process *p, const Term *top, const Term *limit, Term cls, Term reason);

/* What the C agent's callback is told (debugger.h's event, in terms). */
typedef enum DbgKind { DBG_EV_BREAK, DBG_EV_STEP, DBG_EV_ENTRY, DBG_EV_EXIT } DbgKind;
typedef struct DbgEvent {
    DbgKind kind;
    Term module, function;
    unsigned arity, line;
    bool entry;     /* at a function entry */
    bool exception; /* DBG_EV_EXIT: value is {Class, Reason} of the exception that left it */
    Term value;     /* DBG_EV_EXIT: the returned value */
} DbgEvent;
/* The callback; its result (keep the process suspended) is ignored for DBG_EV_EXIT. */
typedef bool (*DbgAgentFn)(void *ctx, Process *p, const DbgEvent *ev);
void dbg_set_agent(DbgAgentFn fn, void *ctx);

/* The registered Erlang debugger: register (false: one is alive), unregister, whereis. */
bool dbg_register(Term pid, Term *token);
bool dbg_unregister(Term pid, Term token);
Term dbg_whereis(void);

/*
 * Lets the process suspended at breakpoint hit `hit` (0: whatever hit it
 * waits at) go on. `caller`, when a process calls it, gives up its status
 * lock meanwhile. False when it does not wait at that hit.
 */
bool dbg_resume(Process *caller, Term pid, uint64_t hit);

/* ---- stepping (dbg_step.c) ---- */

typedef enum DbgStep { DBG_STEP_OVER, DBG_STEP_INTO, DBG_STEP_OUT } DbgStep;
/* Arms a step of the process waiting at a hit and resumes it. False if it waits at none. */
bool dbg_step(Term pid, DbgStep kind);
/* For dbg_hit: whether a step breakpoint hit by p ends its step (and if so disarms it). */
bool dbg_step_reached(Process *p);

/* ---- inspection (dbg_inspect.c) ---- */

/*
 * A process to read: suspended (its status lock held by the reader) or
 * the one being hit on this thread. xregs/live: its live x registers.
 */
typedef struct DbgView {
    Process *q;
    const Term *xregs;
    unsigned live;
    const BeamInstr *pc; /* where it stands */
    bool at_break;       /* at a breakpoint: the x registers are a '<breakpoint>' frame */
} DbgView;

/* Locks pid's status lock if it is alive and suspended (caller's lock given up
   first when caller is set). False (nothing locked) otherwise. */
bool dbg_view_open(Process *caller, Term pid, DbgView *v);
void dbg_view_close(Process *caller, DbgView *v);
/* The view of the process being hit on this thread, if it is pid. */
bool dbg_view_current(Term pid, DbgView *v);

/* erl_debugger's shapes, built on p's heap. */
Term dbg_stack_frames(Process *p, const DbgView *v, size_t max_size);
Term dbg_peek_slot(Process *p, const DbgView *v, size_t frame, size_t slot, size_t max_size);
Term dbg_peek_xreg(Process *p, const DbgView *v, size_t n, size_t max_size);
/* {value, T} or {too_large, Size}. */
Term dbg_reg_val(Process *p, Term t, size_t max_size);

/* Frames innermost first, as text (the C agent): frame i's {M,F,A} and line. */
size_t dbg_frame_count(const DbgView *v);
bool dbg_frame_info(const DbgView *v, size_t i, Term *mfa3, uint32_t *line);
/* Frame i's y slots (innermost frame 0): count, and slot k printed into sb. */
size_t dbg_frame_slots(const DbgView *v, size_t i);
bool dbg_print_slot(const DbgView *v, size_t i, size_t k, size_t max_size, StrBuf *sb);
/* Prints a term as ~p would, or {too_large,N}. */
void dbg_print_term(Term t, size_t max_size, StrBuf *sb);

#endif
