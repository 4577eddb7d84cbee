/*
 * interp.c - the threaded-code interpreter.
 *
 * Direct threading: each instruction's first word is the address of its
 * handler (a computed-goto label below), so dispatch is one indirect jump.
 * The hot state lives in locals: I (next instruction), E (stack top), HTOP
 * (heap top) and x (the x registers). Before anything that may allocate or
 * inspect the process (BIFs, GC, exceptions) the locals are written back
 * (SWAPOUT) and reloaded afterwards (SWAPIN).
 *
 * Register operands are byte offsets (see ops.def): an x operand is n*8
 * from x, a y operand n*8|4 from E, and a constant is the term itself,
 * recognised by its nonzero low two bits. So a generic source operand costs
 * two well-predicted tests, and the specialised variants none.
 *
 * Calls push the return address on the stack (one word; every allocate
 * and heap check keeps one word of slack for it) and `return` pops it.
 *
 * Every call costs a reduction. When a slice's reductions are used up the
 * process yields at the entry of the function being called, where only its
 * arguments are live, so exactly those x registers are saved.
 */
#include "runtime/interp/interp.h"

#include "runtime/term/arith.h"
#include "runtime/term/big.h"
#include "runtime/term/binary.h"
#include "runtime/interp/catch_table.h"
#include "runtime/interp/oppairs.h"
#include "runtime/loader/code_path.h"
#include "runtime/loader/export.h"
#include "runtime/port/port.h"
#include "runtime/proc/heap.h"
#include "runtime/proc/max_heap.h"
#include "runtime/term/map.h"
#include "runtime/loader/module.h"
#include "runtime/interp/raise.h"
#include "runtime/proc/signal.h"
#include "runtime/term/term_cmp.h"
#include "profiler/bp.h"
#include "profiler/call_trace.h"
#include "profiler/calltime.h"
#include "profiler/prof_slot.h"
#include "profiler/seq_trace.h"
#include "profiler/sample.h"
#include "profiler/trace_flags.h"
#include "runtime/proc/registry.h"
#include "sched/sched.h"
#include "runtime/debug/dbg.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

const char *const op_signature[OP_COUNT] = {
#define OP(name, sig) sig,
#include "runtime/interp/ops.def"
#undef OP
};

const void *op_addr[OP_COUNT];
const void *op_bp_addr[OP_COUNT];

static BeamInstr exit_stub[1];
static BeamInstr raise_stub[1];
static BeamInstr apply2_stub[1];
static BeamInstr apply3_stub[1];
static BeamInstr hibernate_stub[1];
static BeamInstr hibernate_wake_stub[1]; /* where a hibernating process waits */
static BeamInstr time_return_stub[1];
static BeamInstr on_load_stub[1];
static BeamInstr return_trace_stub[1];
static BeamInstr exception_trace_stub[1];
static BeamInstr meta_return_stub[1];
static BeamInstr meta_exception_stub[1];
static BeamInstr return_to_stub[1];
static BeamInstr debug_exit_stub[1];

const BeamInstr *interp_exit_stub(void) { return exit_stub; }
const BeamInstr *interp_apply_stub(int arity) { return arity == 2 ? apply2_stub : apply3_stub; }
const BeamInstr *interp_hibernate_stub(void) { return hibernate_stub; }
bool interp_is_hibernating(const BeamInstr *pc) { return pc == hibernate_wake_stub; }
const BeamInstr *interp_time_return_stub(void) { return time_return_stub; }
const BeamInstr *interp_on_load_stub(void) { return on_load_stub; }
const BeamInstr *interp_return_trace_stub(bool exception) { return exception ? exception_trace_stub : return_trace_stub; }
const BeamInstr *interp_meta_trace_stub(bool exception) { return exception ? meta_exception_stub : meta_return_stub; }
const BeamInstr *interp_return_to_stub(void) { return return_to_stub; }
const BeamInstr *interp_debug_exit_stub(void) { return debug_exit_stub; }

/* Key/value operands of a map update kept on the C stack; more go to malloc. */
#define MAP_UPDATE_INLINE 64


static void out_of_memory(void)
{
    fprintf(stderr, "erbium: out of memory\n");
    exit(1);
}

/* A collection would pass p's max_heap_size with kill set: p dies now, once the signals
   queued before are handled (an exit signal kill from itself always kills: afterwards p is
   exiting with reason killed). Returns true. */
static bool die_of_max_heap(Process *p)
{
    maxheap_kill(p);
    signal_handle_pending(p);
    return true;
}

/* Allocates `need` words for the interpreter's own use, collecting if needed; true when the
   collection killed p instead (max_heap_size): the caller must go to `killed`. */
static bool ensure_heap(Process *p, size_t need, Term *x, int live)
{
    int r = heap_gc(p, need, x, live);
    if (r < 0) out_of_memory();
    return r == HEAP_GC_KILLED && die_of_max_heap(p);
}

/* Moves a proper list's elements into x[0..n); returns n, or -1 if not a proper list. */
static int list_to_xregs(Term list, Term *x, int first)
{
    int n = first;
    while (is_list(list)) {
        if (n >= MAX_X_REGS - 2) return -1;
        Term *cell = list_val(list);
        x[n++] = CAR(cell);
        list = CDR(cell);
    }
    return is_nil(list) ? n - first : -1;
}

static bool proper_list(Term list)
{
    while (is_list(list)) list = CDR(list_val(list));
    return is_nil(list);
}

/* Finds the code for a fun call of `arity` args in x[0..arity) with the fun
   in x[arity]; moves free variables into place. NULL after raising. */
static const BeamInstr *fun_target(Process *p, Term fun, unsigned arity, Term *x)
{
    if (is_boxed_of(fun, HDR_FUN)) {
        Term *f = boxed_val(fun);
        const FunEntry *fe = (const FunEntry *)f[1];
        /* NULL once its code was purged (loader/module.c): badfun, as OTP */
        const BeamInstr *code = __atomic_load_n(&fe->address, __ATOMIC_ACQUIRE);
        if (!code) {
            p->freason = EXC_ERROR;
            p->fvalue = heap_tuple2(p, AM_badfun, fun);
            return NULL;
        }
        if (fe->arity == arity) {
            for (uint32_t i = 0; i < fe->num_free; i++) x[arity + i] = f[FUN_FIXED_WORDS + i];
            return code;
        }
    } else if (is_boxed_of(fun, HDR_EXPORT)) {
        const Export *e = (const Export *)boxed_val(fun)[1];
        if (e->arity == arity) return atomic_load_explicit(&e->address, memory_order_acquire);
    } else {
        p->freason = EXC_ERROR;
        p->fvalue = heap_tuple2(p, AM_badfun, fun);
        return NULL;
    }
    Term args = raise_args_list(p, x, arity);
    p->freason = EXC_ERROR;
    p->fvalue = heap_tuple2(p, AM_badarity, heap_tuple2(p, fun, args));
    return NULL;
}

/* Free variables a fun call adds after the arguments (x registers to keep on a yield). */
static unsigned fun_free_vars(Term fun)
{
    return is_boxed_of(fun, HDR_FUN) ? ((const FunEntry *)boxed_val(fun)[1])->num_free : 0;
}

/* Exports named in error stack traces of instructions that act as BIFs (set by interp_init). */
static const Export *apply3_export, *send2_export, *on_load_export, *hibernate3_export;
/* erlang:'+'/2 and '-'/2, named by the inline arithmetic instructions (ARITH_THEN) */
static const Export *arith_add_export, *arith_sub_export;

/* Raises error:badarg with `bif` and its arguments on top of the stack trace. */
static const BeamInstr *bif_badarg(Process *p, const Export *bif, const Term *args)
{
    p->freason = EXC_ERROR;
    p->fvalue = AM_badarg;
    p->fbif_frame = true;
    p->fbif = bif;
    p->fargs = raise_args_list(p, args, bif->arity);
    return NULL;
}

/* Raises badarg from erlang:apply/3 with its arguments, as OTP does. */
static const BeamInstr *apply_badarg(Process *p, Term mod, Term fun, Term args)
{
    Term triple[3] = {mod, fun, args};
    return bif_badarg(p, apply3_export, triple);
}

/*
 * A call to an undefined function goes, as on OTP, to the process's error
 * handler (error_handler unless process_flag(error_handler, M) changed it):
 * ErrorHandler:undefined_function(M, F, Args) asks the code server (or init,
 * while booting) to load M and retries the call, or raises undef. Without a
 * loaded error handler, or in the handler's own module, the call raises undef.
 */
static const BeamInstr *error_handler_call(Process *p, Term mod, Term fun, unsigned arity, Term *x)
{
    Term handler = p->flags.error_handler;
    Export *h = mod == handler ? NULL : export_find(handler, AM_undefined_function, 3);
    if (!h || !export_is_defined(h)) return NULL;
    Term args = raise_args_list(p, x, arity);
    x[0] = mod;
    x[1] = fun;
    x[2] = args;
    return atomic_load_explicit(&h->address, memory_order_acquire);
}

static const BeamInstr *resolve_undefined(Process *p, Export *e, Term *x)
{
    const BeamInstr *h = error_handler_call(p, e->module, e->function, e->arity, x);
    if (h) return h;
    p->freason = EXC_ERROR;
    p->fvalue = AM_undef;
    p->fargs = raise_args_list(p, x, e->arity);
    p->fbif = e;
    p->fbif_frame = true;
    return NULL;
}

/* erlang:error/1,2,3, exit/1 and throw/1: BIFs that raise where they are called. */
static bool raises_here(const Export *e)
{
    return e->module == AM_erlang && (e->function == AM_error || e->function == AM_exit || e->function == AM_throw);
}

/* Target of an apply of Module:Function to x[0..arity); NULL after raising. As in OTP,
   applying a function nothing mentioned yet makes no export entry (the entries' order
   shows in module_info(exports)): the error handler is called directly. */
static const BeamInstr *apply_target(Process *p, Term mod, Term fun, unsigned arity, Term *x)
{
    if (!is_atom(mod) || !is_atom(fun)) return apply_badarg(p, mod, fun, raise_args_list(p, x, arity));
    Export *e = export_find(mod, fun, arity);
    if (!e) {
        const BeamInstr *h = error_handler_call(p, mod, fun, arity, x);
        if (h) return h;
        e = export_get(mod, fun, arity);
    }
    return bp_stub_target(e);
}

/*
 * What a BIF left for the interpreter (Process.attention; x0 is the BIF's result):
 * fragments that outgrew the free space are folded in, a garbage_collect() of
 * itself is done, off-heap binaries past their limit are collected. Returns whether the slice must end (another process suspended
 * this one while the BIF had given up its status lock, or a collection killed it: p->exiting).
 */
static __attribute__((noinline)) bool attend_after_bif(Process *p, Term *x)
{
    uint32_t a = atomic_load_explicit(&p->attention, memory_order_relaxed);
    if ((a & PATTN_FRAGS) && p->frag_words > heap_free_words(p) && ensure_heap(p, 1, x, 1)) return true;
    if (a & PATTN_GC) {
        process_attention_clear(p, PATTN_GC);
        int r = heap_gc_major(p, 0, x, 1);
        if (r < 0) out_of_memory();
        if (r == HEAP_GC_KILLED && die_of_max_heap(p)) return true;
    }
    if (a & PATTN_BINARIES) {
        process_attention_clear(p, PATTN_BINARIES);
        if (ensure_heap(p, 0, x, 1)) return true;
    }
    return p->suspend_count != 0;
}

/* Records a failed BIF as the top of the stack trace. */
static void note_bif_failure(Process *p, const Export *e, const Term *args)
{
    if (!p->fbif_frame) return;
    p->fbif = e;
    p->fargs = raise_args_list(p, args, e->arity);
}

static Term select_lookup_bin(Term v, const BeamInstr *tab, size_t n, const BeamInstr **dest)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (tab[mid] == v) {
            *dest = (const BeamInstr *)tab[n + mid];
            return AM_true;
        }
        if (tab[mid] < v) lo = mid + 1;
        else hi = mid;
    }
    return AM_false;
}

RunResult interp_run(Process *p)
{
    static const void *const labels[OP_COUNT] = {
#define OP(name, sig) &&L_##name,
#include "runtime/interp/ops.def"
#undef OP
    };
    static const void *const bp_labels[OP_COUNT] = {
#define OP(name, sig) &&L_bp_##name,
#include "runtime/interp/ops.def"
#undef OP
    };
    if (!p) {
        for (int i = 0; i < OP_COUNT; i++) op_addr[i] = labels[i];
        for (int i = 0; i < OP_COUNT; i++) op_bp_addr[i] = bp_labels[i];
        return RUN_EXITED;
    }

    Term xregs[MAX_X_REGS];
    double fr[MAX_X_REGS];
    Term *const x = xregs;
    /* The hottest state is pinned to callee-saved registers: in a function this large
       GCC otherwise may keep I in memory, which costs a load and store per instruction
       (and for HTOP and the reduction count, one per allocation and per call). */
    register const BeamInstr *I asm("r13") = p->i;
    register Term *E asm("r14") = p->stop;
    register Term *HTOP asm("r12") = p->htop;
    register intptr_t reds asm("r15") = SCHED_REDUCTIONS;
    unsigned yield_arity;
    const Export *dirty_export;
    Term map_result, map_missing = NIL;
    /* breakpoint handling (interp_bp.inc): the function's data, its arity, where it goes on */
    const BpData *bp_bd;
    unsigned bp_arity;
    const void *bp_cont;
    /* The slot whose call_count counters this thread adds to: only scheduler threads run
       code, and each owns one. */
    if (prof_slot() < 0) abort();
    const size_t count_slot = (size_t)prof_slot();
    for (int i = 0; i < p->arity; i++) x[i] = p->xsave[i];
    atomic_store_explicit(&sample_limit, 0, memory_order_relaxed); /* asked between slices: no sample */
#ifdef ERBIUM_OPPAIRS
    oppairs_break();
#endif

#define SWAPOUT (p->htop = HTOP, p->stop = E)
#define SWAPIN (HTOP = p->htop, E = p->stop)
/* Atomic (a plain load on x86-64) because a breakpoint may patch the word meanwhile. */
#ifdef ERBIUM_OPPAIRS
#define DISPATCH()                                                                                 \
    do {                                                                                           \
        const void *h_ = (const void *)atomic_load_explicit((_Atomic BeamInstr *)I, memory_order_relaxed); \
        oppairs_note(h_);                                                                          \
        goto *h_;                                                                                  \
    } while (0)
#else
#define DISPATCH() goto *(const void *)atomic_load_explicit((_Atomic BeamInstr *)I, memory_order_relaxed)
#endif
#define NEXT(n)                                                                                    \
    do {                                                                                           \
        I += (n);                                                                                  \
        DISPATCH();                                                                                \
    } while (0)
#define XB(w) (*(Term *)((char *)x + (w)))
#define YB(w) (*(Term *)((char *)E + ((w)-4)))
#define SRC(w) (((w)&3) ? (Term)(w) : (((w)&4) ? YB(w) : XB(w)))
#define DST(w) (*(Term *)(((w)&4) ? (char *)E + ((w)-4) : (char *)x + (w)))
#define FREE_WORDS() (E - HTOP)
/* Makes `need` words free (plus one of slack for a call's return address). */
#define RESERVE(need, live)                                                                        \
    do {                                                                                           \
        if (FREE_WORDS() < (ptrdiff_t)(need) + 1) {                                                \
            SWAPOUT;                                                                               \
            bool killed_ = ensure_heap(p, (size_t)(need) + 1, x, (int)(live));                     \
            SWAPIN;                                                                                \
            if (killed_) goto killed;                                                              \
        }                                                                                          \
    } while (0)
#define FAIL_OR_JUMP(fail)                                                                         \
    do {                                                                                           \
        if (fail) {                                                                                \
            I = (const BeamInstr *)(fail);                                                         \
            DISPATCH();                                                                            \
        }                                                                                          \
        goto raise;                                                                                \
    } while (0)
#define RAISE_ERROR(reason)                                                                        \
    do {                                                                                           \
        p->freason = EXC_ERROR;                                                                    \
        p->fvalue = (reason);                                                                      \
        p->fbif_frame = false;                                                                     \
        goto raise;                                                                                \
    } while (0)
/* Raises error:{Tag, Value}. */
#define RAISE_TAGGED(tag, value)                                                                   \
    do {                                                                                           \
        Term v_ = (value);                                                                         \
        SWAPOUT;                                                                                   \
        Term reason_ = heap_tuple2(p, (tag), v_);                                                 \
        SWAPIN;                                                                                    \
        RAISE_ERROR(reason_);                                                                      \
    } while (0)
/*
 * Jumps to the label in I[1], where the label is often I + `likely` (a test whose
 * fail label is the next clause, right after it or after a fused body). That case
 * takes I from I + likely instead of from the loaded word, behind a comparison the
 * branch predictor guesses, so the next handler reads its operands without waiting
 * for the load (a loop whose base-case test fails each time: 20% faster). The empty
 * asm statements keep GCC from using the loaded word in both arms.
 */
#define JUMP_FAIL(likely)                                                                          \
    do {                                                                                           \
        const BeamInstr *to_ = (const BeamInstr *)I[1], *near_ = I + (likely);                     \
        __asm__("" : "+r"(near_));                                                                 \
        if (to_ == near_) {                                                                        \
            __asm__("" : "+r"(near_));                                                             \
            I = near_;                                                                             \
        } else I = to_;                                                                            \
        DISPATCH();                                                                                \
    } while (0)
#define TEST(cond)                                                                                 \
    do {                                                                                           \
        if (cond) NEXT(1 + TEST_ARGS);                                                             \
        JUMP_FAIL(1 + TEST_ARGS);                                                                  \
    } while (0)

/* Jumps to the function entry in I, or yields there when the slice is over; the stack
   sampler raises sample_limit to have a sample taken here (profiler/sample.h). */
#define ENTER(arity)                                                                               \
    do {                                                                                           \
        if (__builtin_expect(--reds <= atomic_load_explicit(&sample_limit, memory_order_relaxed), 0)) { \
            yield_arity = (arity);                                                                 \
            goto sample_or_yield;                                                                  \
        }                                                                                          \
        DISPATCH();                                                                                \
    } while (0)
/* A local function's arity sits in its func_info, two words before the entry. */
#define LOCAL_ARITY() ((unsigned)I[-2])

    DISPATCH();

    /* ---- function header ---- */
L_i_func_info: {
    unsigned arity = (unsigned)I[3];
    SWAPOUT;
    p->fargs = raise_args_list(p, x, arity);
    SWAPIN;
    RAISE_ERROR(AM_function_clause);
}

    /* ---- calls ---- */
L_i_call:
    *--E = (Term)(I + 2);
    I = (const BeamInstr *)I[1];
    ENTER(LOCAL_ARITY());
L_i_call_last:
    E += I[2];
    I = (const BeamInstr *)I[1];
    ENTER(LOCAL_ARITY());
L_i_call_only:
    I = (const BeamInstr *)I[1];
    ENTER(LOCAL_ARITY());
#define CALL_EXPORT()                                                                              \
    do {                                                                                           \
        const Export *e = (const Export *)I[1];                                                    \
        I = atomic_load_explicit(&e->address, memory_order_acquire);                               \
        ENTER(e->arity);                                                                           \
    } while (0)
L_i_call_ext:
    *--E = (Term)(I + 2);
    CALL_EXPORT();
L_i_call_ext_last:
    E += I[2];
    CALL_EXPORT();
L_i_call_ext_only:
    CALL_EXPORT();
/* Calls the BIF of the Export at I[1] with x0.. as arguments; x0 = result. */
/* CONT moves I (and E) to where the caller goes on: the dirty pool reruns a BIF that
   asked for it (bif_redo_dirty) and the process continues there with the result.
   A BIF that yields (bif_yield_redo) leaves I on this call, which runs again with
   the arguments it left in x. */
#define CALL_EXT_BIF(CONT)                                                                         \
    do {                                                                                           \
        const Export *e = (const Export *)I[1];                                                    \
        SWAPOUT;                                                                                   \
        p->i = I; /* the caller's place: process_info current_stacktrace, check_process_code */   \
        p->fcalls = reds; /* and its reductions so far */                                           \
        Term r = e->bif(p, x);                                                                     \
        if (__builtin_expect(atomic_load_explicit(&sample_limit, memory_order_relaxed) != 0, 0))  \
            sample_take(p, e); /* the sampler asked during the native call */                     \
        if (!is_value(r)) {                                                                        \
            if (__builtin_expect(bif_dirty_redo, 0)) {                                             \
                bif_dirty_redo = false;                                                            \
                SWAPIN;                                                                            \
                dirty_export = e;                                                                  \
                CONT;                                                                              \
                goto dirty;                                                                        \
            }                                                                                      \
            if (__builtin_expect(bif_yield_again, 0)) { /* redo this call in a later slice */      \
                bif_yield_again = false;                                                           \
                SWAPIN;                                                                            \
                yield_arity = e->arity;                                                            \
                goto yield;                                                                        \
            }                                                                                      \
            note_bif_failure(p, e, x);                                                             \
            SWAPIN;                                                                                \
            goto raise;                                                                            \
        }                                                                                          \
        x[0] = r;                                                                                  \
        /* fragments, garbage_collect() of itself, a suspend: one test for all */                  \
        if (__builtin_expect(atomic_load_explicit(&p->attention, memory_order_relaxed) != 0, 0) && \
            attend_after_bif(p, x)) {                                                              \
            reds = 0;                                                                              \
            if (p->exiting) {                                                                      \
                SWAPIN;                                                                            \
                goto killed;                                                                       \
            }                                                                                      \
        }                                                                                          \
        SWAPIN;                                                                                    \
    } while (0)
/* A BIF with a breakpoint is called through its export stub instead, where the
   breakpoint is handled (interp_bp.inc); `frame` makes the call one through the export. */
#define BIF_BREAKPOINT_DIVERT(frame)                                                               \
    do {                                                                                           \
        const Export *be_ = (const Export *)I[1];                                                  \
        if (__builtin_expect(atomic_load_explicit(&be_->bp, memory_order_relaxed) != NULL, 0)) {   \
            frame;                                                                                 \
            I = be_->stub;                                                                         \
            DISPATCH();                                                                            \
        }                                                                                          \
    } while (0)
L_i_call_ext_bif:
    BIF_BREAKPOINT_DIVERT(*--E = (Term)(I + 2));
    CALL_EXT_BIF(I += 2);
    NEXT(2);
L_i_call_ext_bif_last:
    BIF_BREAKPOINT_DIVERT(E += I[2]);
    CALL_EXT_BIF((E += I[2], I = (const BeamInstr *)*E++));
    E += I[2];
    I = (const BeamInstr *)*E++;
    DISPATCH();
L_i_call_ext_bif_only:
    BIF_BREAKPOINT_DIVERT((void)0);
    CALL_EXT_BIF(I = (const BeamInstr *)*E++);
    /* fall through to return */
L_i_return:
    I = (const BeamInstr *)*E++;
    DISPATCH();
L_i_apply: {
    unsigned arity = (unsigned)I[1];
    SWAPOUT;
    const BeamInstr *target = apply_target(p, x[arity], x[arity + 1], arity, x);
    SWAPIN;
    if (!target) goto raise;
    *--E = (Term)(I + 2);
    I = target;
    ENTER(arity);
}
L_i_apply_last: {
    unsigned arity = (unsigned)I[1];
    SWAPOUT;
    const BeamInstr *target = apply_target(p, x[arity], x[arity + 1], arity, x);
    SWAPIN;
    if (!target) goto raise;
    if (*target == op_word(OP_i_call_bif) && raises_here((const Export *)target[1])) {
        /* error/exit/throw keep this frame, as in OTP: the exception's stack
           trace starts at the function that applied them (other BIFs' start at
           the BIF). The loader put deallocate_return after us. */
        *--E = (Term)(I + 3);
        I = target;
        ENTER(arity);
    }
    E += I[2];
    I = target;
    ENTER(arity);
}
/* Calls the fun `fun_expr` with I[1] arguments; `frame` pushes the return
   address (a call) or drops the caller's frame (a tail call) once the fun
   is known to be callable, so an error is raised in the caller. */
/* A local fun of the right arity whose code is loaded is called here; anything else
   (an external fun, badfun, badarity) goes through fun_target. */
#define CALL_FUN(fun_expr, frame)                                                                  \
    do {                                                                                           \
        unsigned arity = (unsigned)I[1], nfree = 0;                                                \
        Term fun = (fun_expr); /* read first: the free variables go over x[arity] */              \
        const BeamInstr *target = NULL;                                                            \
        if (is_boxed_of(fun, HDR_FUN)) {                                                           \
            const Term *f_ = boxed_val(fun);                                                       \
            const FunEntry *fe_ = (const FunEntry *)f_[1];                                         \
            if (fe_->arity == arity && (target = __atomic_load_n(&fe_->address, __ATOMIC_ACQUIRE))) { \
                nfree = fe_->num_free;                                                             \
                for (unsigned i_ = 0; i_ < nfree; i_++) x[arity + i_] = f_[FUN_FIXED_WORDS + i_];  \
            }                                                                                      \
        }                                                                                          \
        if (!target) {                                                                             \
            SWAPOUT;                                                                               \
            target = fun_target(p, fun, arity, x);                                                 \
            SWAPIN;                                                                                \
            if (!target) goto raise;                                                               \
            nfree = fun_free_vars(fun);                                                            \
        }                                                                                          \
        frame;                                                                                     \
        I = target;                                                                                \
        ENTER(arity + nfree);                                                                      \
    } while (0)
L_i_call_fun:
    CALL_FUN(x[I[1]], *--E = (Term)(I + 2));
L_i_call_fun_last:
    CALL_FUN(x[I[1]], E += I[2]);
L_i_call_fun2:
    CALL_FUN(SRC(I[2]), *--E = (Term)(I + 3));
L_i_call_fun2_last:
    CALL_FUN(SRC(I[2]), E += I[3]);
#undef CALL_FUN

    /* ---- frames and heap ---- */
/* Sets the n new y slots to NIL; frames are mostly one to three slots, which
   take straight-line code (a loop costs a few instructions more per frame). */
#define CLEAR_FRAME(n)                                                                             \
    do {                                                                                           \
        size_t n_ = (n);                                                                           \
        if (n_ > 0) E[0] = NIL;                                                                    \
        if (n_ > 1) E[1] = NIL;                                                                    \
        for (size_t i = 2; i < n_; i++) E[i] = NIL;                                                \
    } while (0)
L_i_allocate: {
    size_t n = I[1];
    RESERVE(n, I[2]);
    E -= n;
    CLEAR_FRAME(n);
    NEXT(3);
}
L_i_allocate_heap: {
    size_t n = I[1];
    RESERVE(n + I[2], I[3]);
    E -= n;
    CLEAR_FRAME(n);
    NEXT(4);
}
L_i_test_heap:
    RESERVE(I[1], I[2]);
    NEXT(3);
L_i_deallocate:
    E += I[1];
    NEXT(2);
L_i_trim:
    /* y(N+i) becomes y(i): the slots stay where they are, the frame start moves */
    E += I[1];
    NEXT(3);
L_i_init_yregs: {
    size_t n = I[1];
    for (size_t i = 0; i < n; i++) YB(I[2 + i]) = NIL;
    NEXT(2 + n);
}

    /* ---- moves ---- */
L_i_move:
    DST(I[2]) = SRC(I[1]);
    NEXT(3);
L_i_move_xx:
    XB(I[2]) = XB(I[1]);
    NEXT(3);
L_i_move_xy:
    YB(I[2]) = XB(I[1]);
    NEXT(3);
L_i_move_yx:
    XB(I[2]) = YB(I[1]);
    NEXT(3);
L_i_move_cx:
    XB(I[2]) = (Term)I[1];
    NEXT(3);
L_i_swap: {
    Term t = DST(I[1]);
    DST(I[1]) = DST(I[2]);
    DST(I[2]) = t;
    NEXT(3);
}

    /* ---- lists and tuples ---- */
L_i_get_list: {
    Term *cell = list_val(SRC(I[1]));
    Term h = CAR(cell), t = CDR(cell);
    DST(I[2]) = h;
    DST(I[3]) = t;
    NEXT(4);
}
L_i_get_hd:
    DST(I[2]) = CAR(list_val(SRC(I[1])));
    NEXT(3);
L_i_get_tl:
    DST(I[2]) = CDR(list_val(SRC(I[1])));
    NEXT(3);
L_i_put_list: {
    HTOP[0] = SRC(I[1]);
    HTOP[1] = SRC(I[2]);
    DST(I[3]) = make_list(HTOP);
    HTOP += 2;
    NEXT(4);
}
L_i_put_tuple2: {
    size_t n = I[2];
    Term *hp = HTOP;
    hp[0] = make_tuple_header(n);
    for (size_t i = 0; i < n; i++) hp[1 + i] = SRC(I[3 + i]);
    HTOP += n + 1;
    DST(I[1]) = make_boxed(hp);
    NEXT(3 + n);
}
L_i_get_tuple_element:
    DST(I[3]) = tuple_elems(SRC(I[1]))[I[2]];
    NEXT(4);
L_i_set_tuple_element:
    tuple_elems(DST(I[2]))[I[3]] = SRC(I[1]);
    NEXT(4);

    /* ---- comparisons and tests ---- */
#define TEST_ARGS 3
/* a < b and a >= b in term order; two floats compare as doubles (float loops test them
   against a float literal). (TERM_LT and TERM_GE serve interp_fused.inc too.) */
#define BOTH_FLOAT(a, b) (is_float(a) && is_float(b))
#define TERM_LT(a, b)                                                                              \
    (both_small(a, b)   ? (intptr_t)(a) < (intptr_t)(b)                                            \
     : BOTH_FLOAT(a, b) ? float_val(a) < float_val(b)                                              \
                        : term_compare(a, b) < 0)
#define TERM_GE(a, b)                                                                              \
    (both_small(a, b)   ? (intptr_t)(a) >= (intptr_t)(b)                                           \
     : BOTH_FLOAT(a, b) ? float_val(a) >= float_val(b)                                             \
                        : term_compare(a, b) >= 0)
L_i_is_lt: {
    Term a = SRC(I[2]), b = SRC(I[3]);
    TEST(TERM_LT(a, b));
}
L_i_is_ge: {
    Term a = SRC(I[2]), b = SRC(I[3]);
    TEST(TERM_GE(a, b));
}
L_i_is_eq: {
    Term a = SRC(I[2]), b = SRC(I[3]);
    TEST(a == b || (!(is_immed(a) && is_immed(b)) && term_eq(a, b)));
}
L_i_is_ne: {
    Term a = SRC(I[2]), b = SRC(I[3]);
    TEST(!(a == b || (!(is_immed(a) && is_immed(b)) && term_eq(a, b))));
}
L_i_is_eq_exact: {
    Term a = SRC(I[2]), b = SRC(I[3]);
    TEST(a == b || (!is_immed(a) && !is_immed(b) && term_eq_exact(a, b)));
}
L_i_is_ne_exact: {
    Term a = SRC(I[2]), b = SRC(I[3]);
    TEST(!(a == b || (!is_immed(a) && !is_immed(b) && term_eq_exact(a, b))));
}
L_i_is_eq_exact_immed:
    TEST(SRC(I[2]) == (Term)I[3]);
L_i_is_ne_exact_immed:
    TEST(SRC(I[2]) != (Term)I[3]);
L_i_is_lt_xc: {
    Term a = XB(I[2]), b = (Term)I[3];
    TEST(is_small(a) ? (intptr_t)a < (intptr_t)b : term_compare(a, b) < 0);
}
L_i_is_ge_xc: {
    Term a = XB(I[2]), b = (Term)I[3];
    TEST(is_small(a) ? (intptr_t)a >= (intptr_t)b : term_compare(a, b) >= 0);
}
L_i_is_function2: {
    Term f = SRC(I[2]), a = SRC(I[3]);
    bool ok = false;
    if (is_small(a) && is_fun(f)) {
        Term *b = boxed_val(f);
        intptr_t want = small_val(a);
        if (header_subtag(b[0]) == HDR_FUN) ok = ((const FunEntry *)b[1])->arity == (uint32_t)want;
        else ok = ((const Export *)b[1])->arity == (uint32_t)want;
    }
    TEST(ok);
}
L_i_test_arity: {
    Term t = SRC(I[2]);
    TEST(tuple_arity(t) == I[3]);
}
L_i_is_tuple_arity: {
    Term t = SRC(I[2]);
    TEST(is_boxed(t) && boxed_val(t)[0] == make_tuple_header(I[3]));
}
#undef TEST_ARGS
#define TEST_ARGS 4
L_i_is_tagged_tuple: {
    Term t = SRC(I[2]);
    TEST(is_tuple(t) && tuple_arity(t) == I[3] && tuple_elems(t)[0] == (Term)I[4]);
}
#undef TEST_ARGS
#define TEST_ARGS 2
L_i_is_integer:
    TEST(is_integer(SRC(I[2])));
L_i_is_float:
    TEST(is_float(SRC(I[2])));
L_i_is_number:
    TEST(is_number(SRC(I[2])));
L_i_is_atom:
    TEST(is_atom(SRC(I[2])));
L_i_is_pid:
    TEST(is_pid(SRC(I[2])));
L_i_is_reference:
    TEST(is_ref(SRC(I[2])));
L_i_is_port:
    TEST(is_port(SRC(I[2])));
L_i_is_nil:
    TEST(is_nil(SRC(I[2])));
L_i_is_binary:
    TEST(binary_is_binary(SRC(I[2])));
L_i_is_bitstr:
    TEST(is_bitstring(SRC(I[2])));
L_i_is_list: {
    Term t = SRC(I[2]);
    TEST(is_list(t) || is_nil(t));
}
L_i_is_nonempty_list:
    TEST(is_list(SRC(I[2])));
L_i_is_tuple:
    TEST(is_tuple(SRC(I[2])));
L_i_is_boolean: {
    Term t = SRC(I[2]);
    TEST(t == AM_true || t == AM_false);
}
L_i_is_function:
    TEST(is_fun(SRC(I[2])));
L_i_is_map:
    TEST(is_map(SRC(I[2])));
#undef TEST_ARGS

L_i_select_val_lin: {
    Term v = SRC(I[1]);
    size_t n = I[3];
    const BeamInstr *vals = I + 4;
    for (size_t i = 0; i < n; i++) {
        Term c = (Term)vals[i];
        if (c == v || (!is_immed(c) && !is_immed(v) && term_eq_exact(c, v))) {
            I = (const BeamInstr *)vals[n + i];
            DISPATCH();
        }
    }
    I = (const BeamInstr *)I[2];
    DISPATCH();
}
L_i_select_val_bin: {
    const BeamInstr *dest;
    if (select_lookup_bin(SRC(I[1]), I + 4, I[3], &dest) == AM_true) I = dest;
    else I = (const BeamInstr *)I[2];
    DISPATCH();
}
L_i_select_tuple_arity: {
    size_t arity = tuple_arity(SRC(I[1]));
    size_t n = I[3];
    for (size_t i = 0; i < n; i++) {
        if (I[4 + i] == arity) {
            I = (const BeamInstr *)I[4 + n + i];
            DISPATCH();
        }
    }
    I = (const BeamInstr *)I[2];
    DISPATCH();
}
L_i_jump:
    I = (const BeamInstr *)I[1];
    DISPATCH();

    /* ---- BIFs ---- */
#define CALL_BIF(nargs, ...)                                                                       \
    do {                                                                                           \
        const Export *e = (const Export *)I[2];                                                    \
        Term args[3] = {__VA_ARGS__};                                                              \
        SWAPOUT;                                                                                   \
        Term r = e->bif(p, args);                                                                  \
        if (is_value(r)) {                                                                         \
            SWAPIN;                                                                                \
            DST(I[3 + (nargs)]) = r;                                                               \
            NEXT(4 + (nargs));                                                                     \
        }                                                                                          \
        if (!I[1]) note_bif_failure(p, e, args); /* allocates: before SWAPIN */                   \
        SWAPIN;                                                                                    \
        if (I[1]) {                                                                                \
            I = (const BeamInstr *)I[1];                                                           \
            DISPATCH();                                                                            \
        }                                                                                          \
        goto raise;                                                                                \
    } while (0)
L_i_bif0: {
    const Export *e = (const Export *)I[1];
    SWAPOUT;
    Term r = e->bif(p, x);
    SWAPIN;
    DST(I[2]) = r;
    NEXT(3);
}
L_i_self:
    DST(I[1]) = p->pid;
    NEXT(2);
L_i_bif1:
L_i_gc_bif1:
    CALL_BIF(1, SRC(I[3]));
L_i_bif2:
L_i_gc_bif2:
    CALL_BIF(2, SRC(I[3]), SRC(I[4]));
L_i_gc_bif3:
    CALL_BIF(3, SRC(I[3]), SRC(I[4]), SRC(I[5]));
#undef CALL_BIF

/*
 * An arithmetic instruction with a small-integer fast path: `then` continues after it.
 * `frame` says whether a failure outside a guard puts erlang:'+'/2 or '-'/2 on top of
 * the stack trace: OTP's loader makes R + Int, Int + R and R - Int (R a register, Int a
 * small integer, not negative in R - Int) an increment instruction whose badarith names no
 * BIF, and every other form a call of the BIF.
 */
#define ARITH_THEN(fast_cond, fast_expr, slow_fn, frame, a, b, dst, then)                          \
    ARITH_SPLIT(fast_cond, fast_expr, slow_fn, frame, a, b, dst, then, then)
/* The same, going on with `fast_then` after the fast path, where the result is the small
   integer (Term)r_ in a C variable, and with `slow_then` after the slow one. */
#define ARITH_SPLIT(fast_cond, fast_expr, slow_fn, frame, a, b, dst, fast_then, slow_then)         \
    do {                                                                                           \
        Term a_ = (a), b_ = (b);                                                                   \
        intptr_t r_;                                                                               \
        /* expected: GCC then keeps the fast path in line instead of behind two taken jumps */    \
        if (__builtin_expect(fast_cond && !fast_expr, 1)) {                                        \
            dst = (Term)r_;                                                                        \
            fast_then;                                                                             \
        }                                                                                          \
        SWAPOUT;                                                                                   \
        Term res_ = slow_fn(p, a_, b_);                                                            \
        if (!is_value(res_) && !I[1] && (frame)) {                                                  \
            Term args_[2] = {a_, b_};                                                              \
            note_bif_failure(p, slow_fn##_export, args_); /* allocates: before SWAPIN */          \
        }                                                                                          \
        SWAPIN;                                                                                    \
        if (is_value(res_)) {                                                                      \
            dst = res_;                                                                            \
            slow_then;                                                                             \
        }                                                                                          \
        if (I[1]) {                                                                                \
            I = (const BeamInstr *)I[1];                                                           \
            DISPATCH();                                                                            \
        }                                                                                          \
        goto raise;                                                                                \
    } while (0)
#define ARITH(fast_cond, fast_expr, slow_fn, frame, a, b, dst, size)                               \
    ARITH_THEN(fast_cond, fast_expr, slow_fn, frame, a, b, dst, NEXT(size))
/* generic operand words: a register is a byte offset (low bits 00), a constant its term */
#define OPERAND_IS_REG(op) (((op)&3) == 0)
#define OPERAND_IS_SMALL(op) (!OPERAND_IS_REG(op) && is_small((Term)(op)))
#define PLUS_FRAME(a, b)                                                                           \
    (!((OPERAND_IS_REG(a) && OPERAND_IS_SMALL(b)) || (OPERAND_IS_REG(b) && OPERAND_IS_SMALL(a))))
#define MINUS_FRAME(a, b) (!(OPERAND_IS_REG(a) && OPERAND_IS_SMALL(b) && small_val((Term)(b)) >= 0))
/* (a - tag) + b keeps the tag; the 64-bit overflow check is exactly the 60-bit one. */
#define ADD_SMALL(a, b) __builtin_add_overflow((intptr_t)((a)-TAG_IMMED1_SMALL), (intptr_t)(b), &r_)
#define SUB_SMALL(a, b) __builtin_sub_overflow((intptr_t)(a), (intptr_t)((b)-TAG_IMMED1_SMALL), &r_)
L_i_plus:
    ARITH(both_small(a_, b_), ADD_SMALL(a_, b_), arith_add, PLUS_FRAME(I[2], I[3]), SRC(I[2]), SRC(I[3]), DST(I[4]), 5);
L_i_minus:
    ARITH(both_small(a_, b_), SUB_SMALL(a_, b_), arith_sub, MINUS_FRAME(I[2], I[3]), SRC(I[2]), SRC(I[3]), DST(I[4]), 5);
L_i_plus_xc:
    ARITH(is_small(a_), ADD_SMALL(a_, b_), arith_add, false, XB(I[2]), (Term)I[3], DST(I[4]), 5);
L_i_minus_xc:
    ARITH(is_small(a_), SUB_SMALL(a_, b_), arith_sub, small_val((Term)I[3]) < 0, XB(I[2]), (Term)I[3], DST(I[4]), 5);
L_i_plus_xcx:
    ARITH(is_small(a_), ADD_SMALL(a_, b_), arith_add, false, XB(I[2]), (Term)I[3], XB(I[4]), 5);
L_i_minus_xcx:
    ARITH(is_small(a_), SUB_SMALL(a_, b_), arith_sub, small_val((Term)I[3]) < 0, XB(I[2]), (Term)I[3], XB(I[4]), 5);
/* (ARITH, ADD_SMALL and SUB_SMALL serve interp_fused.inc too) */

/* Operators whose small-integer case is done here; `ok` computes r_ from a_ and b_
   (both small) or says no, and everything else is the BIF's call (i_gc_bif2). */
#define SMALL_OP2(ok)                                                                              \
    do {                                                                                           \
        Term a_ = SRC(I[3]), b_ = SRC(I[4]);                                                       \
        intptr_t r_;                                                                               \
        if (both_small(a_, b_) && (ok)) {                                                          \
            DST(I[5]) = (Term)r_;                                                                  \
            NEXT(6);                                                                               \
        }                                                                                          \
        goto L_i_gc_bif2;                                                                          \
    } while (0)
/* a small result as a term, if it is one */
#define SMALL_RESULT(v) (small_fits(v) && (r_ = (intptr_t)make_small(v), true))
L_i_times: {
    intptr_t v;
    SMALL_OP2(!__builtin_mul_overflow(small_val(a_), small_val(b_), &v) && SMALL_RESULT(v));
}
L_i_int_div:
    SMALL_OP2(b_ != make_small(0) && SMALL_RESULT(small_val(a_) / small_val(b_)));
L_i_rem:
    SMALL_OP2(b_ != make_small(0) && SMALL_RESULT(small_val(a_) % small_val(b_)));
L_i_band:
    SMALL_OP2((r_ = (intptr_t)(a_ & b_), true));
L_i_bor:
    SMALL_OP2((r_ = (intptr_t)(a_ | b_), true));
L_i_bsr:
    SMALL_OP2(small_val(b_) >= 0 && small_val(b_) < 64 && SMALL_RESULT(small_val(a_) >> small_val(b_)));
/* a << n, done unsigned; no bits were lost when shifting back gives a again */
#define SHL(a, n) ((intptr_t)((uintptr_t)(a) << (n)))
L_i_bsl:
    SMALL_OP2(small_val(b_) >= 0 && small_val(b_) < SMALL_BITS &&
              (SHL(small_val(a_), small_val(b_)) >> small_val(b_)) == small_val(a_) &&
              SMALL_RESULT(SHL(small_val(a_), small_val(b_))));
#undef SHL
L_i_element: {
    /* element(N, Tuple) with a small N inside the tuple; else the BIF raises */
    Term n_ = SRC(I[3]), t_ = SRC(I[4]);
    if (is_small(n_) && is_tuple(t_) && (uintptr_t)small_val(n_) - 1 < tuple_arity(t_)) {
        DST(I[5]) = tuple_elems(t_)[small_val(n_) - 1];
        NEXT(6);
    }
    goto L_i_bif2;
}
#undef SMALL_OP2
#undef SMALL_RESULT

    /* ---- messages ---- */
#include "runtime/interp/interp_msg.inc"

    /* ---- maps ---- */
#include "runtime/interp/interp_map.inc"

    /* ---- funs ---- */
L_i_make_fun: {
    const FunEntry *fe = (const FunEntry *)I[1];
    size_t n = I[3];
    Term *hp = HTOP;
    hp[0] = make_header(FUN_FIXED_WORDS - 1 + n, HDR_FUN);
    hp[1] = (Term)fe;
    hp[2] = p->pid;
    for (size_t i = 0; i < n; i++) hp[FUN_FIXED_WORDS + i] = SRC(I[4 + i]);
    HTOP += FUN_FIXED_WORDS + n;
    DST(I[2]) = make_boxed(hp);
    NEXT(4 + n);
}

    /* ---- exceptions ---- */
L_i_catch:
    YB(I[1]) = make_catch((uint32_t)I[2]);
    p->catches++;
    NEXT(3);
L_i_catch_end:
    YB(I[1]) = NIL;
    p->catches--;
    if (x[0] == THE_NON_VALUE) {
        SWAPOUT;
        x[0] = raise_catch_value(p, x[1], x[2], x[3]);
        SWAPIN;
    }
    NEXT(2);
L_i_try_end:
    YB(I[1]) = NIL;
    p->catches--;
    NEXT(2);
L_i_try_case:
    YB(I[1]) = NIL;
    p->catches--;
    x[0] = x[1];
    x[1] = x[2];
    x[2] = x[3];
    NEXT(2);
L_i_try_case_end:
    RAISE_TAGGED(AM_try_clause, SRC(I[1]));
L_i_raise: {
    Term raw = SRC(I[1]);
    p->fvalue = SRC(I[2]);
    if (raise_is_raw_trace(raw)) {
        p->freason = raise_raw_class(raw);
        p->ftrace = raise_raw_list(raw);
    } else {
        p->freason = EXC_ERROR;
    }
    goto raise;
}
L_i_raw_raise: {
    int cls = raise_class_from_atom(x[0]);
    if (cls == EXC_NONE) {
        x[0] = AM_badarg;
        NEXT(1);
    }
    p->freason = cls;
    p->fvalue = x[1];
    if (raise_is_raw_trace(x[2])) p->ftrace = raise_raw_list(x[2]);
    goto raise;
}
L_i_build_stacktrace:
    x[0] = raise_is_raw_trace(x[0]) ? raise_raw_list(x[0]) : NIL;
    NEXT(1);
L_i_badmatch:
    RAISE_TAGGED(AM_badmatch, SRC(I[1]));
L_i_case_end:
    RAISE_TAGGED(AM_case_clause, SRC(I[1]));
L_i_badrecord:
    RAISE_TAGGED(AM_badrecord, SRC(I[1]));
L_i_if_end:
    RAISE_ERROR(AM_if_clause);

    /* ---- floats ---- */
L_i_fmove_in:
    fr[I[2]] = float_val(SRC(I[1]));
    NEXT(3);
L_i_fmove_out:
    DST(I[2]) = make_float(HTOP, fr[I[1]]);
    HTOP += FLOAT_WORDS;
    NEXT(3);
L_i_fmove_ff:
    fr[I[2]] = fr[I[1]];
    NEXT(3);
L_i_fconv: {
    Term t = SRC(I[1]);
    /* a float too (the compiler converts what it cannot prove is one: element/2's results) */
    if (is_small(t)) fr[I[2]] = (double)small_val(t);
    else if (is_float(t)) fr[I[2]] = float_val(t);
    else if (!arith_to_double(t, &fr[I[2]])) RAISE_ERROR(AM_badarith);
    NEXT(3);
}
#define FLOAT_OP(op)                                                                               \
    do {                                                                                           \
        double r_ = fr[I[1]] op fr[I[2]];                                                          \
        if (!isfinite(r_)) RAISE_ERROR(AM_badarith);                                               \
        fr[I[3]] = r_;                                                                             \
        NEXT(4);                                                                                   \
    } while (0)
L_i_fadd:
    FLOAT_OP(+);
L_i_fsub:
    FLOAT_OP(-);
L_i_fmul:
    FLOAT_OP(*);
L_i_fdiv:
    FLOAT_OP(/);
#undef FLOAT_OP
L_i_fnegate:
    fr[I[2]] = 0.0 - fr[I[1]]; /* as OTP: -(0.0) is 0.0 */
    NEXT(3);

    /* ---- binary construction and matching ---- */
#include "runtime/interp/interp_bs.inc"

    /* ---- superinstructions ---- */
#include "runtime/interp/interp_fused.inc"

    /* ---- stubs ---- */
L_i_call_undefined: {
    Export *e = (Export *)I[1];
    SWAPOUT;
    const BeamInstr *target = resolve_undefined(p, e, x);
    SWAPIN;
    if (!target) goto raise;
    I = target;
    DISPATCH();
}
L_i_call_bif:
    if (__builtin_expect(atomic_load_explicit(&((const Export *)I[1])->bp, memory_order_relaxed) != NULL, 0))
        goto bif_breakpoint; /* interp_bp.inc: it comes back to bif_call */
bif_call:
    if (__builtin_expect(((const Export *)I[1])->dirty != 0, 0)) {
        /* a dirty native (only ever reached here, see load.c) leaves the scheduler and
           goes on at the return address once the dirty pool has run it */
        dirty_export = (const Export *)I[1];
        I = (const BeamInstr *)*E++;
        goto dirty;
    }
    CALL_EXT_BIF(I = (const BeamInstr *)*E++);
    I = (const BeamInstr *)*E++;
    DISPATCH();
L_i_apply_bif: {
    Term mod = x[0], fun = x[1], args = x[2];
    const BeamInstr *target = NULL;
    SWAPOUT;
    int arity = is_atom(mod) && is_atom(fun) ? list_to_xregs(args, x, 0) : -1;
    if (arity >= 0) target = apply_target(p, mod, fun, (unsigned)arity, x);
    else apply_badarg(p, mod, fun, args);
    SWAPIN;
    if (!target) goto raise;
    I = target;
    ENTER((unsigned)arity);
}
L_i_call_on_load: {
    const Module *m = is_atom(x[0]) ? module_find_pending(x[0]) : NULL;
    if (!m) {
        SWAPOUT;
        bif_badarg(p, on_load_export, x);
        SWAPIN;
        goto raise;
    }
    I = m->on_load->start + FUNC_INFO_WORDS;
    ENTER(0);
}
L_i_hibernate: {
    /* The stack goes (the exit stub at its bottom stays), the heap is collected, and
       apply(M, F, Args) runs when a message is there: at once if one is queued. */
    if (!is_atom(x[0]) || !is_atom(x[1]) || !proper_list(x[2])) {
        SWAPOUT;
        bif_badarg(p, hibernate3_export, x);
        SWAPIN;
        goto raise;
    }
    E = p->hend - 1;
    p->catches = 0;
    SWAPOUT;
    bool killed = signal_handle_pending(p);
    if (!killed) killed = heap_gc_major(p, 0, x, 3) == HEAP_GC_KILLED && die_of_max_heap(p);
    SWAPIN;
    if (killed) goto killed;
    mbox_rewind(&p->mbox);
    I = hibernate_wake_stub;
    if (p->mbox.len > 0) goto L_i_apply_bif;
    goto hibernate_wait;
}
L_i_hibernate_wake: {
    /* Only a message ends hibernation, as in OTP: a link, monitor or resume
       signal that got the process scheduled leaves it waiting. */
    SWAPOUT;
    bool killed = signal_handle_pending(p);
    SWAPIN;
    if (killed) goto killed;
    if (p->mbox.len > 0) goto L_i_apply_bif;
hibernate_wait:
    SWAPOUT;
    process_reserve_xsave(p, 3);
    for (int i = 0; i < 3; i++) p->xsave[i] = x[i];
    p->arity = 3;
    p->i = I;
    p->reductions += (uint64_t)(SCHED_REDUCTIONS - reds);
    return RUN_WAIT;
}
L_i_apply_fun_bif: {
    Term fun = x[0], args = x[1];
    int arity = list_to_xregs(args, x, 0);
    if (arity < 0) {
        SWAPOUT;
        apply_badarg(p, fun, args, NIL);
        SWAPIN;
        goto raise;
    }
    x[arity] = fun;
    SWAPOUT;
    const BeamInstr *target = fun_target(p, fun, (unsigned)arity, x);
    SWAPIN;
    if (!target) goto raise;
    I = target;
    ENTER((unsigned)arity + fun_free_vars(fun));
}
L_i_raise_pending:
    goto raise;

    /* ---- profiling breakpoints ---- */
#include "runtime/interp/interp_bp.inc"

    /* ---- debugger breakpoints: the word of a site (runtime/debug/dbg.h) ---- */
L_i_debug_break: {
    SWAPOUT;
    DbgGo go = dbg_hit(p, I, x);
    SWAPIN;
    if (go.exit_frame) { /* a function entry with call events: its return reaches i_debug_exit */
        RESERVE(DBG_EXIT_FRAME_WORDS, LOCAL_ARITY()); /* I is the entry: the arguments are live */
        E -= DBG_EXIT_FRAME_WORDS;
        E[0] = (Term)debug_exit_stub;
        for (unsigned k = 1; k < DBG_EXIT_FRAME_WORDS; k++) E[k] = go.frame[k - 1];
        p->dbg_exit_frames = true;
    }
    if (go.suspend) { /* waits here, its live registers saved, until resumed */
        yield_arity = go.live;
        goto yield;
    }
    I = go.pc;
    goto *(const void *)go.word;
}
L_i_debug_exit: /* the return popped the stub */
    SWAPOUT;
    dbg_exit(p, E, x[0]);
    SWAPIN;
    E += DBG_EXIT_FRAME_WORDS - 1;
    I = (const BeamInstr *)*E++;
    DISPATCH();
L_i_process_exit:
    p->freason = EXC_NONE;
    p->fvalue = AM_normal;
    SWAPOUT;
    p->i = I;
    p->reductions += (uint64_t)(SCHED_REDUCTIONS - reds);
    return RUN_EXITED;

sample_or_yield:
    if (reds > 0) { /* the stack sampler asked (sample.h) */
        SWAPOUT;
        p->i = I;
        sample_take(p, NULL);
        DISPATCH();
    }
yield:
    SWAPOUT;
    process_reserve_xsave(p, (int)yield_arity);
    for (unsigned i = 0; i < yield_arity; i++) p->xsave[i] = x[i];
    p->arity = (int)yield_arity;
    p->i = I;
    p->reductions += (uint64_t)(SCHED_REDUCTIONS - reds);
    return RUN_YIELD;

dirty:
    /* the arguments go with the process; the result comes back as x0 */
    yield_arity = dirty_export->arity;
    p->dirty_call = dirty_export;
    SWAPOUT;
    process_reserve_xsave(p, (int)yield_arity);
    for (unsigned i = 0; i < yield_arity; i++) p->xsave[i] = x[i];
    p->arity = (int)yield_arity;
    p->i = I;
    p->reductions += (uint64_t)(SCHED_REDUCTIONS - reds);
    return RUN_DIRTY;

raise:
    if (p->exiting) goto killed; /* exit signals are not exceptions: no catch sees them */
    SWAPOUT;
    I = raise_unwind(p, I, &p->stop, x);
    SWAPIN;
    if (I) DISPATCH();
    p->i = NULL;
    p->reductions += (uint64_t)(SCHED_REDUCTIONS - reds);
    return RUN_EXITED;

killed:
    SWAPOUT;
    p->i = NULL;
    p->reductions += (uint64_t)(SCHED_REDUCTIONS - reds);
    return RUN_EXITED;
}

void interp_run_dirty_call(Process *p)
{
    const Export *e = p->dirty_call;
    Term r = e->bif(p, p->xsave);
    p->dirty_call = NULL;
    if (is_value(r)) {
        p->xsave[0] = r;
        p->arity = 1;
        return;
    }
    note_bif_failure(p, e, p->xsave);
    p->arity = 0;
    p->i = raise_stub;
}

void interp_init(void)
{
    if (op_addr[0]) return;
    interp_run(NULL);
    apply3_export = export_get(AM_erlang, atom_from_cstr("apply"), 3);
    send2_export = export_get(AM_erlang, atom_from_cstr("send"), 2);
    arith_add_export = export_get(AM_erlang, atom_from_cstr("+"), 2);
    arith_sub_export = export_get(AM_erlang, atom_from_cstr("-"), 2);
    hibernate3_export = export_get(AM_erlang, atom_from_cstr("hibernate"), 3);
    exit_stub[0] = op_word(OP_i_process_exit);
    raise_stub[0] = op_word(OP_i_raise_pending);
    apply2_stub[0] = op_word(OP_i_apply_fun_bif);
    apply3_stub[0] = op_word(OP_i_apply_bif);
    hibernate_stub[0] = op_word(OP_i_hibernate);
    hibernate_wake_stub[0] = op_word(OP_i_hibernate_wake);
    time_return_stub[0] = op_word(OP_i_time_return);
    on_load_stub[0] = op_word(OP_i_call_on_load);
    on_load_export = export_get(AM_erlang, atom_from_cstr("call_on_load_function"), 1);
    return_trace_stub[0] = op_word(OP_i_return_trace);
    exception_trace_stub[0] = op_word(OP_i_exception_trace);
    meta_return_stub[0] = op_word(OP_i_meta_return_trace);
    meta_exception_stub[0] = op_word(OP_i_meta_exception_trace);
    return_to_stub[0] = op_word(OP_i_return_to_trace);
    debug_exit_stub[0] = op_word(OP_i_debug_exit);
}
