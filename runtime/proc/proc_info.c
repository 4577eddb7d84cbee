/*
 * proc_info.c - process_info/1,2: every item OTP 25 knows.
 *
 * Another process is read under its status lock (held by whoever runs it),
 * after the caller gives up its own, so two processes inspecting each other
 * cannot deadlock. Its pending signals are handled first, since OTP answers
 * process_info after the signals that reached the process before.
 */
#include "runtime/proc/proc_info.h"

#include "profiler/seq_trace.h"
#include "runtime/bif/bif.h"

#include "profiler/trace_flags.h"
#include "runtime/interp/interp.h"
#include "runtime/interp/raise.h"
#include "runtime/proc/heap.h"
#include "runtime/proc/pdict.h"
#include "runtime/proc/proc_flags.h"
#include "runtime/proc/proc_table.h"
#include "runtime/proc/signal.h"
#include "runtime/sys/sys.h"
#include "runtime/proc/suspend.h"
#include "runtime/term/binary.h"
#include "sched/sched.h"

#define MAX_ITEMS 64

/* A process has a leader from its parent; only the I/O servers, started first, lead themselves. */
static Term leader_of(const Process *q) { return is_pid(q->group_leader) ? q->group_leader : q->pid; }

static Term bool_atom(bool b) { return b ? AM_true : AM_false; }

static Term list_of_pids(Process *p, const Term *v, uint32_t n)
{
    Term list = NIL;
    for (uint32_t i = n; i > 0; i--) list = heap_cons(p, v[i - 1], list);
    return list;
}

/* Copies of q's queued messages (q's pending signals are handled). */
static Term message_list(Process *p, Process *q)
{
    Term list = NIL, *tail = &list;
    for (Message *m = q->mbox.head; m; m = m->next) {
        Term *cell = heap_alloc(p, 2);
        cell[0] = term_copy(p, m->term);
        cell[1] = NIL;
        *tail = make_list(cell);
        tail = &cell[1];
    }
    return list;
}

/* [{process, Pid} | {process, {Name, Node}}] for the monitors q holds. */
static Term monitors_list(Process *p, const Process *q)
{
    Term list = NIL;
    for (uint32_t i = q->watching.n; i > 0; i--) {
        const MonitorEntry *e = &q->watching.v[i - 1];
        Term what = is_atom(e->name) ? heap_tuple2(p, e->name, AM_nonode_at_nohost) : e->pid;
        list = heap_cons(p, heap_tuple2(p, AM_process, what), list);
    }
    return list;
}

static Term monitored_by_list(Process *p, const Process *q)
{
    Term list = NIL;
    for (uint32_t i = q->watchers.n; i > 0; i--) list = heap_cons(p, q->watchers.v[i - 1].pid, list);
    return list;
}

static size_t heap_block_words(const Process *q) { return (size_t)(q->hend - q->heap); }
static size_t old_block_words(const Process *q) { return (size_t)(q->old_hend - q->old_heap); }

/* OTP's total: heap and stack block, old generation block, and heap fragments. */
static size_t total_heap_words(const Process *q)
{
    return heap_block_words(q) + old_block_words(q) + q->frag_words;
}

/* Bytes: the process structure, its memory blocks, its saved registers and its queue. */
size_t proc_info_memory(const Process *q)
{
    size_t bytes = sizeof(Process) + total_heap_words(q) * sizeof(Term);
    bytes += (size_t)q->xsave_cap * sizeof(Term) + (size_t)q->cap_links * sizeof(Term);
    bytes += (q->watchers.cap + q->watching.cap + q->aliases.cap) * sizeof(MonitorEntry);
    for (const Message *m = q->mbox.head; m; m = m->next)
        bytes += sizeof(Message) + mbox_message_words(m) * sizeof(Term);
    return bytes;
}

static Term gc_settings(Process *p, const Process *q)
{
    const ProcFlags *f = &q->flags;
    Term items[5] = {
        heap_tuple2(p, AM_max_heap_size, pflag_max_heap_map(p, f)),
        heap_tuple2(p, AM_min_bin_vheap_size, make_small((intptr_t)f->min_bin_vheap)),
        heap_tuple2(p, AM_min_heap_size, make_small((intptr_t)q->min_heap_words)),
        heap_tuple2(p, AM_fullsweep_after, make_small(f->fullsweep_after)),
        heap_tuple2(p, atom_from_cstr("minor_gcs"), make_small(f->minor_gcs)),
    };
    return list_of_pids(p, items, 5);
}

void proc_info_gc_items(const Process *q, Term names[PROC_GC_ITEMS], size_t values[PROC_GC_ITEMS])
{
    static const char *texts[PROC_GC_ITEMS] = {"old_heap_block_size", "heap_block_size", "mbuf_size", "recent_size",
                                               "stack_size", "old_heap_size", "heap_size", "bin_vheap_size",
                                               "bin_vheap_block_size", "bin_old_vheap_size", "bin_old_vheap_block_size"};
    size_t stack = (size_t)(q->hend - q->stop);
    size_t vheap = q->off_heap.bytes / sizeof(Term);
    size_t v[PROC_GC_ITEMS] = {old_block_words(q), heap_block_words(q), q->frag_words, (size_t)(q->htop - q->hwm),
                               stack, (size_t)(q->old_htop - q->old_heap), (size_t)(q->htop - q->heap), vheap,
                               (size_t)q->flags.min_bin_vheap, 0, (size_t)q->flags.min_bin_vheap};
    for (int i = 0; i < PROC_GC_ITEMS; i++) {
        names[i] = atom_from_cstr(texts[i]);
        values[i] = v[i];
    }
}

static Term gc_info(Process *p, const Process *q)
{
    Term names[PROC_GC_ITEMS];
    size_t values[PROC_GC_ITEMS];
    proc_info_gc_items(q, names, values);
    Term list = NIL;
    for (size_t i = PROC_GC_ITEMS; i > 0; i--)
        list = heap_cons(p, heap_tuple2(p, names[i - 1], make_small((intptr_t)values[i - 1])), list);
    return list;
}

/* [{Id, Size, RefCount}] of the reference-counted binaries q's heap refers to. */
static Term binary_list(Process *p, const Process *q)
{
    Term list = NIL;
    for (Term *h = q->off_heap.first; h; h = (Term *)h[3]) {
        if (header_subtag(h[0]) != HDR_REFC_BIN) continue; /* a magic reference */
        Binary *b = (Binary *)h[2];
        Term id = make_small((intptr_t)((uintptr_t)b >> 3));
        Term refc = make_small((intptr_t)atomic_load(&b->refc));
        list = heap_cons(p, heap_tuple3(p, id, make_small((intptr_t)h[1]), refc), list);
    }
    return list;
}

static Term status_of(const Process *p, const Process *q)
{
    if (q == p) return AM_running;
    if (suspend_is_suspended(q)) return AM_suspended;
    switch (atomic_load(&q->sched_state)) {
    case PS_IDLE: return atom_from_cstr("waiting");
    case PS_RUNNING:
    case PS_NOTIFIED: return AM_running;
    default: return atom_from_cstr("runnable");
    }
}

static Term reductions_of(const Process *p, const Process *q)
{
    uint64_t r = q->reductions;
    if (q == p) r += (uint64_t)(SCHED_REDUCTIONS - q->fcalls);
    return make_small((intptr_t)r);
}

static Term mfa_or_undefined(Process *p, const Term *mfa)
{
    return is_atom(mfa[0]) ? heap_tuple3(p, mfa[0], mfa[1], mfa[2]) : AM_undefined;
}

static Term code_place(Process *p, const Process *q, bool location)
{
    if (interp_is_hibernating(q->i)) {
        Term mfa = heap_tuple3(p, AM_erlang, atom_from_cstr("hibernate"), make_small(3));
        return location ? heap_tuple4(p, AM_erlang, atom_from_cstr("hibernate"), make_small(3), NIL) : mfa;
    }
    Term v = raise_code_mfa(p, q->i, location);
    return is_value(v) ? v : AM_undefined;
}

/* Items about q's identity, links and flags (on p's heap). */
static Term info_flags(Process *p, Process *q, Term item)
{
    if (item == AM_registered_name) {
        Term name = __atomic_load_n(&q->registered_name, __ATOMIC_ACQUIRE);
        return is_atom(name) ? name : NIL;
    }
    if (item == AM_trap_exit) return bool_atom(q->trap_exit);
    if (item == AM_priority) return pflag_priority_atom(q->priority);
    if (item == AM_status) return status_of(p, q);
    if (item == AM_group_leader) return leader_of(q);
    if (item == AM_error_handler) return q->flags.error_handler;
    if (item == AM_initial_call) return mfa_or_undefined(p, q->initial_call);
    if (item == AM_parent) return q->parent;
    if (item == AM_links) return list_of_pids(p, q->links, q->num_links);
    if (item == AM_monitors) return monitors_list(p, q);
    if (item == AM_monitored_by) return monitored_by_list(p, q);
    if (item == AM_message_queue_data) return q->flags.off_heap_queue ? AM_off_heap : AM_on_heap;
    if (item == AM_catchlevel) return make_small(q->catches);
    if (item == AM_fullsweep_after) return make_small(q->flags.fullsweep_after);
    if (item == AM_max_heap_size) return pflag_max_heap_map(p, &q->flags);
    if (item == AM_last_calls) return q->flags.save_calls ? NIL : AM_false;
    if (item == AM_sequential_trace_token) return q == p ? seq_trace_token(p) : NIL;
    if (item == AM_suspending) return suspend_info(p, q);
    if (item == AM_trace) return make_small((intptr_t)trace_flags_of(q));
    if (item == AM_reductions) return reductions_of(p, q);
    return THE_NON_VALUE;
}

/* Items about q's code position, queue and memory (on p's heap). */
static Term info_state(Process *p, Process *q, Term item)
{
    if (item == AM_current_function) return code_place(p, q, false);
    if (item == AM_current_location) return code_place(p, q, true);
    if (item == AM_backtrace) return proc_backtrace(p, q);
    if (item == AM_current_stacktrace) return raise_current_stacktrace(p, q, sys_backtrace_depth());
    if (item == AM_dictionary) return q == p ? pdict_get_all(p) : term_copy(p, pdict_get_all(q));
    if (item == AM_messages) return message_list(p, q);
    if (item == AM_message_queue_len) return make_small((intptr_t)q->mbox.len);
    if (item == AM_heap_size) return make_small((intptr_t)heap_block_words(q));
    if (item == AM_total_heap_size) return make_small((intptr_t)total_heap_words(q));
    if (item == AM_stack_size) return make_small(q->hend - q->stop);
    if (item == AM_min_heap_size) return make_small((intptr_t)q->min_heap_words);
    if (item == AM_min_bin_vheap_size) return make_small((intptr_t)q->flags.min_bin_vheap);
    if (item == AM_memory) return make_small((intptr_t)proc_info_memory(q));
    if (item == AM_garbage_collection) return gc_settings(p, q);
    if (item == AM_garbage_collection_info) return gc_info(p, q);
    if (item == AM_binary) return binary_list(p, q);
    return THE_NON_VALUE;
}

static Term info_item(Process *p, Process *q, Term item)
{
    Term v = info_flags(p, q, item);
    return is_value(v) ? v : info_state(p, q, item);
}

/*
 * Reads items of pid for p into out. Returns NIL when pid is not alive,
 * THE_NON_VALUE for an unknown item, true otherwise.
 */
static Term info_items_of(Process *p, Term pid, const Term *items, size_t n, Term *out)
{
    if (pid == p->pid) {
        signal_handle_pending(p);
        for (size_t i = 0; i < n; i++)
            if (!is_value(out[i] = info_item(p, p, items[i]))) return THE_NON_VALUE;
        return AM_true;
    }
    Process *q = ptab_lookup(pid);
    if (!q) return NIL;
    Term result = AM_true;
    /* Both locks, taken in address order (so two processes inspecting each other
       cannot deadlock): the results are built on p's heap, which another
       inspector of p must not read meanwhile. */
    pthread_mutex_unlock(&p->status_lock);
    Process *first = p < q ? p : q, *second = p < q ? q : p;
    pthread_mutex_lock(&first->status_lock);
    pthread_mutex_lock(&second->status_lock);
    if (__atomic_load_n(&q->pid, __ATOMIC_ACQUIRE) != pid || atomic_load(&q->sched_state) == PS_EXITED) {
        result = NIL;
    } else {
        signal_handle_pending(q);
        for (size_t i = 0; i < n && is_value(result); i++)
            if (!is_value(out[i] = info_item(p, q, items[i]))) result = THE_NON_VALUE;
    }
    pthread_mutex_unlock(&q->status_lock);
    return result;
}

static Term pairs(Process *p, const Term *items, const Term *values, size_t n)
{
    Term list = NIL;
    for (size_t i = n; i > 0; i--) list = heap_cons(p, heap_tuple2(p, items[i - 1], values[i - 1]), list);
    return list;
}

/* process_info(Pid, Item | [Item]) */
Term bif_process_info_2(Process *p, const Term *args)
{
    Term pid = args[0], spec = args[1];
    if (!is_pid(pid)) return bif_error(p, AM_badarg);
    Term items[MAX_ITEMS], values[MAX_ITEMS];
    size_t n = 0;
    if (is_atom(spec)) {
        items[n++] = spec;
    } else {
        for (; is_list(spec) && n < MAX_ITEMS; spec = list_tail(spec)) items[n++] = list_head(spec);
        if (!is_nil(spec)) return bif_error(p, AM_badarg);
    }
    for (size_t i = 0; i < n; i++)
        if (!is_atom(items[i])) return bif_error(p, AM_badarg);
    Term r = info_items_of(p, pid, items, n, values);
    if (r == NIL) return AM_undefined;
    if (!is_value(r)) return bif_error(p, AM_badarg);
    if (is_atom(args[1])) /* an unnamed process: [] rather than {registered_name, []} */
        return items[0] == AM_registered_name && is_nil(values[0]) ? NIL : heap_tuple2(p, items[0], values[0]);
    return pairs(p, items, values, n);
}

/* process_info(Pid): OTP's default items, registered_name first when the process has a name. */
Term bif_process_info_1(Process *p, const Term *args)
{
    const Term all[] = {AM_registered_name, AM_current_function, AM_initial_call, AM_status,
                        AM_message_queue_len, AM_links, AM_dictionary, AM_trap_exit, AM_error_handler,
                        AM_priority, AM_group_leader, AM_total_heap_size, AM_heap_size, AM_stack_size,
                        AM_reductions, AM_garbage_collection, AM_suspending};
    const size_t n = sizeof all / sizeof all[0];
    Term values[sizeof all / sizeof all[0]];
    if (!is_pid(args[0])) return bif_error(p, AM_badarg);
    Term r = info_items_of(p, args[0], all, n, values);
    if (r == NIL) return AM_undefined;
    return is_nil(values[0]) ? pairs(p, all + 1, values + 1, n - 1) : pairs(p, all, values, n);
}
