/*
 * code_literals.c - releasing the literal areas of purged code, with OTP's
 * literal area collector process (erts_literal_area_collector, <0.2.0>).
 *
 * Terms on process heaps may point into a module's literal area (a constant
 * is used in place, never copied, until the process sends or stores it). So
 * when a purge drops the code (module_release), its area joins a queue and
 * the collector gets the message `copy_literals`. The collector calls
 * release_area_switch/0, which makes the queue's first area the one being
 * released; it then asks every process with send_copy_request/3 (a system
 * task, code_systask.c) to copy what it uses of that area onto its own heap
 * (heap_gc_copy_literals) and answer. When all have answered it calls
 * release_area_switch/0 again, which frees the area after thread progress
 * and moves on to the next. Nothing else can refer to the area meanwhile:
 * the code is gone, and messages, ETS and persistent_term hold copies.
 */
#include "runtime/bif/bif.h"

#include "runtime/loader/code_version.h"
#include "runtime/proc/signal.h"
#include "sched/tp.h"

#include <pthread.h>
#include <stdlib.h>

typedef struct Retired {
    struct Retired *next;
    LiteralArea *area;
} Retired;

static pthread_mutex_t lit_lock = PTHREAD_MUTEX_INITIALIZER;
static Retired *queue, **queue_tail = &queue;
static LiteralArea *releasing; /* the area the processes are copying out of, or NULL */
static _Atomic Term collector = NIL;

void code_literals_set_collector(Term pid) { atomic_store(&collector, pid); }

const LiteralArea *code_literals_releasing(void)
{
    pthread_mutex_lock(&lit_lock);
    const LiteralArea *a = releasing;
    pthread_mutex_unlock(&lit_lock);
    return a;
}

void code_literals_retire(LiteralArea *a)
{
    if (!a) return;
    Retired *r = malloc(sizeof *r);
    if (!r) abort();
    *r = (Retired){NULL, a};
    pthread_mutex_lock(&lit_lock);
    *queue_tail = r;
    queue_tail = &r->next;
    pthread_mutex_unlock(&lit_lock);
    Term pid = atomic_load(&collector);
    if (is_pid(pid)) signal_post(SIG_MESSAGE, pid, pid, AM_copy_literals, false);
}

static void free_area(void *a) { literal_area_free(a); }

/* erts_literal_area_collector:release_area_switch() -> true when there is a new area to release. */
Term bif_release_area_switch_0(Process *p, const Term *args)
{
    (void)args;
    if (p->pid != atomic_load(&collector)) return bif_error(p, AM_notsup);
    pthread_mutex_lock(&lit_lock);
    /* every process has copied what it used (a process in a slice then is past it at
       its scheduler's next progress point) */
    if (releasing) tp_defer(free_area, releasing);
    releasing = NULL;
    Retired *r = queue;
    if (r) {
        queue = r->next;
        if (!queue) queue_tail = &queue;
        releasing = r->area;
        free(r);
    }
    bool more = releasing != NULL;
    pthread_mutex_unlock(&lit_lock);
    return more ? AM_true : AM_false;
}

/* erts_literal_area_collector:send_copy_request(Pid, AreaId, How) -> ok: the system task
   that answers {copy_literals, {AreaId, How, Pid}, ok} (How: init, check_gc or need_gc). */
Term bif_send_copy_request_3(Process *p, const Term *args)
{
    if (p->pid != atomic_load(&collector)) return bif_error(p, AM_notsup);
    if (!is_pid(args[0]) || (args[2] != AM_init && args[2] != AM_check_gc && args[2] != AM_need_gc))
        return bif_error(p, AM_badarg);
    Term id[4] = {make_tuple_header(3), args[1], args[2], args[0]};
    code_systask_request(p, args[0], AM_copy_literals, make_boxed(id), NIL);
    return AM_ok;
}
