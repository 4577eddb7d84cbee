/*
 * bif_sysmon.c - erlang:system_monitor/0,1,2 over sysmon.c.
 */
#include "runtime/bif/bif.h"
#include "runtime/sysmon/sysmon.h"

#include "runtime/proc/heap.h"

static Term opt_pair(Process *p, const char *name, uint64_t v)
{
    return heap_tuple2(p, atom_from_cstr(name), make_small((intptr_t)v));
}

/* {MonitorPid, Options} as OTP lists them, or undefined. */
static Term settings_term(Process *p, const SysMonSettings *s)
{
    if (s->pid == NIL) return AM_undefined;
    Term l = NIL;
    if (s->long_gc_ms != SYSMON_UNSET) l = heap_cons(p, opt_pair(p, "long_gc", s->long_gc_ms), l);
    if (s->long_schedule_ms != SYSMON_UNSET) l = heap_cons(p, opt_pair(p, "long_schedule", s->long_schedule_ms), l);
    if (s->large_heap_words != SYSMON_UNSET) l = heap_cons(p, opt_pair(p, "large_heap", s->large_heap_words), l);
    if (s->busy_port) l = heap_cons(p, AM_busy_port, l);
    if (s->busy_dist_port) l = heap_cons(p, atom_put("busy_dist_port", 14), l);
    return heap_tuple2(p, s->pid, l);
}

static bool threshold(Term v, uint64_t *out)
{
    if (!is_small(v) || small_val(v) < 0) return false;
    *out = (uint64_t)small_val(v);
    return true;
}

/* Pid and option list into s; false for anything OTP rejects with badarg. An empty list
   turns monitoring off. */
static bool parse_settings(Term pid, Term opts, SysMonSettings *s)
{
    *s = (SysMonSettings){pid, SYSMON_UNSET, SYSMON_UNSET, SYSMON_UNSET, false, false};
    if (!is_pid(pid)) return false;
    for (; is_list(opts); opts = list_tail(opts)) {
        Term o = list_head(opts);
        if (o == AM_busy_port) {
            s->busy_port = true;
        } else if (o == atom_put("busy_dist_port", 14)) {
            s->busy_dist_port = true;
        } else if (is_tuple(o) && tuple_arity(o) == 2) {
            Term k = tuple_elems(o)[0], v = tuple_elems(o)[1];
            uint64_t *slot = k == atom_put("long_gc", 7) ? &s->long_gc_ms
                             : k == atom_put("long_schedule", 13) ? &s->long_schedule_ms
                             : k == atom_put("large_heap", 10) ? &s->large_heap_words
                             : NULL;
            if (!slot || !threshold(v, slot)) return false;
            /* as OTP, a heap limit below 16384 words is raised to it */
            if (slot == &s->large_heap_words && *slot < 16384) *slot = 16384;
        } else {
            return false;
        }
    }
    if (!is_nil(opts)) return false;
    if (s->long_gc_ms == SYSMON_UNSET && s->long_schedule_ms == SYSMON_UNSET && s->large_heap_words == SYSMON_UNSET &&
        !s->busy_port && !s->busy_dist_port)
        s->pid = NIL;
    return true;
}

/* Installs s; returns the previous settings. */
static Term replace(Process *p, const SysMonSettings *s)
{
    SysMonSettings old = sysmon_get();
    sysmon_set(s);
    return settings_term(p, &old);
}

Term bif_system_monitor_0(Process *p, const Term *args)
{
    SysMonSettings s = sysmon_get();
    return settings_term(p, &s);
}

Term bif_system_monitor_1(Process *p, const Term *args)
{
    SysMonSettings s = {NIL, SYSMON_UNSET, SYSMON_UNSET, SYSMON_UNSET, false, false};
    Term a = args[0];
    if (a != AM_undefined &&
        (!is_tuple(a) || tuple_arity(a) != 2 || !parse_settings(tuple_elems(a)[0], tuple_elems(a)[1], &s)))
        return bif_error(p, AM_badarg);
    return replace(p, &s);
}

Term bif_system_monitor_2(Process *p, const Term *args)
{
    SysMonSettings s;
    if (!parse_settings(args[0], args[1], &s)) return bif_error(p, AM_badarg);
    return replace(p, &s);
}
