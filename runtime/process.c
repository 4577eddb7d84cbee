/* process.c - creating and freeing processes (see process.h). */
#include "runtime/process.h"

#include "runtime/heap.h"
#include "runtime/interp.h"

#include <stdatomic.h>
#include <stdlib.h>

static atomic_uint_fast64_t next_pid_number;

Process *process_new(const BeamInstr *entry, const Term *args, int arity)
{
    Process *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    if (heap_init(p, HEAP_DEFAULT_WORDS) != 0) {
        free(p);
        return NULL;
    }
    p->pid = make_pid(atomic_fetch_add(&next_pid_number, 1));
    p->dictionary = NIL;
    p->group_leader = NIL;
    p->fvalue = p->ftrace = p->fargs = THE_NON_VALUE;
    p->xsave = calloc((size_t)(arity ? arity : 1), sizeof(Term));
    if (!p->xsave) {
        process_free(p);
        return NULL;
    }
    for (int i = 0; i < arity; i++) p->xsave[i] = args[i];
    p->arity = arity;
    *--p->stop = (Term)interp_exit_stub();
    p->i = entry;
    return p;
}

void process_free(Process *p)
{
    if (!p) return;
    heap_destroy(p);
    free(p->xsave);
    free(p);
}
