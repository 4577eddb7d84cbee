/*
 * dbg_step.c - stepping with temporary breakpoints (see dbg.h), as edb
 * steps on erl_debugger: the process waiting at a hit gets DBG_BY_STEP
 * breakpoints on every line site of the functions on its stack (over:
 * the next line of this function or of a caller it returns to; out: only
 * the callers'), plus every function entry (into), and is resumed. A step
 * breakpoint reached by another process, or (over, out) by a deeper call
 * of the stepping process, is passed at once; the first one that counts
 * ends the step, removes them all and is reported to the agent.
 * One step at a time.
 */
#include "runtime/debug/dbg.h"

#include "runtime/proc/proc_table.h"

#include <stdatomic.h>
#include <stdlib.h>

static struct {
    _Atomic Term pid; /* the stepping process, NIL when none */
    DbgStep kind;
    size_t depth;     /* its stack depth (return addresses) when the step began */
} step = {NIL, DBG_STEP_OVER, 0};

static size_t depth_of(const Process *p)
{
    size_t d = 0;
    for (const Term *s = p->stop; s < p->hend; s++) d += (*s & 3) == 0;
    return d;
}

#define STEP_FUNCS 256

typedef struct Targets {
    const FuncRange *funcs[STEP_FUNCS]; /* functions on the stack; [0] the current one */
    size_t n;
    DbgStep kind;
} Targets;

static bool targeted(const Module *m, const ModSite *s, void *ctx)
{
    const Targets *t = ctx;
    if (s->entry) return t->kind == DBG_STEP_INTO;
    const FuncRange *f = &m->funcs[s->func];
    for (size_t i = t->kind == DBG_STEP_OUT ? 1 : 0; i < t->n; i++)
        if (t->funcs[i] == f) return true;
    return false;
}

/* The functions of the view's frames (innermost first). */
static void stack_functions(const DbgView *v, Targets *t)
{
    Module *m;
    t->n = 0;
    const FuncRange *cur = module_func_at(v->pc, &m);
    if (cur) t->funcs[t->n++] = cur;
    for (const Term *s = v->q->stop; s < v->q->hend && t->n < STEP_FUNCS; s++) {
        if ((*s & 3) != 0) continue;
        const FuncRange *f = module_func_at((const BeamInstr *)*s - 1, &m);
        if (f) t->funcs[t->n++] = f;
    }
}

bool dbg_step(Term pid, DbgStep kind)
{
    DbgView v;
    if (!dbg_view_open(NULL, pid, &v)) return false;
    bool at_hit = v.at_break;
    Targets *t = malloc(sizeof *t);
    if (!t) abort();
    t->kind = kind;
    stack_functions(&v, t);
    size_t depth = depth_of(v.q);
    dbg_view_close(NULL, &v);
    if (at_hit) {
        step.kind = kind;
        step.depth = depth;
        atomic_store(&step.pid, pid);
        dbg_set_where(DBG_BY_STEP, targeted, t);
        at_hit = dbg_resume(NULL, pid, 0);
    }
    free(t);
    return at_hit;
}

bool dbg_step_reached(Process *p)
{
    if (atomic_load(&step.pid) != p->pid) return false;
    size_t d = depth_of(p);
    bool done = step.kind == DBG_STEP_INTO || (step.kind == DBG_STEP_OVER ? d <= step.depth : d < step.depth);
    if (!done) return false;
    atomic_store(&step.pid, NIL);
    dbg_clear_all(DBG_BY_STEP);
    return true;
}
