/*
 * query.c - the C API of include/erbium/profiler.h: changing patterns,
 * tracing processes, reading counts and snapshots.
 *
 * Readers never stop the schedulers: a scheduler thread (a native function)
 * reads between two of its progress points; any other thread holds thread
 * progress back (tp_delay) while it walks the tables, which only delays
 * writers that wait to free what it may be reading.
 */
#include "erbium/profiler.h"

#include "profiler/bp.h"
#include "profiler/pattern.h"
#include "profiler/pclock.h"
#include "profiler/pid_sums.h"
#include "profiler/prof_slot.h"
#include "profiler/trace_flags.h"
#include "runtime/term/atom.h"
#include "runtime/proc/proc_table.h"
#include "sched/sched.h"
#include "sched/tp.h"

#include <stdlib.h>
#include <string.h>

#define MAX_ATOM_CHARS 255

/* Lets the calling thread read profiling data until read_end. */
typedef struct ReadGuard {
    bool delayed;
    TpDelay delay;
} ReadGuard;

static ReadGuard read_begin(void)
{
    ReadGuard g = {sched_self() < 0, 0};
    if (g.delayed) g.delay = tp_delay();
    return g;
}

static void read_end(ReadGuard g)
{
    if (g.delayed) tp_continue(g.delay);
}

/* The atom, THE_NON_VALUE for NULL (any), or 0 if the name cannot be an atom. */
static Term name_atom(const char *name)
{
    if (!name) return THE_NON_VALUE;
    return strlen(name) <= MAX_ATOM_CHARS ? atom_from_cstr(name) : 0;
}

static unsigned bp_kinds_of(unsigned kinds)
{
    return ((kinds & ERB_PROF_CALL_COUNT) ? BP_COUNT : 0) | ((kinds & ERB_PROF_CALL_TIME) ? BP_TIME : 0) |
           ((kinds & ERB_PROF_CALL_MEMORY) ? BP_MEMORY : 0);
}

int erb_prof_set(const char *module, const char *function, int arity, unsigned kinds, ErbProfSetting setting,
                 bool blocking)
{
    Pattern pat = {name_atom(module), name_atom(function), arity < 0 ? -1 : arity};
    if (!pat.module || !pat.function) return -1;
    static const PatternSetting settings[] = {PATTERN_ON, PATTERN_OFF, PATTERN_PAUSE, PATTERN_RESTART};
    return (int)pattern_apply(&pat, bp_kinds_of(kinds), settings[setting], blocking);
}

int erb_prof_set_on_load(const char *module, const char *function, int arity, unsigned kinds)
{
    Pattern pat = {name_atom(module), name_atom(function), arity < 0 ? -1 : arity};
    if (!pat.module || !pat.function) return -1;
    pattern_set_on_load(&pat, bp_kinds_of(kinds));
    return 0;
}

static void trace_process(Process *p, void *ctx) { trace_flags_set(p, TRACE_CALL, *(bool *)ctx, NIL); }

void erb_prof_trace_processes(bool on)
{
    ptab_foreach(trace_process, &on);
    trace_flags_set_new(TRACE_CALL, on, NIL);
}

int64_t erb_prof_count(const char *module, const char *function, unsigned arity)
{
    Term m = name_atom(module), f = name_atom(function);
    const Module *mod = m && m != THE_NON_VALUE ? module_find(m) : NULL;
    const FuncRange *fr = mod && f && f != THE_NON_VALUE ? module_func(mod, f, arity) : NULL;
    if (!fr) return -2;
    ReadGuard g = read_begin();
    const BpData *bd = bp_find_function(mod, fr);
    const BpSlot *s = bd ? bp_active(bd) : NULL;
    int64_t n = s && s->count ? (int64_t)pcount_total(s->count) : -1;
    read_end(g);
    return n;
}

/* ---- snapshots ---- */

typedef struct Builder {
    ErbProfSnapshot *snap;
    size_t cap;
    bool failed;
} Builder;

static ErbProfEntry *add_entry(Builder *b, const BpData *bd, const BpSlot *s)
{
    if (b->snap->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 64;
        ErbProfEntry *v = realloc(b->snap->entries, cap * sizeof *v);
        if (!v) {
            b->failed = true;
            return NULL;
        }
        b->snap->entries = v;
        b->cap = cap;
    }
    ErbProfEntry *e = &b->snap->entries[b->snap->n++];
    *e = (ErbProfEntry){atom_text(bd->mod), atom_text(bd->fun), bd->arity, 0, -1,
                        s->count != NULL, s->time != NULL, 0, 0, 0, s->memory != NULL, 0, 0};
    return e;
}

/* time_ns holds ticks until the pass is over (converting may wait on start-up). */
static void sum_time(int slot, Term pid, uint64_t calls, uint64_t ticks, void *ctx)
{
    ErbProfEntry *e = ctx;
    e->calls += calls;
    e->time_ns += ticks;
}

static void sum_memory(int slot, Term pid, uint64_t calls, uint64_t words, void *ctx)
{
    ErbProfEntry *e = ctx;
    e->memory_calls += calls;
    e->words += (int64_t)words;
}

static void add_per_function(Builder *b, const BpData *bd, const BpSlot *s)
{
    ErbProfEntry *e = add_entry(b, bd, s);
    if (!e) return;
    if (s->count) e->count = pcount_total(s->count);
    if (s->time) ptime_foreach(s->time, sum_time, e);
    if (s->memory) ptime_foreach(s->memory, sum_memory, e);
}

/* One entry per process with call_time or call_memory data (both kinds merged). */
static void add_per_process(Builder *b, const BpData *bd, const BpSlot *s)
{
    if (!s->time && !s->memory) {
        add_per_function(b, bd, s);
        return;
    }
    uint64_t count = s->count ? pcount_total(s->count) : 0;
    PidSums time, memory, pids;
    pid_sums_init(&time);
    pid_sums_init(&memory);
    pid_sums_init(&pids);
    if (s->time) pid_sums_add_time(&time, s->time);
    if (s->memory) pid_sums_add_time(&memory, s->memory);
    for (size_t i = 0; i < time.cap; i++)
        if (time.v[i].pid) pid_sums_add(&pids, time.v[i].pid, 0, 0);
    for (size_t i = 0; i < memory.cap; i++)
        if (memory.v[i].pid) pid_sums_add(&pids, memory.v[i].pid, 0, 0);
    for (size_t i = 0; i < pids.cap; i++) {
        Term pid = pids.v[i].pid;
        if (!pid) continue;
        ErbProfEntry *e = add_entry(b, bd, s);
        if (!e) break;
        const PidSum *t = pid_sums_get(&time, pid), *m = pid_sums_get(&memory, pid);
        e->pid = pid_number(pid);
        e->count = count;
        if (t) e->calls = t->calls, e->time_ns = t->ticks;
        if (m) e->memory_calls = m->calls, e->words = (int64_t)m->ticks;
    }
    pid_sums_free(&time);
    pid_sums_free(&memory);
    pid_sums_free(&pids);
}

/* Per slot: calls and ticks of call_time, calls and words of call_memory. */
typedef struct SlotSums {
    uint64_t *v; /* 4 per slot */
} SlotSums;

static void sum_slot_time(int slot, Term pid, uint64_t calls, uint64_t ticks, void *ctx)
{
    uint64_t *v = ((SlotSums *)ctx)->v + 4 * slot;
    v[0] += calls;
    v[1] += ticks;
}

static void sum_slot_memory(int slot, Term pid, uint64_t calls, uint64_t words, void *ctx)
{
    uint64_t *v = ((SlotSums *)ctx)->v + 4 * slot;
    v[2] += calls;
    v[3] += words;
}

static void add_per_scheduler(Builder *b, const BpData *bd, const BpSlot *s)
{
    int slots = prof_slot_count();
    SlotSums ss = {calloc(4 * (size_t)slots, sizeof(uint64_t))};
    if (!ss.v) {
        b->failed = true;
        return;
    }
    if (s->time) ptime_foreach(s->time, sum_slot_time, &ss);
    if (s->memory) ptime_foreach(s->memory, sum_slot_memory, &ss);
    for (int k = 0; k < slots; k++) {
        const uint64_t *v = ss.v + 4 * k;
        uint64_t count = s->count ? pcount_of_slot(s->count, k) : 0;
        if (!count && !v[0] && !v[1] && !v[2] && !v[3]) continue;
        ErbProfEntry *e = add_entry(b, bd, s);
        if (!e) break;
        e->scheduler = k;
        e->count = count;
        e->calls = v[0];
        e->time_ns = v[1];
        e->memory_calls = v[2];
        e->words = (int64_t)v[3];
    }
    free(ss.v);
}

ErbProfSnapshot *erb_prof_snapshot(ErbProfView view)
{
    Builder b = {calloc(1, sizeof(ErbProfSnapshot)), 0, false};
    if (!b.snap) return NULL;
    ReadGuard g = read_begin();
    for (const BpData *bd = bp_first(); bd && !b.failed; bd = bp_next(bd)) {
        const BpSlot *s = bp_active(bd);
        if (!s->count && !s->time && !s->memory) continue;
        if (view == ERB_PROF_PER_PROCESS) add_per_process(&b, bd, s);
        else if (view == ERB_PROF_PER_SCHEDULER) add_per_scheduler(&b, bd, s);
        else add_per_function(&b, bd, s);
    }
    read_end(g);
    if (b.failed) {
        erb_prof_snapshot_free(b.snap);
        return NULL;
    }
    double ns_per_tick = pclock_ns_per_tick();
    for (size_t i = 0; i < b.snap->n; i++)
        b.snap->entries[i].time_ns = pclock_to_ns_at(ns_per_tick, b.snap->entries[i].time_ns);
    return b.snap;
}

void erb_prof_snapshot_free(ErbProfSnapshot *s)
{
    if (!s) return;
    free(s->entries);
    free(s);
}
