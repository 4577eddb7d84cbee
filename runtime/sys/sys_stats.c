/*
 * sys_stats.c - erlang:statistics/1 and erlang:system_flag/2.
 *
 * The "since last call" halves of runtime, wall_clock and reductions are
 * VM-wide, as on OTP: whichever process asks next gets the difference.
 * Scheduler wall time is in nanoseconds; run queue and active task lists
 * have one entry per normal scheduler, then the dirty CPU pool, then (the
 * _all variants) the dirty I/O pool.
 */
#include "profiler/seq_trace.h"
#include "runtime/bif/bif.h"

#include "runtime/interp/raise.h"
#include "runtime/io/io_out.h"
#include "runtime/proc/heap.h"
#include "runtime/proc/proc_flags.h"
#include "runtime/sys/sys.h"
#include "runtime/sys/sys_msacc.h"
#include "runtime/sys/sys_multisched.h"
#include "runtime/term/big.h"
#include "runtime/time/arith_time.h"
#include "sched/dirty.h"
#include "sched/sched.h"
#include "sched/sched_stats.h"

#include <stdatomic.h>
#include <time.h>

static _Atomic uint64_t last_runtime_ms, last_wall_ms, last_reductions, last_exact_reductions;

static Term pair_since(Process *p, uint64_t now, _Atomic uint64_t *last)
{
    uint64_t before = atomic_exchange(last, now);
    return heap_tuple2(p, int_from_u64(p, now), int_from_u64(p, now >= before ? now - before : 0));
}

static uint64_t cpu_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static uint64_t wall_ms(void) { return (uint64_t)(arith_time_monotonic() - MIN_SMALL) / 1000000; }

/* All reductions so far, with the asking process's current slice. */
static uint64_t reductions_now(const Process *p)
{
    return sstat_total_reductions() + (uint64_t)(SCHED_REDUCTIONS - p->fcalls);
}

static Term int_list(Process *p, const uint64_t *v, int n)
{
    Term list = NIL;
    for (int i = n; i > 0; i--) list = heap_cons(p, int_from_u64(p, v[i - 1]), list);
    return list;
}

/* Per normal scheduler, then the dirty CPU pool, then (all) the dirty I/O pool: queue lengths. */
static int queue_lengths(uint64_t *v, bool all)
{
    int n = sched_count();
    for (int i = 0; i < n; i++) v[i] = sched_run_queue_len(i);
    v[n] = dirty_queue_len(0);
    if (!all) return n + 1;
    v[n + 1] = dirty_queue_len(1);
    return n + 2;
}

static uint64_t sum(const uint64_t *v, int n)
{
    uint64_t s = 0;
    for (int i = 0; i < n; i++) s += v[i];
    return s;
}

/* [{Id, Active, Total}] for the normal and dirty CPU schedulers (all: dirty I/O too), or undefined. */
static Term wall_time(Process *p, bool all)
{
    int n = sched_count(), ncpu = dirty_threads(0), nio = all ? dirty_threads(1) : 0;
    Term list = NIL;
    for (int i = n + ncpu + nio; i > 0; i--) {
        uint64_t busy, total;
        if (!sstat_wall_time(i - 1, &busy, &total)) return AM_undefined;
        list = heap_cons(p, heap_tuple3(p, make_small(i), int_from_u64(p, busy), int_from_u64(p, total)), list);
    }
    return list;
}

static Term gc_stats(Process *p)
{
    uint64_t gcs, reclaimed;
    heap_gc_totals(&gcs, &reclaimed);
    return heap_tuple3(p, int_from_u64(p, gcs), int_from_u64(p, reclaimed), make_small(0));
}

static Term io_stats(Process *p)
{
    Term in = heap_tuple2(p, atom_from_cstr("input"), make_small(0));
    Term out = heap_tuple2(p, atom_from_cstr("output"), int_from_u64(p, io_out_bytes()));
    return heap_tuple2(p, in, out);
}

static bool is_key(Term k, const char *name) { return k == atom_from_cstr(name); }

/* Run queue and active task items; THE_NON_VALUE if k is none of them. */
static Term queue_stats(Process *p, Term k)
{
    uint64_t v[SSTAT_MAX_SLOTS];
    bool all = is_key(k, "run_queue_lengths_all") || is_key(k, "total_run_queue_lengths_all") ||
               is_key(k, "active_tasks_all") || is_key(k, "total_active_tasks_all");
    bool list = is_key(k, "run_queue_lengths") || is_key(k, "run_queue_lengths_all") ||
                is_key(k, "active_tasks") || is_key(k, "active_tasks_all");
    bool total = is_key(k, "total_run_queue_lengths") || is_key(k, "total_run_queue_lengths_all") ||
                 is_key(k, "total_active_tasks") || is_key(k, "total_active_tasks_all");
    if (is_key(k, "run_queue")) { /* the normal schedulers' and the dirty CPU pool's */
        int n = queue_lengths(v, false);
        return int_from_u64(p, sum(v, n));
    }
    if (!list && !total) return THE_NON_VALUE;
    int n = queue_lengths(v, all);
    if (k == atom_from_cstr("active_tasks") || k == atom_from_cstr("active_tasks_all") ||
        k == atom_from_cstr("total_active_tasks") || k == atom_from_cstr("total_active_tasks_all")) {
        /* the asking process is running, on its scheduler */
        int self = sched_self();
        if (self >= 0 && self < n) v[self]++;
    }
    return list ? int_list(p, v, n) : int_from_u64(p, sum(v, n));
}

Term bif_statistics_1(Process *p, const Term *args)
{
    Term k = args[0];
    if (is_key(k, "runtime")) return pair_since(p, cpu_ms(), &last_runtime_ms);
    if (is_key(k, "wall_clock")) return pair_since(p, wall_ms(), &last_wall_ms);
    if (is_key(k, "reductions")) return pair_since(p, reductions_now(p), &last_reductions);
    if (is_key(k, "exact_reductions")) return pair_since(p, reductions_now(p), &last_exact_reductions);
    if (is_key(k, "context_switches")) return heap_tuple2(p, int_from_u64(p, sstat_total_switches()), make_small(0));
    if (is_key(k, "garbage_collection")) return gc_stats(p);
    if (is_key(k, "io")) return io_stats(p);
    if (is_key(k, "scheduler_wall_time")) return wall_time(p, false);
    if (is_key(k, "scheduler_wall_time_all")) return wall_time(p, true);
    if (k == AM_microstate_accounting) return sys_msacc_statistics(p);
    Term v = is_atom(k) ? queue_stats(p, k) : THE_NON_VALUE;
    return is_value(v) ? v : bif_error(p, AM_badarg);
}

static Term set_int_setting(Process *p, Term value, int lo, int hi, int (*set)(int))
{
    if (!is_small(value) || small_val(value) < lo || small_val(value) > hi) return bif_error(p, AM_badarg);
    return make_small(set((int)small_val(value)));
}

static Term system_logger = THE_NON_VALUE; /* an atom or pid: no heap needed */

Term sys_system_logger(void)
{
    Term t = __atomic_load_n(&system_logger, __ATOMIC_ACQUIRE);
    return is_value(t) ? t : AM_logger;
}
static _Atomic int requests_limit;

static int set_requests_limit(int n)
{
    int old = atomic_exchange(&requests_limit, n);
    return old ? old : 2 * sched_count();
}

/* erts_internal:scheduler_wall_time(Bool): kernel_refc's switch for the measurement (its refcount is kernel_refc's). */
Term bif_ei_scheduler_wall_time_1(Process *p, const Term *args)
{
    if (args[0] != AM_true && args[0] != AM_false) return bif_error(p, AM_badarg);
    return sstat_set_wall_time(args[0] == AM_true) ? AM_true : AM_false;
}

Term bif_system_flag_2(Process *p, const Term *args)
{
    Term flag = args[0], value = args[1];
    if (is_key(flag, "scheduler_wall_time")) {
        if (value != AM_true && value != AM_false) return bif_error(p, AM_badarg);
        return sstat_set_wall_time(value == AM_true) ? AM_true : AM_false;
    }
    if (flag == AM_microstate_accounting) {
        Term old = sys_msacc_flag(value);
        return is_value(old) ? old : bif_error(p, AM_badarg);
    }
    if (is_key(flag, "multi_scheduling")) {
        Term state = sys_multisched_flag(p, value);
        return is_value(state) ? state : bif_error(p, AM_badarg);
    }
    if (is_key(flag, "schedulers_online")) return set_int_setting(p, value, 1, sched_count(), sys_set_schedulers_online);
    if (is_key(flag, "sequential_tracer")) {
        Term old = seq_trace_set_system_tracer(value);
        return is_value(old) ? old : bif_error(p, AM_badarg);
    }
    if (is_key(flag, "reset_seq_trace")) {
        seq_trace_reset();
        return AM_true;
    }
    if (is_key(flag, "backtrace_depth")) return set_int_setting(p, value, 0, RAISE_MAX_DEPTH, sys_set_backtrace_depth);
    if (is_key(flag, "outstanding_system_requests_limit"))
        return set_int_setting(p, value, 1, 134217727, set_requests_limit);
    if (is_key(flag, "system_logger")) {
        if (!is_pid(value) && value != AM_undefined && value != atom_from_cstr("logger")) return bif_error(p, AM_badarg);
        Term old = __atomic_exchange_n(&system_logger, value, __ATOMIC_ACQ_REL);
        return is_value(old) ? old : atom_from_cstr("logger");
    }
    if (is_key(flag, "time_offset")) {
        if (value != atom_from_cstr("finalize")) return bif_error(p, AM_badarg);
        return atom_from_cstr("final");
    }
    Term old = pflag_set_default(p, flag, value);
    return is_value(old) ? old : bif_error(p, AM_badarg);
}
