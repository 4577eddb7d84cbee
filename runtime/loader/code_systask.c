/*
 * code_systask.c - system tasks: work a process does on itself at another
 * process's request and answers with a message, as OTP's
 * erts_internal:request_system_task/3. The code purger asks each process
 * whether it runs a module's old code ({check_process_code, ReqId, Mod},
 * answer {check_process_code, ReqId, Bool}); the literal area collector asks
 * each to copy what it uses of a purged module's literals onto its heap
 * ({copy_literals, ReqId, _}, answer {copy_literals, ReqId, ok}).
 *
 * A request travels as a SIG_SYSTASK signal, in order with the requester's
 * messages. When the target handles it (signal.c) the request is set aside
 * in Process.systasks, and its scheduler performs it after the slice, under
 * the process's status lock (code_systasks_run): there the process's
 * registers, stack and instruction pointer are saved, so it can be checked
 * and collected. A request to a process that is gone, or exits first, gets
 * the answer of one that uses nothing (false, ok).
 */
#include "runtime/bif/bif.h"

#include "runtime/loader/code_version.h"
#include "runtime/proc/heap.h"
#include "runtime/proc/mailbox.h"
#include "runtime/proc/signal.h"

#include <stdlib.h>

void code_systask_request(Process *p, Term target, Term kind, Term req_id, Term arg)
{
    Term t[4] = {make_tuple_header(3), kind, req_id, arg};
    signal_post(SIG_SYSTASK, target, p->pid, make_boxed(t), false);
}

/* {Kind, ReqId, Result} from `from` to the requester; frees the request. */
static void answer(Message *m, Term from, Term result)
{
    const Term *e = tuple_elems(m->term);
    Term t[4] = {make_tuple_header(3), e[0], e[1], result};
    signal_post(SIG_MESSAGE, m->from, from, make_boxed(t), false);
    mbox_message_free(m);
}

static Term idle_answer(Term kind) { return kind == AM_copy_literals ? AM_ok : AM_false; }

void code_systask_undelivered(Message *m) { answer(m, m->to, idle_answer(tuple_elems(m->term)[0])); }

void code_systask_arrived(Process *p, Message *m)
{
    Message **end = &p->systasks;
    while (*end) end = &(*end)->next;
    m->next = NULL;
    *end = m;
}

static Term perform(Process *p, const Term *req)
{
    if (req[0] == AM_check_process_code) {
        const Module *old = module_find_old(req[2]);
        return old && code_process_runs(p, old) ? AM_true : AM_false;
    }
    const LiteralArea *a = code_literals_releasing();
    if (a && heap_gc_copy_literals(p, a, p->xsave, p->arity) < 0) abort(); /* the area cannot go otherwise */
    return AM_ok;
}

void code_systasks_run(Process *p, bool exited)
{
    while (p->systasks) {
        Message *m = p->systasks;
        p->systasks = m->next;
        const Term *req = tuple_elems(m->term);
        answer(m, p->pid, exited ? idle_answer(req[0]) : perform(p, req));
    }
}

static bool is_priority(Term t) { return t == AM_max || t == AM_high || t == AM_normal || t == AM_low || t == AM_inherit; }

/* erts_internal:request_system_task(Pid, Prio, {check_process_code, ReqId, Mod}) -> ok */
Term bif_request_system_task_3(Process *p, const Term *args)
{
    Term req = args[2];
    if (!is_pid(args[0]) || !is_priority(args[1]) || !is_tuple(req) || tuple_arity(req) != 3)
        return bif_error(p, AM_badarg);
    const Term *e = tuple_elems(req);
    if (e[0] != AM_check_process_code || !is_atom(e[2])) return bif_error(p, AM_badarg);
    code_systask_request(p, args[0], e[0], e[1], e[2]);
    return AM_ok;
}

/* erts_internal:check_process_code(Mod): whether the caller runs Mod's old code. */
Term bif_ei_check_process_code_1(Process *p, const Term *args)
{
    if (!is_atom(args[0])) return bif_error(p, AM_badarg);
    const Module *old = module_find_old(args[0]);
    return old && code_process_runs(p, old) ? AM_true : AM_false;
}
