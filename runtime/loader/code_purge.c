/*
 * code_purge.c - purging old code: erts_internal:purge_module/2, the BIF of
 * OTP's code purger process (erts_code_purger, <0.1.0>, which runs OTP's own
 * Erlang code), and the check whether a process runs a module's code.
 *
 * The purger purges as OTP's does: purge_module(M, prepare) says whether M
 * has old code; the purger then asks every process with a system task
 * (code_systask.c) whether it runs that code, kills those that do (a hard
 * purge) or gives up (a soft one: abort), and ends with complete, which
 * takes the old code out of the registry (its funs raise badfun from then
 * on), drops its breakpoint data, frees the code after thread progress and
 * hands its literals to the literal area collector (code_literals.c).
 *
 * A process that entered the old code through one of its funs after it was
 * asked is killed by complete itself, which checks every process under its
 * status lock, the lock whoever runs it holds. A killed process never runs
 * again (a scheduler handles pending signals before a slice), and one that
 * was mid-slice when checked finishes the slice before its scheduler's next
 * progress point, so no scheduler runs the code when it is freed: nothing
 * stops. complete waits for the breakpoint permission, so the BIF runs on a
 * dirty I/O thread.
 */
#include "runtime/bif/bif.h"

#include "profiler/bp.h"
#include "runtime/loader/code_version.h"
#include "runtime/proc/proc_table.h"
#include "runtime/proc/signal.h"
#include "sched/sched.h"

#include <stdatomic.h>
#include <stdlib.h>

/* The module whose purge is under way, or NIL: only the purger process reads and sets it. */
static Term prepared = NIL;
static _Atomic Term purger = NIL;    /* <0.1.0> */

void code_purge_set_purger(Term pid) { atomic_store(&purger, pid); }

bool code_process_runs(const Process *q, const Module *m)
{
    /* resumed from a debugger breakpoint but not run yet: it goes on at the site (dbg.h) */
    if (module_contains(m, q->i) || (q->dbg_pc && module_contains(m, q->dbg_pc))) return true;
    for (const Term *s = q->stop; s < q->hend; s++) /* return addresses: code words, tag 00 */
        if ((*s & 3) == 0 && module_contains(m, (const BeamInstr *)*s)) return true;
    return false;
}

/*
 * Whether process `pid` runs m: p itself directly, another under its status
 * lock, after giving up p's own (two processes checking each other cannot
 * deadlock). -1 when pid is not alive.
 */
static int runs(Process *p, Term pid, const Module *m)
{
    if (pid == p->pid) return code_process_runs(p, m);
    Process *q = ptab_lookup(pid);
    if (!q) return -1;
    pthread_mutex_unlock(&p->status_lock);
    pthread_mutex_lock(&q->status_lock);
    int r = -1;
    if (__atomic_load_n(&q->pid, __ATOMIC_ACQUIRE) == pid && atomic_load(&q->sched_state) != PS_EXITED)
        r = code_process_runs(q, m);
    pthread_mutex_unlock(&q->status_lock);
    pthread_mutex_lock(&p->status_lock);
    return r;
}

typedef struct PidList {
    Term *v;
    size_t n, cap;
} PidList;

static void collect_pid(Process *q, void *ctx)
{
    PidList *l = ctx;
    Term pid = __atomic_load_n(&q->pid, __ATOMIC_ACQUIRE);
    if (!is_pid(pid)) return;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 256;
        l->v = realloc(l->v, l->cap * sizeof *l->v);
        if (!l->v) abort();
    }
    l->v[l->n++] = pid;
}

/* The processes running m (the pids alive when the walk began). */
static PidList runners(Process *p, const Module *m)
{
    PidList all = {0}, found = {0};
    ptab_foreach(collect_pid, &all);
    for (size_t i = 0; i < all.n; i++)
        if (runs(p, all.v[i], m) == 1) collect_pid(&(Process){.pid = all.v[i]}, &found);
    free(all.v);
    return found;
}

/* complete: the old code goes; processes that still run it are killed. */
static void complete(Process *p, Term name)
{
    Module *old = module_detach_old(name);
    if (!old) return;
    PidList late = runners(p, old);
    for (size_t i = 0; i < late.n; i++)
        if (late.v[i] != p->pid) signal_exit(p, late.v[i], AM_kill);
    free(late.v);
    bp_change_begin(); /* no trace_pattern change may have its breakpoints staged */
    bp_forget(old);
    bp_change_end(false);
    module_release(old);
}

/* erts_internal:purge_module(Mod, prepare | prepare_on_load | abort | complete): the purger's
   steps (see the top of the file). prepare: whether Mod has old code; abort -> false;
   complete -> true. On_load code that is discarded is freed by finish_after_on_load itself
   (module.c), so prepare_on_load finds nothing. */
Term bif_ei_purge_module_2(Process *p, const Term *args)
{
    Term name = args[0], op = args[1];
    if (p->pid != atomic_load(&purger)) return bif_error(p, AM_notsup);
    if (!is_atom(name)) return bif_error(p, AM_badarg);
    Term r = THE_NON_VALUE;
    if (op == AM_prepare) {
        r = module_find_old(name) ? AM_true : AM_false;
        prepared = r == AM_true ? name : NIL;
    } else if (op == AM_prepare_on_load) {
        r = AM_false;
    } else if ((op == AM_abort || op == AM_complete) && prepared == name) {
        prepared = NIL;
        if (op == AM_complete) complete(p, name);
        r = op == AM_complete ? AM_true : AM_false;
    }
    return is_value(r) ? r : bif_error(p, AM_badarg);
}
