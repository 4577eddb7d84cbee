/*
 * dbg_hit.c - what a process does at a breakpoint, the registered Erlang
 * debugger, and suspension at a hit (see dbg.h).
 *
 * A hit that someone keeps gets a number (p->dbg_hit), the process's
 * suspend count goes up by one and its slice ends at the site with the
 * site's live x registers saved, so it stands at the site exactly as a
 * process suspended by erlang:suspend_process stands where it stopped:
 * inspectors read it, an exit signal still kills it, messages queue up.
 * dbg_resume (the event's Resume fun, or the C agent) takes that one
 * suspend back and points the process at a one-word stub holding the
 * handler again, which goes on with the site's original instruction
 * without reporting the hit twice.
 */
#include "runtime/debug/dbg.h"

#include "runtime/interp/interp.h"
#include "runtime/proc/proc_table.h"
#include "runtime/proc/signal.h"
#include "sched/sched.h"

#include <stdatomic.h>
#include <stdlib.h>

static _Atomic bool enabled;
static _Atomic uint64_t last_hit;
static BeamInstr resume_stub[1];

/* The registered Erlang debugger and its session token (registration under reg_lock). */
static pthread_mutex_t reg_lock = PTHREAD_MUTEX_INITIALIZER;
static _Atomic Term debugger_pid = NIL;
static _Atomic intptr_t debugger_token;
static intptr_t last_token;

/* The C agent's callback, set once before use (debugger.h). */
static _Atomic(DbgAgentFn) agent_fn;
static void *agent_ctx;

void dbg_enable(void)
{
    resume_stub[0] = op_word(OP_i_debug_break);
    atomic_store(&enabled, true);
}

bool dbg_enabled(void) { return atomic_load(&enabled); }

void dbg_set_agent(DbgAgentFn fn, void *ctx)
{
    agent_ctx = ctx;
    atomic_store(&agent_fn, fn);
}

/* ---- registration ---- */

static bool alive(Term pid)
{
    Process *q = is_value(pid) && pid != NIL ? ptab_lookup(pid) : NULL;
    return q && atomic_load(&q->sched_state) != PS_EXITED;
}

bool dbg_register(Term pid, Term *token)
{
    pthread_mutex_lock(&reg_lock);
    bool ok = !alive(atomic_load(&debugger_pid));
    if (ok) {
        intptr_t t = ++last_token;
        atomic_store(&debugger_token, t);
        atomic_store(&debugger_pid, pid);
        *token = make_small(t);
    }
    pthread_mutex_unlock(&reg_lock);
    return ok;
}

bool dbg_unregister(Term pid, Term token)
{
    pthread_mutex_lock(&reg_lock);
    bool ok = atomic_load(&debugger_pid) == pid && make_small(atomic_load(&debugger_token)) == token;
    if (ok) atomic_store(&debugger_pid, NIL);
    pthread_mutex_unlock(&reg_lock);
    return ok;
}

Term dbg_whereis(void)
{
    Term pid = atomic_load(&debugger_pid);
    return alive(pid) ? pid : AM_undefined;
}

/* ---- the Erlang debugger's event ---- */

/* erl_debugger's one lambda, fun() -> '$resume'(Pid, Hit) end (lib/erl_debugger.erl). */
static const FunEntry *resume_lambda(void)
{
    const Module *m = module_find(AM_erl_debugger);
    for (uint32_t i = 0; m && i < m->num_lambdas; i++)
        if (m->lambdas[i].num_free == 2 && m->lambdas[i].arity == 0) return &m->lambdas[i];
    return NULL;
}

static Term *tuple_at(Term **hp, size_t n)
{
    Term *t = *hp;
    t[0] = make_tuple_header(n);
    *hp += n + 1;
    return t;
}

/*
 * Sends {debugger_event, Token, {breakpoint, Pid, {M,F,A}, Line, Resume}}
 * (built on the C stack; the post copies it). False when no debugger is
 * registered, p is the debugger, or erl_debugger is not loaded.
 */
static bool notify_erlang(Process *p, const Module *m, const ModSite *s, uint64_t hit)
{
    Term debugger = atomic_load(&debugger_pid);
    const FunEntry *fe = resume_lambda();
    if (debugger == NIL || debugger == p->pid || !fe || !alive(debugger)) return false;
    const FuncRange *f = &m->funcs[s->func];
    Term buf[24], *hp = buf;
    Term *fun = hp;
    fun[0] = make_header(FUN_FIXED_WORDS - 1 + 2, HDR_FUN);
    fun[1] = (Term)fe;
    fun[2] = p->pid;
    fun[3] = p->pid;
    fun[4] = make_small((intptr_t)hit);
    hp += FUN_FIXED_WORDS + 2;
    Term *mfa = tuple_at(&hp, 3);
    mfa[1] = m->name;
    mfa[2] = f->function;
    mfa[3] = make_small(f->arity);
    Term *ev = tuple_at(&hp, 5);
    ev[1] = AM_breakpoint;
    ev[2] = p->pid;
    ev[3] = make_boxed(mfa);
    ev[4] = make_small(s->line);
    ev[5] = make_boxed(fun);
    Term *msg = tuple_at(&hp, 3);
    msg[1] = AM_debugger_event;
    msg[2] = make_small(atomic_load(&debugger_token));
    msg[3] = make_boxed(ev);
    signal_post(SIG_MESSAGE, debugger, p->pid, make_boxed(msg), false);
    return true;
}

/* ---- the hit ---- */

/* The process being hit on this thread, while the agent's callback runs. */
static __thread const DbgView *current;

bool dbg_view_current(Term pid, DbgView *v)
{
    if (!current || current->q->pid != pid) return false;
    *v = *current;
    return true;
}

/* The event of site s (module m) of kind k. */
static DbgEvent site_event(const Module *m, const ModSite *s, DbgKind k)
{
    const FuncRange *f = &m->funcs[s->func];
    return (DbgEvent){k, m->name, f->function, f->arity, s->line, s->entry, false, NIL};
}

/* Calls the agent's callback on site s's bits; true when it keeps the process. */
static bool call_agent(Process *p, const Module *m, const ModSite *s, uint32_t bits, Term *x, unsigned live)
{
    DbgAgentFn fn = atomic_load(&agent_fn);
    if (!fn) return false;
    DbgView v = {p, x, live, s->pc, true};
    bool keep = false;
    current = &v;
    /* JVMTI's order at one place: method entry, then a step or breakpoint */
    if (s->entry && (bits & DBG_BY_CALLS)) {
        DbgEvent ev = site_event(m, s, DBG_EV_ENTRY);
        keep = fn(agent_ctx, p, &ev);
    }
    int kind = (bits & DBG_BY_STEP) && dbg_step_reached(p) ? DBG_EV_STEP : (bits & DBG_BY_AGENT) ? DBG_EV_BREAK : -1;
    if (kind >= 0) {
        DbgEvent ev = site_event(m, s, (DbgKind)kind);
        keep = fn(agent_ctx, p, &ev) || keep;
    }
    current = NULL;
    return keep;
}

/* The words after an exit frame's stub, for the function of entry site s. */
static void exit_frame(DbgGo *go, const Module *m, const ModSite *s)
{
    const FuncRange *f = &m->funcs[s->func];
    go->exit_frame = true;
    go->frame[0] = m->name;
    go->frame[1] = f->function;
    go->frame[2] = make_small((intptr_t)(f->arity | (uintptr_t)s->line << 8));
}

static void report_exit(Process *p, const Term *frame, Term value, bool exception)
{
    DbgAgentFn fn = atomic_load(&agent_fn);
    if (!fn) return;
    uintptr_t packed = (uintptr_t)small_val(frame[2]);
    DbgEvent ev = {DBG_EV_EXIT, frame[0], frame[1], (unsigned)(packed & 0xff), (unsigned)(packed >> 8),
                   false, exception, value};
    fn(agent_ctx, p, &ev);
}

void dbg_exit(Process *p, const Term *frame, Term value) { report_exit(p, frame, value, false); }

void dbg_unwind(Process *p, const Term *top, const Term *limit, Term cls, Term reason)
{
    Term stub = (Term)interp_debug_exit_stub();
    for (const Term *sp = top; sp + DBG_EXIT_FRAME_WORDS <= limit; sp++) {
        if (*sp != stub) continue;
        Term pair[3] = {make_tuple_header(2), cls, reason};
        report_exit(p, sp + 1, make_boxed(pair), true);
        sp += DBG_EXIT_FRAME_WORDS - 1;
    }
}

static DbgGo go_on(const BeamInstr *pc, BeamInstr word) { return (DbgGo){.pc = pc, .word = word}; }

/* The process comes back from a hit through the stub: the site's own instruction runs. */
static DbgGo resumed(Process *p)
{
    const BeamInstr *pc = p->dbg_pc;
    Module *m;
    uint32_t n;
    const ModSite *s = dbg_sites_at(pc, &m, &n);
    if (!s) abort(); /* the stub is only set for a process at a site */
    p->dbg_pc = NULL;
    return go_on(pc, s->orig);
}

DbgGo dbg_hit(Process *p, const BeamInstr *pc, Term *x)
{
    if (pc == resume_stub) return resumed(p);
    Module *m;
    uint32_t n;
    ModSite *first = dbg_sites_at(pc, &m, &n);
    if (!first) abort(); /* the handler is only ever stored over a site's word */
    uint64_t hit = atomic_fetch_add(&last_hit, 1) + 1;
    bool keep = false;
    unsigned live = first->live;
    for (ModSite *s = first + 1; s < first + n; s++)
        if (s->live < live) live = s->live;
    DbgGo go = go_on(pc, first->orig);
    for (ModSite *s = first; s < first + n; s++) {
        uint32_t bits = atomic_load(&s->bp);
        if ((bits & DBG_BY_ERLANG) && notify_erlang(p, m, s, hit)) keep = true;
        if ((bits & (DBG_BY_AGENT | DBG_BY_STEP | DBG_BY_CALLS)) && call_agent(p, m, s, bits, x, live)) keep = true;
        if (s->entry && (bits & DBG_BY_CALLS) && atomic_load(&agent_fn)) exit_frame(&go, m, s);
    }
    if (!keep) return go;
    /* the scheduler holds p's status lock for the slice: a resume waits for its end */
    p->dbg_hit = hit;
    p->suspend_count++;
    go.suspend = true;
    go.live = live;
    return go;
}

bool dbg_resume(Process *caller, Term pid, uint64_t hit)
{
    Process *q = ptab_lookup(pid);
    if (!q) return false;
    if (caller) pthread_mutex_unlock(&caller->status_lock);
    pthread_mutex_lock(&q->status_lock);
    bool ok = __atomic_load_n(&q->pid, __ATOMIC_ACQUIRE) == pid && atomic_load(&q->sched_state) != PS_EXITED &&
              q->dbg_hit != 0 && (hit == 0 || q->dbg_hit == hit);
    bool wake = false;
    if (ok) {
        q->dbg_hit = 0;
        q->dbg_pc = q->i;
        q->i = resume_stub;
        q->suspend_count--;
        wake = q->suspend_count == 0;
    }
    pthread_mutex_unlock(&q->status_lock);
    if (wake) sched_wake(q);
    if (caller) pthread_mutex_lock(&caller->status_lock);
    return ok;
}
