/* process.c - creating and freeing processes (see process.h). */
#include "runtime/proc/process.h"

#include "runtime/term/atom.h"
#include "runtime/term/binary.h"
#include "runtime/proc/heap.h"
#include "runtime/interp/interp.h"
#include "runtime/proc/proc_flags.h"
#include "runtime/proc/proc_table.h"
#include "profiler/trace_flags.h"

#include <stdlib.h>

void process_reserve_xsave(Process *p, int n)
{
    if (n <= p->xsave_cap) return;
    int cap = n < 8 ? 8 : n;
    Term *grown = realloc(p->xsave, (size_t)cap * sizeof(Term));
    if (!grown) abort();
    p->xsave = grown;
    p->xsave_cap = cap;
}

Process *process_new(const BeamInstr *entry, const Term *args, int arity)
{
    Process *p = ptab_alloc();
    if (!p) return NULL;
    mbox_reset_owner(&p->mbox);
    size_t need = 1; /* the exit stub at the stack's bottom */
    for (int i = 0; i < arity; i++) need += term_size(args[i]);
    if (heap_init_first(p, need, pflag_default_min_heap()) != 0) {
        ptab_release(p);
        return NULL;
    }
    p->dictionary = NIL;
    p->group_leader = NIL;
    p->registered_name = NIL;
    p->priority = PRIO_NORMAL;
    p->initial_call[0] = p->initial_call[1] = p->initial_call[2] = NIL;
    p->parent = AM_undefined;
    p->flags = proc_flags_default();
    trace_flags_spawned(p, NULL, false);
    p->fvalue = p->ftrace = p->fargs = p->ferror_info = THE_NON_VALUE;
    p->seq_label = THE_NON_VALUE;
    process_reserve_xsave(p, arity);
    for (int i = 0; i < arity; i++) p->xsave[i] = term_copy(p, args[i]);
    p->arity = arity;
    *--p->stop = (Term)interp_exit_stub();
    p->i = entry;
    return p;
}

void process_adopt_frag(Process *p, HeapFrag *f)
{
    if (!f) return;
    binary_adopt_copy(p, f->mem, f->used);
    f->next = p->frags;
    p->frags = f;
    p->frag_words += f->used;
    process_attention_set(p, PATTN_FRAGS);
}

void process_free(Process *p)
{
    heap_destroy(p);
    free(p->xsave);
    free(p->links);
    mset_free(&p->watchers);
    mset_free(&p->watching);
    mset_free(&p->aliases);
    ptab_release(p);
}
