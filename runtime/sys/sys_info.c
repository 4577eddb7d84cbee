/*
 * sys_info.c - erlang:system_info/1: the keys OTP's own code and common
 * tools ask, with this VM's real values (as OTP formats them). erbium is
 * an interpreter, so emu_flavor is emu and system_version says [erbium]
 * where OTP says [source]; the rest follows the installed OTP it runs.
 */
#define _GNU_SOURCE
#include "profiler/seq_trace.h"
#include "runtime/bif/bif.h"

#include "runtime/proc/heap.h"
#include "runtime/proc/proc_flags.h"
#include "runtime/proc/proc_table.h"
#include "runtime/proc/registry.h"
#include "runtime/ets/ets.h"
#include "runtime/port/port.h"
#include "runtime/sys/sys.h"
#include "runtime/sys/sys_multisched.h"
#include "runtime/term/big.h"
#include "runtime/term/map.h"
#include "sched/dirty.h"
#include "sched/sched.h"

#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <time.h>


static Term small(intptr_t n) { return make_small(n); }

static Term os_version(Process *p)
{
    struct utsname u;
    int v[3] = {0, 0, 0};
    if (uname(&u) == 0) sscanf(u.release, "%d.%d.%d", &v[0], &v[1], &v[2]);
    return heap_tuple3(p, small(v[0]), small(v[1]), small(v[2]));
}

static Term system_architecture(Process *p)
{
    struct utsname u;
    char buf[128];
    snprintf(buf, sizeof buf, "%s-pc-linux-gnu", uname(&u) == 0 ? u.machine : "unknown");
    return heap_string(p, buf, strlen(buf));
}

static Term system_version(Process *p)
{
    char buf[256];
    const char *rel = sys_otp_release(), *vsn = sys_erts_version();
    snprintf(buf, sizeof buf, "Erlang/OTP %s [erts-%s] [erbium] [64-bit] [smp:%d:%d] [ds:%d:%d:%d] [async-threads:0]\n",
             rel ? rel : "?", vsn ? vsn : "?", sched_count(), sys_schedulers_online(), dirty_threads(0),
             dirty_threads(0), dirty_threads(1));
    return heap_string(p, buf, strlen(buf));
}

static Term version_string(Process *p, const char *s) { return s ? heap_string(p, s, strlen(s)) : AM_undefined; }

static Term gc_defaults(Process *p)
{
    ProcFlags f = proc_flags_default();
    Term items[4] = {
        heap_tuple2(p, AM_max_heap_size, small((intptr_t)f.max_heap_size)),
        heap_tuple2(p, AM_min_bin_vheap_size, small((intptr_t)f.min_bin_vheap)),
        heap_tuple2(p, AM_min_heap_size, small((intptr_t)pflag_default_min_heap())),
        heap_tuple2(p, AM_fullsweep_after, small(f.fullsweep_after)),
    };
    Term list = NIL;
    for (int i = 4; i > 0; i--) list = heap_cons(p, items[i - 1], list);
    return list;
}

/* [{processor, [{core, {logical, N}} ...]}]: one processor with a core per logical processor. */
static Term cpu_topology(Process *p)
{
    Term cores = NIL;
    for (int i = sys_cpus_configured(); i > 0; i--)
        cores = heap_cons(p, heap_tuple2(p, atom_from_cstr("core"), heap_tuple2(p, atom_from_cstr("logical"), small(i - 1))),
                          cores);
    return heap_cons(p, heap_tuple2(p, atom_from_cstr("processor"), cores), NIL);
}

/* Every port but a spawned driver's holds a file descriptor, so descriptors bound the ports. */
static Term port_limit(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur >= (rlim_t)MAX_SMALL) return AM_infinity;
    return small((intptr_t)rl.rlim_cur);
}

static Term c_compiler(Process *p)
{
    Term v = heap_tuple3(p, small(__GNUC__), small(__GNUC_MINOR__), small(__GNUC_PATCHLEVEL__));
    return heap_tuple2(p, atom_from_cstr("gnuc"), v);
}

static size_t list_length(Term l)
{
    size_t n = 0;
    for (; is_list(l); l = list_tail(l)) n++;
    return n;
}

/* The collector's heap block sizes, smallest first. */
static Term heap_sizes(Process *p)
{
    size_t sizes[256], n = 0;
    for (size_t s = heap_size_after(0); s && n < 256; s = heap_size_after(s)) sizes[n++] = s;
    Term list = NIL;
    while (n > 0) list = heap_cons(p, int_from_u64(p, sizes[--n]), list);
    return list;
}

static Term unbound_tuple(Process *p, int n)
{
    Term *hp = heap_alloc(p, 1 + (size_t)n);
    hp[0] = make_tuple_header((size_t)n);
    for (int i = 1; i <= n; i++) hp[i] = atom_from_cstr("unbound");
    return make_boxed(hp);
}

static Term pairs_list(Process *p, const char *const *keys, const Term *values, size_t n)
{
    Term list = NIL;
    for (size_t i = n; i > 0; i--) list = heap_cons(p, heap_tuple2(p, atom_from_cstr(keys[i - 1]), values[i - 1]), list);
    return list;
}

/* One poll set (erbium's epoll set, polled by the schedulers: runtime/port/port_poll.c), with what is known of it. */
static Term check_io(Process *p)
{
    struct rlimit rl;
    intptr_t max_fds = getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < (rlim_t)MAX_SMALL ? (intptr_t)rl.rlim_cur : -1;
    static const char *const keys[] = {"name", "primary", "kernel_poll", "max_fds", "poll_threads"};
    Term values[] = {atom_from_cstr("erts_poll"), atom_from_cstr("epoll"), atom_from_cstr("epoll"),
                     max_fds < 0 ? AM_infinity : small(max_fds), small(1)};
    return heap_cons(p, pairs_list(p, keys, values, 5), NIL);
}

/* os_monotonic_time_source / os_system_time_source: the clock erbium reads and its resolution. */
static Term time_source(Process *p, clockid_t id, const char *name, bool monotonic)
{
    struct timespec res = {0, 1}, now = {0, 0};
    clock_getres(id, &res);
    clock_gettime(id, &now);
    uint64_t per_sec = res.tv_sec || !res.tv_nsec ? 1 : 1000000000u / (uint64_t)res.tv_nsec;
    uint64_t ns = (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
    static const char *const mkeys[] = {"function", "clock_id", "resolution", "extended", "parallel", "time"};
    static const char *const skeys[] = {"function", "clock_id", "resolution", "parallel", "time"};
    Term func = atom_from_cstr("clock_gettime"), clock = atom_from_cstr(name), yes = atom_from_cstr("yes");
    if (monotonic) {
        Term values[] = {func, clock, int_from_u64(p, per_sec), atom_from_cstr("no"), yes, int_from_u64(p, ns)};
        return pairs_list(p, mkeys, values, 6);
    }
    Term values[] = {func, clock, int_from_u64(p, per_sec), yes, int_from_u64(p, ns)};
    return pairs_list(p, skeys, values, 5);
}

/* The CPUs a cgroup (v2) quota allows, rounded up, or unknown when there is no quota. */
static Term cpu_quota(void)
{
    FILE *f = fopen("/sys/fs/cgroup/cpu.max", "r");
    if (!f) return atom_from_cstr("unknown");
    long long quota = 0, period = 0;
    int got = fscanf(f, "%lld %lld", &quota, &period);
    fclose(f);
    if (got != 2 || quota <= 0 || period <= 0) return atom_from_cstr("unknown");
    return small((intptr_t)((quota + period - 1) / period));
}

/* Keys whose value is an atom, an integer or a string fixed by what erbium is. */
static Term fixed_key(Process *p, const char *k)
{
    static const struct { const char *key, *atom; } atoms[] = {
        {"emu_flavor", "emu"}, {"emu_type", "opt"}, {"build_type", "opt"}, {"smp_support", "true"},
        {"threads", "true"}, {"kernel_poll", "true"}, {"heap_type", "private"},
        {"hipe_architecture", "undefined"}, {"modified_timing_level", "undefined"},
        {"scheduler_bind_type", "unbound"}, {"time_offset", "final"},
        {"time_warp_mode", "no_time_warp"}, {"tolerant_timeofday", "enabled"}, {"debug_compiled", "false"},
        {"lock_checking", "false"}, {"dynamic_trace", "none"}, {"dynamic_trace_probes", "false"},
        {"port_parallelism", "false"}, {"update_cpu_info", "unchanged"}, {"eager_check_io", "true"},
        {"lock_counting", "false"}, {"ets_always_compress", "false"},
        /* erbium reads the OS clocks as they are: it corrects nothing */
        {"time_correction", "false"},
    };
    for (size_t i = 0; i < sizeof atoms / sizeof atoms[0]; i++)
        if (!strcmp(k, atoms[i].key)) return atom_from_cstr(atoms[i].atom);
    /* the interface versions of OTP 25 that erbium's built-in natives stand in for */
    if (!strcmp(k, "machine")) return heap_string(p, "BEAM", strlen("BEAM"));
    if (!strcmp(k, "nif_version")) return heap_string(p, "2.16", strlen("2.16"));
    if (!strcmp(k, "driver_version")) return heap_string(p, "3.3", strlen("3.3"));
    if (!strcmp(k, "wordsize")) return small(sizeof(Term));
    if (!strcmp(k, "creation") || !strcmp(k, "thread_pool_size") || !strcmp(k, "trace_control_word"))
        return small(0);
    if (!strcmp(k, "dist_ctrl") || !strcmp(k, "taints")) return NIL; /* no NIF library is loaded from outside */
    /* the settings of an unconnected node: OTP 25's defaults, as erbium has no distribution to apply them to */
    if (!strcmp(k, "delayed_node_table_gc")) return small(60);
    if (!strcmp(k, "dist_buf_busy_limit")) return small(1024 * 1024);
    /* OTP 25 reports 8192 and no longer enforces it: tables are limited by memory, in erbium too */
    if (!strcmp(k, "ets_limit")) return small(8192);
    if (!strcmp(k, "multi_scheduling")) return sys_multisched_state();
    if (!strcmp(k, "multi_scheduling_blockers")) return sys_multisched_blockers(p, false);
    if (!strcmp(k, "normal_multi_scheduling_blockers")) return sys_multisched_blockers(p, true);
    if (!strcmp(k, "start_time")) return small(MIN_SMALL);
    if (!strcmp(k, "end_time")) return small(MAX_SMALL);
    return THE_NON_VALUE;
}

/* Keys about this machine, this run and the installed OTP. */
static Term measured_key(Process *p, const char *k)
{
    if (!strcmp(k, "os_type")) return heap_tuple2(p, atom_from_cstr("unix"), atom_from_cstr("linux"));
    if (!strcmp(k, "os_version")) return os_version(p);
    if (!strcmp(k, "system_architecture")) return system_architecture(p);
    if (!strcmp(k, "system_version")) return system_version(p);
    if (!strcmp(k, "otp_release")) return version_string(p, sys_otp_release());
    if (!strcmp(k, "compat_rel")) return sys_otp_release() ? small(atoi(sys_otp_release())) : AM_undefined;
    if (!strcmp(k, "version")) return version_string(p, sys_erts_version());
    if (!strcmp(k, "schedulers")) return small(sched_count());
    if (!strcmp(k, "schedulers_online")) return small(sys_schedulers_online());
    if (!strcmp(k, "dirty_cpu_schedulers") || !strcmp(k, "dirty_cpu_schedulers_online")) return small(dirty_threads(0));
    if (!strcmp(k, "dirty_io_schedulers")) return small(dirty_threads(1));
    if (!strcmp(k, "logical_processors")) return small(sys_cpus_configured());
    if (!strcmp(k, "logical_processors_online")) return small(sys_cpus_online());
    if (!strcmp(k, "logical_processors_available")) return small(sys_cpus_available());
    if (!strcmp(k, "scheduler_id")) return small(sched_self() + 1);
    if (!strcmp(k, "process_count")) return small((intptr_t)ptab_count());
    if (!strcmp(k, "process_limit")) return small(PTAB_MAX_PROCESSES);
    if (!strcmp(k, "atom_count")) return small((intptr_t)atom_count());
    if (!strcmp(k, "atom_limit")) return small(ATOM_MAX_COUNT);
    if (!strcmp(k, "outstanding_system_requests_limit")) return small(2 * sched_count());
    if (!strcmp(k, "cpu_topology")) return cpu_topology(p);
    if (!strcmp(k, "port_limit")) return port_limit();
    if (!strcmp(k, "c_compiler_used")) return c_compiler(p);
    if (!strcmp(k, "garbage_collection")) return gc_defaults(p);
    if (!strcmp(k, "min_heap_size")) return heap_tuple2(p, AM_min_heap_size, small((intptr_t)pflag_default_min_heap()));
    if (!strcmp(k, "min_bin_vheap_size"))
        return heap_tuple2(p, AM_min_bin_vheap_size, small((intptr_t)proc_flags_default().min_bin_vheap));
    if (!strcmp(k, "fullsweep_after"))
        return heap_tuple2(p, AM_fullsweep_after, small(proc_flags_default().fullsweep_after));
    if (!strcmp(k, "max_heap_size")) return pflag_max_heap_map(p, &(ProcFlags){
        .max_heap_size = proc_flags_default().max_heap_size, .max_heap_kill = proc_flags_default().max_heap_kill,
        .max_heap_log = proc_flags_default().max_heap_log});
    if (!strcmp(k, "message_queue_data")) return proc_flags_default().off_heap_queue ? AM_off_heap : AM_on_heap;
    if (!strcmp(k, "sequential_tracer")) return heap_tuple2(p, atom_from_cstr("sequential_tracer"), seq_trace_system_tracer());
    return THE_NON_VALUE;
}

/* Keys about the VM's tables, threads and clocks (OTP 25's shapes). */
static Term runtime_key(Process *p, const char *k)
{
    if (!strcmp(k, "port_count")) return small((intptr_t)port_table_count());
    if (!strcmp(k, "ets_count")) return small((intptr_t)list_length(ets_all(p)));
    if (!strcmp(k, "heap_sizes")) return heap_sizes(p);
    if (!strcmp(k, "schedulers_state")) /* {Total, Online, Active}: none is ever blocked */
        return heap_tuple3(p, small(sched_count()), small(sys_schedulers_online()), small(sys_schedulers_online()));
    if (!strcmp(k, "scheduler_bindings")) return unbound_tuple(p, sched_count());
    if (!strcmp(k, "check_io")) return check_io(p);
    if (!strcmp(k, "os_monotonic_time_source")) return time_source(p, CLOCK_MONOTONIC, "CLOCK_MONOTONIC", true);
    if (!strcmp(k, "os_system_time_source")) return time_source(p, CLOCK_REALTIME, "CLOCK_REALTIME", false);
    if (!strcmp(k, "cpu_quota")) return cpu_quota();
    if (!strcmp(k, "system_logger")) {
        Term pid = reg_whereis(atom_from_cstr("logger"));
        return is_pid(pid) ? pid : AM_undefined;
    }
    return THE_NON_VALUE;
}

/* {cpu_topology, defined | detected | used}: none is defined (+sct), and erbium uses what it detects. */
static Term cpu_topology_of(Process *p, Term which)
{
    if (which == atom_from_cstr("defined")) return AM_undefined;
    if (which == atom_from_cstr("detected") || which == atom_from_cstr("used")) return cpu_topology(p);
    return THE_NON_VALUE;
}

Term bif_system_info_1(Process *p, const Term *args)
{
    Term key = args[0];
    Term alloc = sys_alloc_info(p, key);
    if (is_value(alloc)) return alloc;
    if (is_tuple(key) && tuple_arity(key) == 2 && tuple_elems(key)[0] == atom_from_cstr("cpu_topology")) {
        Term v = cpu_topology_of(p, tuple_elems(key)[1]);
        return is_value(v) ? v : bif_error(p, AM_badarg);
    }
    if (is_tuple(key) && tuple_arity(key) == 2 && tuple_elems(key)[0] == atom_from_cstr("wordsize")) {
        Term which = tuple_elems(key)[1];
        if (which == atom_from_cstr("internal") || which == atom_from_cstr("external")) return small(sizeof(Term));
        return bif_error(p, AM_badarg);
    }
    if (!is_atom(key) || atom_len(key) >= 64) return bif_error(p, AM_badarg);
    char k[64];
    memcpy(k, atom_text(key), atom_len(key));
    k[atom_len(key)] = 0;
    Term v = fixed_key(p, k);
    if (!is_value(v)) v = measured_key(p, k);
    if (!is_value(v)) v = runtime_key(p, k);
    return is_value(v) ? v : bif_error(p, AM_badarg);
}
