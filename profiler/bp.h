/*
 * bp.h - breakpoints: patching a function's first instruction, and the
 * staging/active protocol that changes what breakpoints do without
 * stopping the schedulers.
 *
 * A function gets a BpData the first time a breakpoint is set on it; its
 * address goes into the func_info word just before the entry (entry[-1])
 * and stays there (BpData is never freed, like loaded code). The data has
 * two slots, each saying what to do (flags) and where to count (PCount for
 * call_count, PTime for call_time). The global index bp_active_ix names
 * the active slot, which breakpoint handlers read; a writer prepares the
 * other (staging) slot. A change (one writer at a time) goes:
 *
 *   1. stage: write the staging slot of every affected function;
 *   2. install: patch the breakpoint handler over the entry word of each
 *      function whose staging slot has flags (one aligned atomic store;
 *      harmless: its active slot still says what the function did before);
 *   3. commit: flip bp_active_ix, so the staging slots become active;
 *   4. wait for thread progress: no scheduler still reads the old slots
 *      or counts into their PCount/PTime (dirty threads only touch them
 *      between tp_delay() and tp_continue(), which the wait honours);
 *   5. uninstall where the active slot has no flags (store the original
 *      word back), free counters no slot refers to any more, and copy each
 *      active slot into its staging slot for the next change.
 *
 * The handler reads entry[-1] and the active index and never takes a lock.
 * A function that never had a breakpoint costs nothing. In the blocking
 * variant the writer stops all schedulers (tp_block) around steps 2-5.
 */
#ifndef ERBIUM_BP_H
#define ERBIUM_BP_H

#include "profiler/pcount.h"
#include "profiler/ptime.h"
#include "runtime/loader/export.h"
#include "runtime/loader/module.h"
#include "runtime/ms/ms.h"

#include <stdatomic.h>
#include <stdbool.h>

/* What a slot makes the breakpoint do. */
enum {
    BP_COUNT = 1u, /* count calls in `count` */
    BP_TIME = 2u,  /* count calls and own time of traced processes in `time` */
    BP_TRACE = 4u, /* local call trace: every call of a process with the `call` flag */
    BP_GLOBAL = 8u, /* global call trace: only calls through the export (see gstub) */
    BP_META = 16u,  /* meta trace: every call, whatever the process's flags, to meta_tracer */
    BP_DEBUG = 32u, /* debug breakpoint: the call goes to Handler:breakpoint(M, F, Args) */
    BP_MEMORY = 64u, /* count calls and own heap words of traced processes in `memory` (OTP 26's call_memory) */
};
#define BP_ACCOUNT (BP_TIME | BP_MEMORY) /* the kinds calltime.h accounts for */
#define BP_CALL_TRACE (BP_TRACE | BP_GLOBAL)

typedef struct BpSlot {
    PCount *count_only; /* `count` when flags is exactly BP_COUNT, else NULL: the handler's fast path */
    unsigned flags;
    PCount *count; /* call_count data; kept while paused; NULL when none */
    PTime *time;   /* call_time data; kept while paused; NULL when none */
    PTime *memory; /* call_memory data (ticks are words); kept while paused; NULL when none */
    MsProg *ms;    /* the call trace's match spec (one reference per slot); NULL for none */
    Term meta_tracer; /* with BP_META: the meta tracer's pid */
    MsProg *meta_ms;  /* with BP_META: its match spec (a reference per slot) or NULL */
} BpSlot;

typedef struct BpData {
    BeamInstr orig;        /* the entry word the breakpoint replaces */
    BeamInstr *entry;      /* a BIF's: bif_entry + 1, so bp_find() and call_time work alike */
    const Module *module;  /* NULL for a BIF */
    const FuncRange *func; /* NULL for a BIF */
    Term mod, fun;         /* the function's name */
    uint32_t arity;
    bool installed;        /* writer only */
    bool touched;          /* writer only: part of the change in progress */
    bool g_installed;      /* writer only: the export points at gstub */
    _Atomic(struct BpData *) next; /* every BpData, newest first (see bp_first, bp_next) */
    /* A global breakpoint does not patch the function: its export's address
       is pointed at gstub = [i_global_breakpoint][this], which traces the call
       and jumps to the entry, so only calls through the export see it. */
    BeamInstr gstub[2];
    Export *export;        /* the function's export entry; NULL while unexported */
    /* A function the VM implements natively (a BIF; a module may hold a stub
       for it, see loader/load.c: redirect_native_functions) has its data on
       its export (bif->bp_data), with no code to patch: every call of it
       goes through the export's BIF call, which tests bif->bp. Installing
       sets bif->bp to this data, unless OTP never traces the BIF
       (bp_bif_traceable). */
    Export *bif;
    bool bif_traceable;
    /* [this][i_stub_breakpoint]: the second word is the fake entry; a VM stub
       (erlang:apply/2) reached by apply/3 with a breakpoint runs it
       (bp_stub_entry). */
    BeamInstr bif_entry[2];
    BpSlot slot[2];
} BpData;

extern _Atomic unsigned bp_active_ix;

/* The active slot. */
static inline const BpSlot *bp_active(const BpData *bd)
{
    return &bd->slot[atomic_load_explicit(&bp_active_ix, memory_order_acquire)];
}

/* The BpData of a function entry, or NULL if it never had a breakpoint. */
static inline BpData *bp_find(const BeamInstr *entry)
{
    return (BpData *)atomic_load_explicit((_Atomic BeamInstr *)&entry[-1], memory_order_acquire);
}

/* For the breakpoint handler: the data of the function it runs in. */
static inline const BpData *bp_of_running(const BeamInstr *entry)
{
    BpData *bd;
    while (__builtin_expect(!(bd = bp_find(entry)), 0)) {
        /* unreachable in practice: the data is published before the patch */
    }
    return bd;
}

/* The most recent BpData; bp_next gives the others. Any thread. */
BpData *bp_first(void);
static inline BpData *bp_next(const BpData *bd) { return atomic_load_explicit(&bd->next, memory_order_acquire); }

/*
 * Code being purged (loader/module.c): unlinks the data of every function of
 * m and frees it, with its counters, after thread progress. The caller makes
 * sure no change has it staged: it holds the code-modify permission
 * (bp_change_begin), or m was never current code (patterns only reach
 * current code). Breakpoints in m's code stay until the code is freed.
 */
void bp_forget(const Module *m);

/* Gives a staging slot the match spec `ms` (or none), taking a reference for it. */
void bp_slot_set_ms(BpSlot *s, MsProg *ms);
/* The same for the meta trace's spec. */
void bp_slot_set_meta_ms(BpSlot *s, MsProg *ms);

/* Starts a change: takes the code-modify permission (waits for another writer). */
void bp_change_begin(void);
/* The staging slot of the function (creating its data); only inside a change.
   A function replaced by a BIF gets the BIF's. */
BpSlot *bp_stage(const Module *m, const FuncRange *f);
/* The same for a BIF. */
BpSlot *bp_stage_bif(Export *e);
/* The data of a function (the BIF's for one replaced by a BIF), or NULL. */
BpData *bp_find_function(const Module *m, const FuncRange *f);
/* The data of a BIF, or NULL. */
static inline BpData *bp_find_bif(const Export *e)
{
    return (BpData *)atomic_load_explicit(&((Export *)e)->bp_data, memory_order_acquire);
}
/*
 * Installs, commits, waits, uninstalls, frees and releases the permission
 * (steps 2-5). The caller waits once for thread progress; with
 * `blocking` the schedulers are stopped meanwhile instead. Must not be
 * called by a managed thread that holds profiling data across it.
 */
void bp_change_end(bool blocking);

/*
 * For a module being loaded, before anything can run its code: gives the
 * function the breakpoint `proto` says (its flags, specs and meta tracer,
 * with fresh counters) in both slots at once, so
 * no commit or wait is needed, and it needs no code-modify permission
 * (a managed thread loading code must never wait for a writer that waits
 * for it).
 */
void bp_preset(const Module *m, const FuncRange *f, const BpSlot *proto);

/* The export through which calls of the function go, or NULL when it is not exported. */
Export *bp_export_of(const Module *m, const FuncRange *f);
/* The export of the BIF that replaces the function (see BpData.bif), or NULL. */
Export *bp_bif_of(const Module *m, const FuncRange *f);
/*
 * Whether calls of the BIF can hit a breakpoint. As OTP 25, operators and
 * guard BIFs (OTP's `ubif` kind: length/1, self/0, element/2, '+'/2...)
 * never do, through apply/3 or funs either: patterns still match them.
 */
bool bp_bif_traceable(const Export *e);

/*
 * erlang:apply/2 is an interpreter stub, not a BIF, but OTP 25 traces and
 * counts it as one when apply/3 (or spawn/3) reaches it through its export;
 * direct calls and `fun erlang:apply/2` are not seen. Its data lives on the
 * export like a BIF's; apply/3 asks for the code to run with bp_stub_target.
 */
bool bp_stub_traceable(const Export *e);
/* Where a call through e goes: its address, or with a breakpoint on a traceable stub, the
   breakpoint's fake entry (i_stub_breakpoint), which goes on to the stub. */
static inline const BeamInstr *bp_stub_target(const Export *e)
{
    const BeamInstr *addr = atomic_load_explicit(&((Export *)e)->address, memory_order_acquire);
    if (__builtin_expect(!e->vm_stub, 1)) return addr;
    const BpData *bd = atomic_load_explicit(&((Export *)e)->bp, memory_order_acquire);
    return bd ? bd->entry : addr;
}

/* The entry of a function in the code (its first instruction's word). */
static inline BeamInstr *bp_entry_of(const FuncRange *f) { return (BeamInstr *)f->start + FUNC_INFO_WORDS; }

#endif
