/*
 * bif_trace.c - erlang:trace_pattern/2,3, erlang:trace/3 and
 * erlang:trace_info/2 for the call_count and call_time breakpoints, with
 * OTP 25's results and errors.
 *
 * Call trace: a `local` or `global` pattern (with a match spec or none)
 * makes calls of traced processes send trace messages to their tracer
 * (call_trace.h). Not supported, raising badarg: `meta` patterns.
 * erlang:trace/3 and trace_info/2 for processes are in bif_trace_flags.c.
 */
#include "profiler/bif_trace_flags.h"
#include "profiler/bp.h"
#include "profiler/pattern.h"
#include "profiler/pclock.h"
#include "profiler/pid_sums.h"
#include "profiler/trace_flags.h"
#include "profiler/trace_sr_pattern.h"
#include "runtime/bif/bif.h"
#include "runtime/loader/export.h"
#include "runtime/proc/heap.h"
#include "runtime/loader/module.h"
#include "runtime/proc/proc_table.h"

/* ---- trace_pattern ---- */

#define MAX_ARITY_MATCHED 255

/* {M, F, A} with '_' only in trailing positions. */
static bool parse_mfa(Term mfa, Pattern *pat)
{
    if (!is_tuple(mfa) || tuple_arity(mfa) != 3) return false;
    const Term *e = tuple_elems(mfa);
    bool any_m = e[0] == AM_underscore, any_f = e[1] == AM_underscore, any_a = e[2] == AM_underscore;
    if (!is_atom(e[0]) || !is_atom(e[1]) || (!any_a && !is_small(e[2]))) return false;
    if ((any_m && !any_f) || (any_f && !any_a)) return false;
    pat->module = any_m ? THE_NON_VALUE : e[0];
    pat->function = any_f ? THE_NON_VALUE : e[1];
    /* a negative or huge arity is valid and matches nothing */
    intptr_t a = any_a ? -1 : small_val(e[2]);
    pat->arity = any_a ? -1 : (a < 0 || a > MAX_ARITY_MATCHED ? MAX_ARITY_MATCHED + 1 : (int)a);
    return true;
}

typedef struct PatternFlags {
    unsigned kinds; /* BP_COUNT | BP_TIME */
    bool global, local, unsupported;
} PatternFlags;

static bool parse_pattern_flags(Term list, PatternFlags *pf)
{
    *pf = (PatternFlags){0, false, false, false};
    for (; is_list(list); list = CDR(list_val(list))) {
        Term f = CAR(list_val(list));
        if (f == AM_call_count) pf->kinds |= BP_COUNT;
        else if (f == AM_call_time) pf->kinds |= BP_TIME;
        else if (f == AM_global) pf->global = true;
        else if (f == AM_local) pf->local = true;
        else if (f == AM_meta) pf->unsupported = true;
        else return false;
    }
    return is_nil(list);
}

static bool parse_setting(Term t, PatternSetting *s)
{
    if (t == AM_true || t == NIL) *s = PATTERN_ON;
    else if (t == AM_false) *s = PATTERN_OFF;
    else if (t == AM_pause) *s = PATTERN_PAUSE;
    else if (t == AM_restart) *s = PATTERN_RESTART;
    else return false;
    return true;
}

/* trace_pattern(on_load, Setting, Flags): the kinds every function of modules
   loaded from now on starts with, as OTP; loaded code is not touched (0). */
static Term on_load_pattern(Process *p, Term setting_term, Term flags)
{
    PatternFlags pf;
    PatternSetting setting;
    if (!parse_pattern_flags(flags, &pf) || !parse_setting(setting_term, &setting) || pf.global || pf.unsupported)
        return bif_error(p, AM_badarg);
    unsigned kinds = pf.kinds ? pf.kinds : BP_TRACE;
    bool on = setting == PATTERN_ON || setting == PATTERN_RESTART;
    unsigned now = pattern_on_load_kinds();
    Pattern any = {THE_NON_VALUE, THE_NON_VALUE, -1};
    pattern_set_on_load(&any, on ? now | kinds : now & ~kinds);
    return make_small(0);
}

/* A call trace pattern: `spec` is true, [], false, pause, restart or a match spec. */
static Term call_trace_pattern(Process *p, const Pattern *pat, Term spec, unsigned kind)
{
    PatternSetting setting;
    if (parse_setting(spec, &setting)) {
        /* pause and restart leave the call trace as it is (they concern counters) */
        if (setting == PATTERN_PAUSE || setting == PATTERN_RESTART)
            return make_small(pattern_apply(pat, 0, setting, false));
        return make_small(pattern_apply_trace(pat, kind, setting == PATTERN_ON, NULL));
    }
    if (!is_list(spec)) return bif_error(p, AM_badarg);
    MsProg *prog = ms_compile(spec, MS_TRACE, NULL, NULL);
    if (!prog) return bif_error(p, ms_compile_failure());
    unsigned matched = pattern_apply_trace(pat, kind, true, prog);
    ms_release(prog); /* the breakpoints hold their own references */
    return make_small(matched);
}

static Term trace_pattern(Process *p, Term mfa, Term spec, Term flags)
{
    Pattern pat;
    PatternFlags pf;
    PatternSetting setting;
    if (mfa == AM_on_load) return on_load_pattern(p, spec, flags);
    if (mfa == AM_send || mfa == AM_receive) return trace_sr_pattern(p, mfa, spec, flags);
    if (!parse_mfa(mfa, &pat) || !parse_pattern_flags(flags, &pf) || pf.unsupported) return bif_error(p, AM_badarg);
    if (!pf.kinds) {
        if (pf.local && pf.global) return bif_error(p, AM_badarg);
        return call_trace_pattern(p, &pat, spec, pf.local ? BP_TRACE : BP_GLOBAL);
    }
    if (pf.global || !parse_setting(spec, &setting)) return bif_error(p, AM_badarg);
    return make_small(pattern_apply(&pat, pf.kinds, setting, false));
}

Term bif_trace_pattern_2(Process *p, const Term *args) { return trace_pattern(p, args[0], args[1], NIL); }
Term bif_trace_pattern_3(Process *p, const Term *args) { return trace_pattern(p, args[0], args[1], args[2]); }

/* ---- trace_info ---- */

/* [{Pid, Count, S, Us}] of call_time data, built in one heap block. */
static Term call_time_list(Process *p, const PTime *time)
{
    PidSums sums;
    pid_sums_init(&sums);
    pid_sums_add_time(&sums, time);
    double ns_per_tick = pclock_ns_per_tick();
    Term *hp = sums.n ? heap_alloc(p, sums.n * 7) : NULL; /* a 4-tuple and a cons each */
    Term list = NIL;
    for (size_t i = 0; i < sums.cap; i++) {
        const PidSum *e = &sums.v[i];
        if (!e->pid) continue;
        uint64_t us = pclock_to_ns_at(ns_per_tick, e->ticks) / 1000;
        hp[0] = make_tuple_header(4);
        hp[1] = e->pid;
        hp[2] = make_small((intptr_t)e->calls);
        hp[3] = make_small((intptr_t)(us / 1000000));
        hp[4] = make_small((intptr_t)(us % 1000000));
        hp[5] = make_boxed(hp);
        hp[6] = list;
        list = make_list(hp + 5);
        hp += 7;
    }
    pid_sums_free(&sums);
    return list;
}

/* A function's data for `item`; the function exists. */
static Term function_item(Process *p, const BpSlot *s, Term item)
{
    bool traced = s && (s->flags & BP_CALL_TRACE);
    if (item == AM_traced) return !traced ? AM_false : (s->flags & BP_GLOBAL) ? AM_global : AM_local;
    if (item == AM_match_spec) return !traced ? AM_false : s->ms ? term_copy(p, ms_source(s->ms)) : NIL;
    if (item == AM_call_count)
        return s && s->count ? make_small((intptr_t)pcount_total(s->count)) : AM_false;
    if (item == AM_call_time) return s && s->time ? call_time_list(p, s->time) : AM_false;
    if (item == AM_meta) return s ? NIL : AM_false; /* OTP: [] for a function with other breakpoints */
    return AM_false; /* traced, match_spec, meta, meta_match_spec, call_memory, flags, tracer */
}

static bool is_function_item(Term item)
{
    return item == AM_traced || item == AM_match_spec || item == AM_meta || item == AM_meta_match_spec ||
           item == AM_call_count || item == AM_call_time || item == AM_call_memory || item == AM_flags ||
           item == AM_tracer || item == AM_all;
}

/* {all, [...]} in OTP's order for a function with data. */
static Term all_items(Process *p, const BpSlot *s)
{
    Term list = heap_cons(p, heap_tuple2(p, AM_call_count, function_item(p, s, AM_call_count)), NIL);
    list = heap_cons(p, heap_tuple2(p, AM_call_time, function_item(p, s, AM_call_time)), list);
    list = heap_cons(p, heap_tuple2(p, AM_meta_match_spec, AM_false), list);
    list = heap_cons(p, heap_tuple2(p, AM_meta, AM_false), list);
    list = heap_cons(p, heap_tuple2(p, AM_match_spec, function_item(p, s, AM_match_spec)), list);
    return heap_cons(p, heap_tuple2(p, AM_traced, function_item(p, s, AM_traced)), list);
}

/*
 * As OTP: a function that does not exist (or a pattern with '_') gives
 * {Item, undefined}, one without breakpoint data {Item, false} whatever the
 * item; only a function with data checks the item.
 */
static Term function_info(Process *p, Term mfa, Term item)
{
    if (!is_tuple(mfa) || tuple_arity(mfa) != 3) return bif_error(p, AM_badarg);
    const Term *e = tuple_elems(mfa);
    const Module *m = is_atom(e[0]) ? module_find(e[0]) : NULL;
    const FuncRange *f =
        m && is_atom(e[1]) && is_small(e[2]) && small_val(e[2]) >= 0 && small_val(e[2]) <= MAX_ARITY_MATCHED
            ? module_func(m, e[1], (uint32_t)small_val(e[2]))
            : NULL;
    if (!f) {
        const Export *x = is_atom(e[0]) && is_atom(e[1]) && is_small(e[2]) && small_val(e[2]) >= 0
                              ? export_find(e[0], e[1], (uint32_t)small_val(e[2]))
                              : NULL;
        return heap_tuple2(p, item, x && x->bif ? AM_false : AM_undefined);
    }
    const BpData *bd = bp_find(bp_entry_of(f));
    const BpSlot *s = bd ? bp_active(bd) : NULL;
    if (!s || (!s->count && !s->time && !(s->flags & BP_CALL_TRACE))) return heap_tuple2(p, item, AM_false);
    if (!is_function_item(item)) return bif_error(p, AM_badarg);
    return heap_tuple2(p, item, item == AM_all ? all_items(p, s) : function_item(p, s, item));
}

Term bif_trace_info_2(Process *p, const Term *args)
{
    Term spec = args[0], item = args[1];
    if (is_pid(spec) || is_port(spec) || spec == AM_new || spec == AM_new_processes || spec == AM_new_ports)
        return trace_flags_info(p, spec, item);
    if (spec == AM_send || spec == AM_receive) return trace_sr_info(p, spec, item);
    return function_info(p, spec, item);
}
