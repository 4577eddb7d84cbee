/*
 * dbg_inspect.c - reading a suspended process: stack frames, their y
 * slots, live x registers (see dbg.h).
 *
 * erbium's stack keeps return addresses as code pointers (tag 00, which no
 * term has): a call pushes the return address, and the callee's frame
 * (y0 lowest) lies below it. Frames are numbered from the bottom as OTP 28
 * numbers them: frame 0 is the process's exit stub with no slots; frame k
 * (k >= 1) names the function its k-th return address points into, with
 * the y slots just above that address (the slots of that function's
 * frame); the top frame names the function at the current instruction,
 * with the slots from the stack top up. A process at a breakpoint gets one
 * more frame, '<breakpoint>', whose slots are its live x registers.
 */
#include "runtime/debug/dbg.h"

#include "runtime/interp/catch_table.h"
#include "runtime/interp/interp.h"
#include "runtime/proc/heap.h"
#include "runtime/proc/proc_table.h"
#include "runtime/term/map.h"
#include "runtime/term/term_print.h"
#include "sched/sched.h"

#include <stdlib.h>

/* ---- opening a view ---- */

/*
 * With q's status lock held (a scheduler holds it for a whole slice): at a
 * breakpoint hit its slice has ended with the registers saved; otherwise
 * it must be suspended and not running (a process suspended while one of
 * its BIFs gave up its lock runs until that BIF returns).
 */
static bool stands_still(const Process *q, Term pid)
{
    int st = atomic_load(&q->sched_state);
    if (__atomic_load_n(&q->pid, __ATOMIC_ACQUIRE) != pid || st == PS_EXITED) return false;
    return q->dbg_hit != 0 || (q->suspend_count > 0 && (st == PS_IDLE || st == PS_QUEUED));
}

static void fill_view(Process *q, DbgView *v)
{
    v->q = q;
    v->xregs = q->xsave;
    v->live = (unsigned)q->arity;
    v->pc = q->dbg_pc && q->dbg_hit == 0 ? q->dbg_pc : q->i; /* resumed, not run yet: at its site */
    v->at_break = q->dbg_hit != 0;
}

bool dbg_view_open(Process *caller, Term pid, DbgView *v)
{
    Process *q = ptab_lookup(pid);
    if (!q || q == caller) return false;
    /* both locks, in address order (as process_info): the result is built on caller's heap */
    if (caller) pthread_mutex_unlock(&caller->status_lock);
    Process *first = caller && caller < q ? caller : q, *second = first == q ? caller : q;
    pthread_mutex_lock(&first->status_lock);
    if (second) pthread_mutex_lock(&second->status_lock);
    if (stands_still(q, pid)) {
        fill_view(q, v);
        return true;
    }
    pthread_mutex_unlock(&q->status_lock);
    return false;
}

void dbg_view_close(Process *caller, DbgView *v)
{
    (void)caller;
    pthread_mutex_unlock(&v->q->status_lock);
}

/* ---- frames ---- */

/* A return address: a code word that is not the agent's exit frame stub (which is no frame of its own). */
static bool is_code_word(Term w) { return (w & 3) == 0 && w != (Term)interp_debug_exit_stub(); }

/* The return addresses on the stack, bottom first; *n of them. */
static const Term **return_addresses(const DbgView *v, size_t *n)
{
    const Process *q = v->q;
    size_t count = 0;
    for (const Term *s = q->stop; s < q->hend; s++) count += is_code_word(*s);
    const Term **cps = malloc((count ? count : 1) * sizeof *cps);
    if (!cps) abort();
    size_t k = 0;
    for (const Term *s = q->hend; s-- > q->stop;)
        if (is_code_word(*s)) cps[k++] = s;
    *n = k;
    return cps;
}

/* The slots of frame k (of n return addresses): [*lo, *hi), y0 first. */
static void frame_slots(const DbgView *v, const Term **cps, size_t n, size_t k, const Term **lo, const Term **hi)
{
    if (k == 0) {
        *lo = *hi = cps[0];
        return;
    }
    *hi = cps[k - 1];
    *lo = k < n ? cps[k] + 1 : v->q->stop;
    /* exit frames (dbg.h) lie just below the return address, one per call made through it */
    while (*hi - DBG_EXIT_FRAME_WORDS >= *lo && (*hi)[-DBG_EXIT_FRAME_WORDS] == (Term)interp_debug_exit_stub())
        *hi -= DBG_EXIT_FRAME_WORDS;
}

/* {M,F,A} and line of code at pc (a return address looks at its call). */
static const FuncRange *code_info(const BeamInstr *pc, bool ret, Module **m, uint32_t *line)
{
    const FuncRange *f = module_func_at(ret ? pc - 1 : pc, m);
    uint32_t file;
    *line = 0;
    if (f) module_location(*m, ret ? pc - 1 : pc, &file, line);
    return f;
}

/* #{function => {M,F,A}, line => L | undefined}, or the name of a VM frame. */
static Term fun_info(Process *p, const BeamInstr *pc, bool ret)
{
    if (pc == interp_exit_stub()) return AM_dbg_frame_exit;
    Module *m;
    uint32_t line;
    const FuncRange *f = code_info(pc, ret, &m, &line);
    if (!f) return AM_dbg_frame_unknown;
    Term keys[2] = {AM_function, AM_line};
    Term values[2] = {heap_tuple3(p, m->name, f->function, make_small(f->arity)),
                      line ? make_small(line) : AM_undefined};
    return map_from_pairs(p, keys, values, 2);
}

Term dbg_reg_val(Process *p, Term t, size_t max_size)
{
    size_t size = term_size(t);
    if (size > max_size) return heap_tuple2(p, AM_too_large, make_small((intptr_t)size));
    return heap_tuple2(p, AM_value, term_copy(p, t));
}

static Term slot_val(Process *p, Term t, size_t max_size)
{
    if (is_catch(t)) return heap_tuple2(p, AM_catch_, fun_info(p, catch_table_get(catch_val(t))->handler, false));
    return dbg_reg_val(p, t, max_size);
}

static Term slot_list(Process *p, const Term *lo, const Term *hi, size_t max_size)
{
    Term list = NIL;
    for (const Term *s = hi; s-- > lo;) list = heap_cons(p, slot_val(p, *s, max_size), list);
    return list;
}

static Term frame_term(Process *p, size_t no, Term fun, Term slots, const BeamInstr *code)
{
    Term keys[2] = {AM_slots, AM_code};
    Term values[2] = {slots, make_small((intptr_t)(uintptr_t)code)};
    return heap_tuple3(p, make_small((intptr_t)no), fun, map_from_pairs(p, keys, values, 2));
}

static Term xreg_list(Process *p, const DbgView *v, size_t max_size)
{
    Term list = NIL;
    for (unsigned i = v->live; i > 0; i--) list = heap_cons(p, dbg_reg_val(p, v->xregs[i - 1], max_size), list);
    return list;
}

Term dbg_stack_frames(Process *p, const DbgView *v, size_t max_size)
{
    size_t n;
    const Term **cps = return_addresses(v, &n);
    Term list = NIL;
    for (size_t k = 0; k <= n; k++) {
        const Term *lo, *hi;
        frame_slots(v, cps, n, k, &lo, &hi);
        const BeamInstr *code = k < n ? (const BeamInstr *)*cps[k] : v->pc;
        Term fun = fun_info(p, code, k < n);
        list = heap_cons(p, frame_term(p, k, fun, slot_list(p, lo, hi, max_size), code), list);
    }
    if (v->at_break)
        list = heap_cons(p, frame_term(p, n + 1, AM_dbg_frame_breakpoint, xreg_list(p, v, max_size), v->pc), list);
    free(cps);
    return list;
}

Term dbg_peek_slot(Process *p, const DbgView *v, size_t frame, size_t slot, size_t max_size)
{
    size_t n;
    const Term **cps = return_addresses(v, &n);
    Term r = AM_undefined;
    if (frame <= n) {
        const Term *lo, *hi;
        frame_slots(v, cps, n, frame, &lo, &hi);
        if (slot < (size_t)(hi - lo)) r = slot_val(p, lo[slot], max_size);
    } else if (frame == n + 1 && v->at_break && slot < v->live) {
        r = dbg_reg_val(p, v->xregs[slot], max_size);
    }
    free(cps);
    return r;
}

Term dbg_peek_xreg(Process *p, const DbgView *v, size_t n, size_t max_size)
{
    return n < v->live ? dbg_reg_val(p, v->xregs[n], max_size) : AM_undefined;
}

/* ---- the C agent's view: frames innermost first, printed ---- */

size_t dbg_frame_count(const DbgView *v)
{
    size_t n;
    free(return_addresses(v, &n));
    return n + 1;
}

/* Frame i innermost first is frame n - i from the bottom. */
static bool frame_from_top(const DbgView *v, size_t i, const Term ***cps, size_t *n, size_t *k)
{
    *cps = return_addresses(v, n);
    if (i > *n) {
        free(*cps);
        return false;
    }
    *k = *n - i;
    return true;
}

bool dbg_frame_info(const DbgView *v, size_t i, Term *mfa3, uint32_t *line)
{
    const Term **cps;
    size_t n, k;
    if (!frame_from_top(v, i, &cps, &n, &k)) return false;
    const BeamInstr *code = k < n ? (const BeamInstr *)*cps[k] : v->pc;
    free(cps);
    Module *m;
    const FuncRange *f = code == interp_exit_stub() ? NULL : code_info(code, k < n, &m, line);
    mfa3[0] = f ? m->name : AM_undefined;
    mfa3[1] = f ? f->function : AM_undefined;
    mfa3[2] = make_small(f ? f->arity : 0);
    if (!f) *line = 0;
    return true;
}

size_t dbg_frame_slots(const DbgView *v, size_t i)
{
    const Term **cps;
    size_t n, k;
    if (!frame_from_top(v, i, &cps, &n, &k)) return 0;
    const Term *lo, *hi;
    frame_slots(v, cps, n, k, &lo, &hi);
    free(cps);
    return (size_t)(hi - lo);
}

void dbg_print_term(Term t, size_t max_size, StrBuf *sb)
{
    size_t size = term_size(t);
    if (size > max_size) sb_printf(sb, "{too_large,%zu}", size);
    else term_write(sb, t);
}

bool dbg_print_slot(const DbgView *v, size_t i, size_t k_slot, size_t max_size, StrBuf *sb)
{
    const Term **cps;
    size_t n, k;
    if (!frame_from_top(v, i, &cps, &n, &k)) return false;
    const Term *lo, *hi;
    frame_slots(v, cps, n, k, &lo, &hi);
    free(cps);
    if (k_slot >= (size_t)(hi - lo)) return false;
    Term t = lo[k_slot];
    if (is_catch(t)) sb_puts(sb, "<catch>");
    else dbg_print_term(t, max_size, sb);
    return true;
}
