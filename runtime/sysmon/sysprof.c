/* sysprof.c - erlang:system_profile/0,2 and its messages (see sysprof.h). */
#include "runtime/sysmon/sysprof.h"

#include "profiler/trace_flags.h"
#include "profiler/trace_msg.h"
#include "runtime/bif/bif.h"
#include "runtime/proc/heap.h"
#include "runtime/proc/signal.h"

#include <pthread.h>

_Atomic uint32_t sysprof_flags;

/* Settings change under the mutex; the hooks read the atomics. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static _Atomic Term profiler = NIL;
static _Atomic uint32_t stamp_flag = TRACE_TIMESTAMP; /* the trace_msg_stamp bit of the stamp asked for */

/* {profile, ...} to the profiler (never about the profiler itself). */
static void post(Term about, Term msg)
{
    Term to = atomic_load_explicit(&profiler, memory_order_acquire);
    if (to == NIL || to == about) return;
    signal_post(SIG_MESSAGE, to, about, msg, false);
}

static Term state_atom(bool active) { return active ? atom_put("active", 6) : atom_put("inactive", 8); }

void sysprof_proc(Process *p, bool active, bool exited)
{
    Term mfa_buf[4], stamp_buf[4], msg[6];
    msg[0] = make_tuple_header(5);
    msg[1] = atom_put("profile", 7);
    msg[2] = p->pid;
    msg[3] = state_atom(active);
    msg[4] = exited ? make_small(0) : trace_current_mfa(mfa_buf, p);
    msg[5] = trace_msg_stamp(stamp_buf, atomic_load_explicit(&stamp_flag, memory_order_relaxed));
    post(p->pid, make_boxed(msg));
}

void sysprof_sched(int index, bool active, int nactive)
{
    Term stamp_buf[4], msg[7];
    msg[0] = make_tuple_header(6);
    msg[1] = atom_put("profile", 7);
    msg[2] = atom_put("scheduler", 9);
    msg[3] = make_small(index + 1);
    msg[4] = state_atom(active);
    msg[5] = make_small(nactive);
    msg[6] = trace_msg_stamp(stamp_buf, atomic_load_explicit(&stamp_flag, memory_order_relaxed));
    post(NIL, make_boxed(msg));
}

/* ---- the BIFs ---- */

static const struct {
    const char *name;
    uint32_t bit;
} options[] = {{"exclusive", SYSPROF_EXCLUSIVE},
               {"scheduler", SYSPROF_SCHED},
               {"runnable_procs", SYSPROF_PROCS},
               {"runnable_ports", SYSPROF_PORTS}};
#define NOPTIONS (sizeof options / sizeof *options)

/* {Profiler, Options} in OTP's order (time stamp kinds are not listed), or undefined. */
static Term settings_term(Process *p, Term pid, uint32_t flags)
{
    if (pid == NIL) return AM_undefined;
    Term l = NIL;
    for (size_t i = NOPTIONS; i-- > 0;)
        if (flags & options[i].bit) l = heap_cons(p, atom_from_cstr(options[i].name), l);
    return heap_tuple2(p, pid, l);
}

/* The option list into *flags and *stamp; false for anything OTP rejects. */
static bool parse_options(Term opts, uint32_t *flags, uint32_t *stamp)
{
    *flags = 0;
    *stamp = TRACE_TIMESTAMP;
    for (; is_list(opts); opts = list_tail(opts)) {
        Term o = list_head(opts);
        size_t i = 0;
        while (i < NOPTIONS && o != atom_from_cstr(options[i].name)) i++;
        if (i < NOPTIONS) *flags |= options[i].bit;
        else if (o == atom_from_cstr("timestamp")) *stamp = TRACE_TIMESTAMP;
        else if (o == atom_from_cstr("monotonic_timestamp")) *stamp = TRACE_MONOTONIC;
        else if (o == atom_from_cstr("strict_monotonic_timestamp")) *stamp = TRACE_MONOTONIC | TRACE_STRICT_MONOTONIC;
        else return false;
    }
    return is_nil(opts);
}

Term bif_system_profile_0(Process *p, const Term *args)
{
    pthread_mutex_lock(&lock);
    Term pid = atomic_load(&profiler);
    uint32_t flags = atomic_load(&sysprof_flags);
    pthread_mutex_unlock(&lock);
    return settings_term(p, pid, flags);
}

/* system_profile(Profiler | undefined, Options): undefined (whatever the options, as OTP) or
   an empty list turns it off. */
Term bif_system_profile_2(Process *p, const Term *args)
{
    Term pid = args[0], opts = args[1];
    uint32_t flags = 0, stamp = TRACE_TIMESTAMP;
    if (pid != AM_undefined && ((!is_pid(pid) && !is_port(pid)) || !parse_options(opts, &flags, &stamp)))
        return bif_error(p, AM_badarg);
    if (pid == AM_undefined || is_nil(opts)) pid = NIL;
    pthread_mutex_lock(&lock);
    Term old_pid = atomic_load(&profiler);
    uint32_t old_flags = atomic_load(&sysprof_flags);
    /* the flags go last: a hook that sees them finds the profiler set */
    atomic_store(&sysprof_flags, 0);
    atomic_store(&stamp_flag, stamp);
    atomic_store(&profiler, pid);
    atomic_store(&sysprof_flags, pid == NIL ? 0 : flags);
    pthread_mutex_unlock(&lock);
    return settings_term(p, old_pid, old_flags);
}
