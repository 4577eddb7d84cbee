/*
 * code_purge.c - which processes run old code, and purging it:
 * check_process_code/2,3, purge_module/1, and erts_code_purger's purge/1 and
 * soft_purge/1 implemented natively (OTP's purger is an Erlang process that
 * asks each process to check itself; here the purging BIF checks each process
 * under its status lock, the lock whoever runs the process holds).
 *
 * A hard purge: takes the old code out of the registry (its funs raise
 * badfun from then on), finds the processes whose current instruction or
 * stack is in it, sends each an exit signal `kill`, drops the breakpoint data
 * of its functions, and frees the code after thread progress. A killed
 * process never runs again (a scheduler handles pending signals before a
 * slice), and a process that was mid-slice when it was checked finishes that
 * slice before its scheduler's next progress point, so no scheduler runs
 * the code when it is freed. Purging waits for the breakpoint permission and
 * thread progress, so its BIFs run on a dirty I/O thread.
 */
#include "runtime/bif/bif.h"

#include "profiler/bp.h"
#include "runtime/loader/code_version.h"
#include "runtime/proc/heap.h"
#include "runtime/proc/proc_table.h"
#include "runtime/proc/signal.h"
#include "sched/sched.h"

#include <pthread.h>
#include <stdlib.h>

/* One purge at a time: a second one of the same module finds no old code. */
static pthread_mutex_t purge_lock = PTHREAD_MUTEX_INITIALIZER;

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

enum { PURGE_NO_OLD, PURGE_REFUSED, PURGE_DONE };

/* Purges name's old code (see the top of the file); *killed_self when p was among the runners. */
static int purge(Process *p, Term name, bool soft, bool *killed_any, bool *killed_self)
{
    /* purge_lock comes before any status lock: a purger never waits for it
       while holding its own, which another purger may be waiting for */
    pthread_mutex_unlock(&p->status_lock);
    pthread_mutex_lock(&purge_lock);
    pthread_mutex_lock(&p->status_lock);
    int result = PURGE_NO_OLD;
    if (soft) {
        Module *old = module_find_old(name);
        PidList busy = old ? runners(p, old) : (PidList){0};
        free(busy.v);
        if (busy.n) result = PURGE_REFUSED;
    }
    Module *old = result == PURGE_NO_OLD ? module_detach_old(name) : NULL;
    if (old) {
        /* a soft purge found none; a process that got in through a fun meanwhile is killed as in a hard one */
        PidList victims = runners(p, old);
        for (size_t i = 0; i < victims.n; i++) {
            if (victims.v[i] == p->pid) *killed_self = true;
            else signal_exit(p, victims.v[i], AM_kill);
        }
        *killed_any = victims.n > 0;
        free(victims.v);
        bp_change_begin(); /* no trace_pattern change may have its breakpoints staged */
        bp_forget(old);
        bp_change_end(false);
        module_release(old);
        result = PURGE_DONE;
    }
    pthread_mutex_unlock(&purge_lock);
    return result;
}

/* A caller that ran the purged code dies as the purger would have killed it. */
static Term kill_self(Process *p)
{
    signal_exit(p, p->pid, AM_kill);
    return bif_raise(p, EXC_EXIT, p->fvalue);
}

Term bif_purge_module_1(Process *p, const Term *args)
{
    if (!is_atom(args[0])) return bif_error(p, AM_badarg);
    bool killed = false, self = false;
    int r = purge(p, args[0], false, &killed, &self);
    if (self) return kill_self(p);
    return r == PURGE_DONE ? AM_true : bif_error(p, AM_badarg);
}

/* erts_code_purger:purge(Mod) -> {WasOld, DidKill} */
Term bif_code_purger_purge_1(Process *p, const Term *args)
{
    if (!is_atom(args[0])) return bif_error(p, AM_badarg);
    bool killed = false, self = false;
    int r = purge(p, args[0], false, &killed, &self);
    if (self) return kill_self(p);
    return heap_tuple2(p, r == PURGE_DONE ? AM_true : AM_false, killed ? AM_true : AM_false);
}

/* erts_code_purger:soft_purge(Mod) -> false when a process still runs the old code */
Term bif_code_purger_soft_purge_1(Process *p, const Term *args)
{
    if (!is_atom(args[0])) return bif_error(p, AM_badarg);
    bool killed = false, self = false;
    int r = purge(p, args[0], true, &killed, &self);
    if (self) return kill_self(p);
    return r == PURGE_REFUSED ? AM_false : AM_true;
}

/* The options of check_process_code/3: false on a bad one. */
static bool cpc_options(Term opts, Term *async_req)
{
    *async_req = THE_NON_VALUE;
    for (; is_list(opts); opts = list_tail(opts)) {
        Term o = list_head(opts);
        if (!is_tuple(o) || tuple_arity(o) != 2) return false;
        const Term *e = tuple_elems(o);
        if (e[0] == AM_async) *async_req = e[1];
        else if (e[0] != AM_allow_gc || (e[1] != AM_true && e[1] != AM_false)) return false;
    }
    return is_nil(opts);
}

static Term check_process_code(Process *p, Term pid, Term mod, Term opts)
{
    Term req;
    if (!is_pid(pid) || !is_atom(mod) || !cpc_options(opts, &req)) return bif_error(p, AM_badarg);
    const Module *old = module_find_old(mod);
    Term answer = old && runs(p, pid, old) == 1 ? AM_true : AM_false;
    if (!is_value(req)) return answer;
    Term *hp = heap_alloc(p, 4); /* a message to itself is not copied: build it on the heap */
    hp[0] = make_tuple_header(3);
    hp[1] = AM_check_process_code;
    hp[2] = req;
    hp[3] = answer;
    signal_send(p, p->pid, make_boxed(hp));
    return AM_async;
}

Term bif_check_process_code_2(Process *p, const Term *args) { return check_process_code(p, args[0], args[1], NIL); }
Term bif_check_process_code_3(Process *p, const Term *args)
{
    return check_process_code(p, args[0], args[1], args[2]);
}
