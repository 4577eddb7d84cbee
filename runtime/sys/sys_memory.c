/*
 * sys_memory.c - erlang:memory/0,1: bytes the VM uses, by kind.
 *
 * processes sums process_info(P, memory) of every live process (each read
 * under its status lock); atom, binary, code and ets come from their
 * tables (ets sums ets:info(T, memory) of every table); total is what the
 * C allocator has handed out plus its mappings, and system the rest.
 */
#include "runtime/bif/bif.h"

#include "runtime/ets/ets.h"
#include "runtime/ets/ets_store.h"
#include "runtime/loader/module.h"
#include "runtime/proc/heap.h"
#include "runtime/proc/proc_info.h"
#include "runtime/proc/proc_table.h"
#include "runtime/sys/sys.h"
#include "runtime/term/big.h"
#include "runtime/term/binary.h"
#include "sched/sched.h"

typedef struct ProcSum {
    Process *self;
    size_t bytes;
} ProcSum;

static void add_process(Process *q, void *ctx)
{
    ProcSum *s = ctx;
    if (q == s->self) {
        s->bytes += proc_info_memory(q);
        return;
    }
    Term pid = __atomic_load_n(&q->pid, __ATOMIC_ACQUIRE);
    pthread_mutex_lock(&q->status_lock);
    if (__atomic_load_n(&q->pid, __ATOMIC_ACQUIRE) == pid && atomic_load(&q->sched_state) != PS_EXITED)
        s->bytes += proc_info_memory(q);
    pthread_mutex_unlock(&q->status_lock);
}

/* Every process but p is read under its own lock, so p gives up its own meanwhile. */
static size_t processes_bytes(Process *p)
{
    ProcSum s = {p, 0};
    pthread_mutex_unlock(&p->status_lock);
    ptab_foreach(add_process, &s);
    pthread_mutex_lock(&p->status_lock);
    return s.bytes;
}

/* Every table stays readable until thread progress after its deletion, and a BIF runs on a scheduler. */
static size_t ets_bytes(Process *p)
{
    size_t words = 0;
    for (Term l = ets_all(p); is_list(l); l = list_tail(l)) {
        EtsTable *tab = ets_lookup_any(list_head(l));
        if (tab) words += ets_store_memory(tab);
    }
    return words * sizeof(Term);
}

enum { M_TOTAL, M_PROCESSES, M_PROCESSES_USED, M_SYSTEM, M_ATOM, M_ATOM_USED, M_BINARY, M_CODE, M_ETS, M_COUNT };
static const char *const kind_names[M_COUNT] = {"total", "processes", "processes_used", "system", "atom",
                                                "atom_used", "binary", "code", "ets"};

static void measure(Process *p, size_t *v)
{
    v[M_PROCESSES] = v[M_PROCESSES_USED] = processes_bytes(p);
    v[M_ATOM] = atom_memory(false);
    v[M_ATOM_USED] = atom_memory(true);
    v[M_BINARY] = binary_total_bytes(); /* magic references' objects are system memory, as on OTP */
    v[M_CODE] = module_code_bytes();
    v[M_ETS] = ets_bytes(p);
    size_t parts = v[M_PROCESSES] + v[M_ATOM] + v[M_BINARY] + v[M_CODE] + v[M_ETS];
    size_t total = sys_memory_total();
    v[M_TOTAL] = total > parts ? total : parts;
    v[M_SYSTEM] = v[M_TOTAL] - v[M_PROCESSES];
}

Term bif_memory_0(Process *p, const Term *args)
{
    size_t v[M_COUNT];
    measure(p, v);
    Term list = NIL;
    for (int i = M_COUNT; i > 0; i--)
        list = heap_cons(p, heap_tuple2(p, atom_from_cstr(kind_names[i - 1]), int_from_u64(p, v[i - 1])), list);
    return list;
}

static int kind_of(Term a)
{
    for (int i = 0; i < M_COUNT; i++)
        if (is_atom(a) && a == atom_from_cstr(kind_names[i])) return i;
    return -1;
}

/* memory(Kind) -> Bytes; memory([Kind]) -> [{Kind, Bytes}] */
Term bif_memory_1(Process *p, const Term *args)
{
    Term spec = args[0];
    if (is_atom(spec)) {
        int k = kind_of(spec);
        if (k < 0) return bif_error(p, AM_badarg);
        size_t v[M_COUNT];
        measure(p, v);
        return int_from_u64(p, v[k]);
    }
    Term l = spec;
    for (; is_list(l); l = list_tail(l))
        if (kind_of(list_head(l)) < 0) return bif_error(p, AM_badarg);
    if (!is_nil(l)) return bif_error(p, AM_badarg);
    size_t v[M_COUNT];
    measure(p, v);
    Term list = NIL, *tail = &list;
    for (l = spec; is_list(l); l = list_tail(l)) {
        Term *cell = heap_alloc(p, 2);
        cell[0] = heap_tuple2(p, list_head(l), int_from_u64(p, v[kind_of(list_head(l))]));
        cell[1] = NIL;
        *tail = make_list(cell);
        tail = &cell[1];
    }
    return list;
}
