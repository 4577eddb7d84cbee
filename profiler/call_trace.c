/* call_trace.c - call trace messages (see call_trace.h). */
#include "profiler/call_trace.h"

#include "runtime/term/atom.h"
#include "runtime/proc/heap.h"
#include "runtime/interp/raise.h"
#include "runtime/proc/signal.h"

#include <stdatomic.h>

void call_trace_send(Process *p, const BeamInstr *entry, const Term *x)
{
    Term tracer = atomic_load_explicit(&p->tracer, memory_order_relaxed);
    if (!is_pid(tracer) || tracer == p->pid) return;
    /* func_info before the entry: [..][Module][Function][Arity][BpData*] */
    Term module = (Term)entry[-4], function = (Term)entry[-3];
    unsigned arity = (unsigned)entry[-2];
    Term args = raise_args_list(p, x, arity);
    Term *hp = heap_alloc(p, 4 + 5);
    hp[0] = make_tuple_header(3);
    hp[1] = module;
    hp[2] = function;
    hp[3] = args;
    hp[4] = make_tuple_header(4);
    hp[5] = AM_trace;
    hp[6] = p->pid;
    hp[7] = AM_call;
    hp[8] = make_boxed(hp);
    signal_send(p, tracer, make_boxed(hp + 4));
}
